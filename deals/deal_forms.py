"""Forms of a deal's page: sign, record the contract and share registrations, cancel. Amounts are typed in yuan
and come out as integer fen (YuanField); the services check every rule again."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deals.models import ContractType
from listings.forms import YuanField

# A date input's value must be ISO (YYYY-MM-DD) whatever the locale's display format (zh: 2026/11/25).
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise forms.ValidationError(_("The registration date cannot be in the future."))
    return day


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the contract and confirm it on behalf of my organisation."),
        error_messages={"required": _("Tick the box to confirm that you have read the contract.")},
    )


class RegistrationForm(forms.Form):
    """技术合同认定登记 as recorded by the registration body."""

    number = forms.CharField(label=_("Registration number"), max_length=40)
    registered_on = forms.DateField(label=_("Registration date"), widget=DATE_INPUT)
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    contract_total_fen = YuanField(
        label=_("Contract total (yuan)"),
        required=True,
        help_text=_("The total the contract is worth, as on the registration certificate."),
    )
    technology_amount_fen = YuanField(
        label=_("Technology transaction amount (yuan)"),
        required=True,
        help_text=_(
            "The contract total less non-technical costs such as equipment, materials and other goods supplied "
            "with the technology. It cannot exceed the contract total."
        ),
    )

    def clean_registered_on(self):
        return _not_in_future(self.cleaned_data["registered_on"])

    def clean(self):
        data = super().clean()
        total, technology = data.get("contract_total_fen"), data.get("technology_amount_fen")
        if total is not None and technology is not None and technology > total:
            self.add_error(
                "technology_amount_fen",
                _(
                    "The technology transaction amount cannot exceed the contract total: it is the total less "
                    "non-technical costs such as equipment and materials."
                ),
            )
        return data


class ShareRegistrationForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200)
    share_percent = forms.DecimalField(
        label=_("Share (%)"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )
    registered_on = forms.DateField(label=_("Registration date"), widget=DATE_INPUT)
    reference = forms.CharField(
        label=_("Registration reference"),
        max_length=100,
        help_text=_("The reference of the change registered with the market regulator."),
    )

    def clean_registered_on(self):
        return _not_in_future(self.cleaned_data["registered_on"])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the deal cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Both parties and the broker see the reason in the deal's history."),
    )


class ObjectionForm(forms.Form):
    """An objection to a public notice of an agreed price (协议定价公示), with reasons."""

    reasons = forms.CharField(
        label=_("Your reasons"),
        min_length=10,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say what is wrong with the price or the deal: staff of the hosting centre review every objection."
        ),
    )


class ObjectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("dismiss", _("Dismiss: the deal proceeds")), ("uphold", _("Uphold: the deal is withdrawn"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
