from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from listings.fields import clean_application_number, clean_ipc_codes
from listings.models import LegalStatus, LicenceType, Listing, ListingStatus, PatentType

MAX_YUAN = Decimal("100000000000")  # 1,000 亿元: anything above is a typing mistake


class YuanField(forms.DecimalField):
    """An amount typed in yuan (up to 2 decimals), returned as integer fen. Money never becomes a float."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_value", MAX_YUAN)
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def clean(self, value):
        yuan = super().clean(value)
        return None if yuan is None else int(yuan * 100)

    def prepare_value(self, value):
        if isinstance(value, int):
            return Decimal(value) / 100
        return value


class RoyaltyRateField(forms.DecimalField):
    """A royalty as a percentage of sales, 0 to 100 with two decimals (as the terms and offers store it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=0, max_value=100, max_digits=5, decimal_places=2, **kwargs)


class PatentForm(forms.Form):
    application_number = forms.CharField(
        label=_("Application number"),
        max_length=40,
        help_text=_("Any common writing: CN201710601862.3, ZL 2017 1 0601862.3, 2017106018623."),
    )
    patent_type = forms.ChoiceField(label=_("Patent type"), choices=PatentType.choices)
    title = forms.CharField(label=_("Patent title"), max_length=300)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    first_claim = forms.CharField(label=_("First claim"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ipc_codes = forms.CharField(
        label=_("IPC codes"),
        max_length=300,
        help_text=_("Main code first, separated by semicolons: H01M 4/525; H01M 10/0525"),
    )
    filing_date = forms.DateField(
        label=_("Filing date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    publication_date = forms.DateField(
        label=_("Publication date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    grant_date = forms.DateField(
        label=_("Grant date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    legal_status = forms.ChoiceField(label=_("Legal status"), choices=LegalStatus.choices)
    applicant_names = forms.CharField(
        label=_("Applicants"), max_length=500, help_text=_("As printed on the patent, separated by semicolons.")
    )
    inventors = forms.CharField(label=_("Inventors"), max_length=500, required=False)

    def clean_application_number(self):
        return clean_application_number(self.cleaned_data["application_number"]).normalised

    def clean_ipc_codes(self):
        return clean_ipc_codes(self.cleaned_data["ipc_codes"])

    def clean_applicant_names(self):
        return split_names(self.cleaned_data["applicant_names"])

    def clean_inventors(self):
        return split_names(self.cleaned_data.get("inventors", ""))

    def clean(self):
        data = super().clean()
        number = data.get("application_number")
        if number and data.get("patent_type"):
            try:
                clean_application_number(number, declared_type=data["patent_type"])
            except ValidationError as error:
                self.add_error("patent_type", error)
        return data


def split_names(text: str) -> list[str]:
    for separator in ("；", "，", ",", "、", "\n"):
        text = text.replace(separator, ";")
    return [name.strip() for name in text.split(";") if name.strip()]


class ListingForm(forms.ModelForm):
    asking_price_fen = YuanField(label=_("Asking price (yuan)"), help_text=_("Leave empty if the price is negotiable."))

    class Meta:
        model = Listing
        fields = [
            "title",
            "summary",
            "title_en",
            "summary_en",
            "maturity",
            "application_fields",
            "comparison",
            "asking_price_fen",
            "price_negotiable",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "summary_en": forms.Textarea(attrs={"rows": 4, "lang": "en"}),
            "comparison": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own words for "not stated": Django's default blank label has no Chinese in its catalogue.
        self.fields["maturity"].choices = [("", _("Not stated")), *Listing._meta.get_field("maturity").choices]


class NewListingForm(ListingForm):
    seller = forms.ModelChoiceField(label=_("Seller organisation"), queryset=None, empty_label=None)
    other_patents = forms.CharField(
        label=_("Other patents in the portfolio"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Application numbers of patents already on the platform, one per line (for a 专利包)."),
    )

    class Meta(ListingForm.Meta):
        fields = ["seller", *ListingForm.Meta.fields]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = organisations

    def clean_other_patents(self):
        numbers = []
        for line in self.cleaned_data.get("other_patents", "").splitlines():
            if line.strip():
                numbers.append(clean_application_number(line).normalised)
        return numbers


class LicenceTermsForm(forms.Form):
    offered = forms.BooleanField(label=_("Offer licences"), required=False)
    licence_types = forms.MultipleChoiceField(
        label=_("Licence types"), choices=LicenceType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    territory = forms.CharField(label=_("Territory"), max_length=120, required=False, initial="中国大陆")
    field_of_use = forms.CharField(label=_("Field of use"), max_length=200, required=False)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=20, required=False)
    upfront_fee_fen = YuanField(label=_("Upfront fee (yuan)"))
    royalty_rate = RoyaltyRateField(label=_("Royalty rate (percentage of sales)"))

    def clean(self):
        data = super().clean()
        if data.get("offered") and not data.get("licence_types"):
            self.add_error("licence_types", _("Choose at least one licence type."))
        return data


class TransferTermsForm(forms.Form):
    offered = forms.BooleanField(label=_("Offer transfer of the patent right"), required=False)
    price_fen = YuanField(label=_("Transfer price (yuan)"))


class EquityTermsForm(forms.Form):
    offered = forms.BooleanField(label=_("Offer as an equity contribution"), required=False)
    appraised_value_fen = YuanField(label=_("Appraised value (yuan)"))


class BenefitForm(forms.Form):
    metric = forms.CharField(label=_("What is measured"), max_length=100, required=False)
    value = forms.CharField(label=_("Value"), max_length=40, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=30, required=False)
    baseline = forms.CharField(label=_("What buyers use today"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("metric") and not data.get("value"):
            self.add_error("value", _("Give the number."))
        if data.get("value") and not data.get("metric"):
            self.add_error("metric", _("Say what the number measures."))
        return data


BenefitFormSet = forms.formset_factory(BenefitForm, extra=3, max_num=8)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG, JPEG or WebP, at most 10 MB)"))
    confidential = forms.BooleanField(
        label=_("Confidential: only for those who accept the listing's NDA"),
        required=False,
        help_text=_("Visitors see the file's name and size; its content goes to organisations that accepted the NDA."),
    )


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(choices=ListingStatus.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    close_reason = forms.CharField(required=False)


class NdaAcceptForm(forms.Form):
    """The click-through: which organisation accepts, and the digest of the text the member was shown."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("On behalf of"), empty_label=None)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    accept = forms.BooleanField(
        label=_("I have read this agreement and accept it on behalf of the organisation chosen above."),
        error_messages={"required": _("Tick the box to accept the agreement.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class NdaTextForm(forms.Form):
    text = forms.CharField(
        label=_("Your own NDA text"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Leave empty to use the platform's standard agreement. Every change is a new version: organisations "
            "that accepted an earlier text must accept the new one before their next download."
        ),
    )


class ConfidentialForm(forms.Form):
    confidential = forms.BooleanField(required=False)
