from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from marketplace.centres.models import OperationCentre
from marketplace.core.cities import City
from marketplace.organisations.models import ApiScope, EnterpriseSize, MemberRole, OrganisationKind, SignatoryCapacity
from marketplace.organisations.validators import clean_credit_code


class OrganisationRegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=250, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as on the business licence or registration certificate."),
    )
    city = forms.ChoiceField(label=_("City"), choices=City.choices)
    size = forms.ChoiceField(
        label=_("Enterprise size"),
        choices=[("", _("Not stated"))] + EnterpriseSize.choices,
        required=False,
        help_text=_(
            "Enterprises only: the class of the National Bureau of Statistics for your industry (by employees and "
            "revenue). Operation centres use it to bring patents to small firms."
        ),
    )
    address = forms.CharField(
        label=_("Registered address"),
        max_length=300,
        required=False,
        help_text=_("As on the business licence (住所): contracts name the parties with it."),
    )
    centre = forms.ModelChoiceField(
        label=_("Operation centre"),
        queryset=OperationCentre.objects.all(),
        required=False,
        help_text=_("The centre that will verify and serve you; the provincial centre if you leave it empty."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_credit_code(self):
        return clean_credit_code(self.cleaned_data["credit_code"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only of an enterprise (static/js/site.js shows it once the kind says so).
        self.fields["size"].widget.attrs["data-shown-when"] = f"{self.add_prefix('kind')}={OrganisationKind.ENTERPRISE}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("size") and cleaned.get("kind") != OrganisationKind.ENTERPRISE:
            self.add_error("size", _("Only an enterprise states its size."))
        return cleaned


class OrganisationDetailsForm(forms.Form):
    """The details an organisation declares itself; the name and credit code the centre verified are not here."""

    address = forms.CharField(
        label=_("Registered address"),
        max_length=300,
        required=False,
        help_text=_("As on the business licence (住所): contracts name the parties with it."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    name_en = forms.CharField(label=_("English name"), max_length=250, required=False)
    size = forms.ChoiceField(
        label=_("Enterprise size"),
        choices=[("", _("Not stated"))] + EnterpriseSize.choices,
        required=False,
        help_text=_(
            "Enterprises only: the class of the National Bureau of Statistics for your industry (by employees and "
            "revenue). Operation centres use it to bring patents to small firms."
        ),
    )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to add"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


# A date input's value must be ISO (YYYY-MM-DD) whatever the locale's display format.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SignatoryNominateForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member to name as signatory"), queryset=None)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=SignatoryCapacity.choices)
    letter = forms.FileField(
        label=_("Authorisation letter (PDF, PNG, JPEG or WebP, at most 10 MB)"),
        help_text=_(
            "The authorisation letter (授权委托书) signed and sealed by the organisation; for the legal "
            "representative, the certificate of legal representative (法定代表人身份证明书)."
        ),
    )
    valid_until = forms.DateField(
        label=_("Authorised until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty if the letter states no end date."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model().objects.filter(memberships__organisation=organisation).order_by("display_name", "email")
        )


class SignatoryRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the nomination refused?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The organisation's administrators read this and may nominate again."),
    )


class SignatoryRevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you can tell your tokens apart, e.g. “patent database”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"), choices=ApiScope.choices, widget=forms.CheckboxSelectMultiple
    )
