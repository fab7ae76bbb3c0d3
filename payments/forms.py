from django import forms
from django.utils.translation import gettext_lazy as _

from listings.forms import YuanField


class CardPaymentForm(forms.Form):
    instalment = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)


class BankTransferForm(forms.Form):
    # Hidden fields keep a label: a tampered value is reported by it, as the schedule's "Item" column.
    instalment = forms.IntegerField(label=_("Item"), widget=forms.HiddenInput)
    payer = forms.CharField(label=_("Payer (account name)"), max_length=200)
    amount_fen = YuanField(label=_("Amount (yuan)"), required=True)
    transferred_on = forms.DateField(label=_("Transfer date"), widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)
    evidence = forms.FileField(label=_("Evidence (bank receipt, PDF or image)"))


class RefundForm(forms.Form):
    payment = forms.IntegerField(label=_("Payment"), widget=forms.HiddenInput)
    amount_fen = YuanField(label=_("Refund amount (yuan)"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RoyaltyReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))
    sales_fen = YuanField(label=_("Sales in the period (yuan)"), required=True)
