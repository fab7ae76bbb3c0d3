from django import forms
from django.utils.translation import gettext_lazy as _

from listings.forms import YuanField


class CardPaymentForm(forms.Form):
    instalment = forms.IntegerField(widget=forms.HiddenInput)
    # A new card's token from Stripe.js, or one of the organisation's saved cards.
    token = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)
    saved_card = forms.IntegerField(widget=forms.HiddenInput, required=False)
    save_card = forms.BooleanField(label=_("Keep this card for the later instalments"), required=False)
    auto_pay = forms.BooleanField(label=_("Pay later instalments automatically on their due date"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("token") and not data.get("saved_card"):
            raise forms.ValidationError(_("The card details did not reach us; please enter them again."))
        return data


class TransferDeclarationForm(forms.Form):
    instalment = forms.IntegerField(label=_("Item"), widget=forms.HiddenInput)
    payer = forms.CharField(label=_("Paid from (account name)"), max_length=200)
    transferred_on = forms.DateField(label=_("Transfer date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("Remittance slip (PDF or image)"))


class BankTransferForm(forms.Form):
    # Hidden fields keep a label: a tampered value is reported by it, as the schedule's "Item" column.
    instalment = forms.IntegerField(label=_("Item"), widget=forms.HiddenInput)
    payer = forms.CharField(label=_("Payer (account name)"), max_length=200)
    amount_fen = YuanField(label=_("Amount (yuan)"), required=True)
    transferred_on = forms.DateField(label=_("Transfer date"), widget=forms.DateInput(attrs={"type": "date"}))
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)
    # Required unless the buyer announced the transfer with its slip (the service decides).
    evidence = forms.FileField(label=_("Evidence (bank receipt, PDF or image)"), required=False)
    accept_surplus = forms.BooleanField(
        label=_("More than the amount due arrived: keep the excess as surplus to refund"), required=False
    )


class RejectTransferForm(forms.Form):
    reason = forms.CharField(label=_("Why is it turned down?"), max_length=300)


class RefundForm(forms.Form):
    payment = forms.IntegerField(label=_("Payment"), widget=forms.HiddenInput)
    amount_fen = YuanField(label=_("Refund amount (yuan)"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AutoPayForm(forms.Form):
    auto_pay = forms.BooleanField(required=False)


class RoyaltyReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}))
    sales_fen = YuanField(label=_("Sales in the period (yuan)"), required=True)
