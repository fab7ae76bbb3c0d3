from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.centres.models import OperationCentre
from marketplace.core.cities import City
from marketplace.organisations.models import MemberRole, OrganisationKind
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


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to add"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
