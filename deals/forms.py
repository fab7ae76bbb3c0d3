"""Forms of the enquiry page and the negotiation room. They check types and ranges; the business rules
(which payment mode needs which amount, who may do what) live in the services, whose errors the views
put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from deals.models import DisputeResolution, Offer, PassReason, PaymentMode, RoyaltyBase, RoyaltyPeriod
from deals.services.negotiations import MAX_MESSAGE_CHARS
from deals.term_sheets import term_fields
from listings.forms import RoyaltyRateField, YuanField
from listings.models import LicenceType, ListingTerms, Mode

MAX_REASON_CHARS = 500


class EnquiryForm(forms.Form):
    mode = forms.ChoiceField(label=_("What would you like to discuss?"), widget=forms.RadioSelect)
    buyer = forms.ModelChoiceField(label=_("Enquire for"), queryset=None, empty_label=None)
    message = forms.CharField(
        label=_("Message to the seller (optional)"),
        required=False,
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would use the technology for, and any question you have."),
    )

    def __init__(self, *args, modes: list[tuple[str, str]], organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = modes
        if len(modes) == 1:
            self.fields["mode"].initial = modes[0][0]
        self.fields["buyer"].queryset = organisations


class ExpressForm(forms.Form):
    buyer = forms.ModelChoiceField(label=_("Take the licence for"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = organisations


# Commissions parties in Zhejiang most often name; any other may be typed (the list only suggests).
ARBITRATION_COMMISSIONS = (
    "杭州仲裁委员会",
    "宁波仲裁委员会",
    "温州仲裁委员会",
    "上海国际仲裁中心",
    "中国国际经济贸易仲裁委员会",
)
ARBITRATION_COMMISSIONS_LIST = "arbitration-commissions"


def _dispute_resolution_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Disputes are resolved by"),
        choices=DisputeResolution.choices,
        initial=DisputeResolution.COURT,
        required=False,
        widget=forms.RadioSelect,
    )


def _arbitration_commission_field() -> forms.CharField:
    return forms.CharField(
        label=_("Arbitration commission"),
        max_length=100,
        required=False,
        help_text=_("Only for arbitration: the commission's full name, for example 杭州仲裁委员会."),
        widget=forms.TextInput(attrs={"list": ARBITRATION_COMMISSIONS_LIST}),
    )


def _blank_first(choices) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class ConditionalFieldsForm(forms.Form):
    """A form some of whose fields apply only for some values of another: `shown_when` maps such a field to
    (the other field, its values). The browser shows the field only then and sends nothing from it while hidden
    (static/js/site.js, data-shown-when); the service refuses what does not belong whatever a browser sends."""

    shown_when: dict[str, tuple[str, tuple[str, ...]]] = {
        "arbitration_commission": ("dispute_resolution", (DisputeResolution.ARBITRATION,)),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (controller, values) in self.shown_when.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-shown-when"] = f"{self.add_prefix(controller)}={' '.join(values)}"


class LicenceOfferForm(ConditionalFieldsForm):
    # A lump sum has no royalty; a royalty has its rate, base, period and minimum, and may start with a fee.
    shown_when = {
        **ConditionalFieldsForm.shown_when,
        "upfront_fee_fen": ("payment_mode", (PaymentMode.FIXED, PaymentMode.ROYALTY)),
        **dict.fromkeys(
            ("royalty_rate", "royalty_base", "royalty_period", "minimum_annual_royalty_fen"),
            ("payment_mode", (PaymentMode.ROYALTY,)),
        ),
    }

    licence_type = forms.ChoiceField(label=_("Licence type"), choices=LicenceType.choices)
    territory = forms.CharField(label=_("Territory"), max_length=120, required=False)
    field_of_use = forms.CharField(label=_("Field of use"), max_length=200, required=False)
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, max_value=50, required=False)
    payment_mode = forms.ChoiceField(
        label=_("Payment mode"), choices=PaymentMode.choices, initial=PaymentMode.FIXED, widget=forms.RadioSelect
    )
    upfront_fee_fen = YuanField(label=_("Upfront fee (yuan)"))
    royalty_rate = RoyaltyRateField(label=_("Royalty rate (percentage of the base)"))
    royalty_base = forms.ChoiceField(
        label=_("Royalty base"),
        choices=_blank_first(RoyaltyBase.choices),
        required=False,
        help_text=_("What the rate is a percentage of; net sales revenue if you leave it empty."),
    )
    royalty_period = forms.ChoiceField(
        label=_("Royalty reporting period"),
        choices=_blank_first(RoyaltyPeriod.choices),
        required=False,
        help_text=_("How often the licensee reports and pays; quarterly if you leave it empty."),
    )
    minimum_annual_royalty_fen = YuanField(label=_("Minimum annual royalty (yuan)"))
    dispute_resolution = _dispute_resolution_field()
    arbitration_commission = _arbitration_commission_field()
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TransferOfferForm(ConditionalFieldsForm):
    price_fen = YuanField(label=_("Price (yuan)"), required=True)
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=120, initial=1, required=False)
    dispute_resolution = _dispute_resolution_field()
    arbitration_commission = _arbitration_commission_field()
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EquityOfferForm(ConditionalFieldsForm):
    appraised_value_fen = YuanField(label=_("Appraised value (yuan)"), required=True)
    share_percent = forms.DecimalField(
        label=_("Share in the receiving company (%)"), min_value=0.01, max_value=100, max_digits=5, decimal_places=2
    )
    receiving_company = forms.CharField(label=_("Receiving company"), max_length=200)
    dispute_resolution = _dispute_resolution_field()
    arbitration_commission = _arbitration_commission_field()
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


OFFER_FORMS: dict[str, type[forms.Form]] = {
    Mode.LICENCE: LicenceOfferForm,
    Mode.TRANSFER: TransferOfferForm,
    Mode.EQUITY: EquityOfferForm,
}
OFFER_PREFIX = "offer"


def offer_form_initial(mode: str, latest: Offer | None, listing_terms: ListingTerms | None) -> dict:
    """Start a counter-offer from the latest version, or the first offer from what the listing asks."""
    if latest is not None:
        return {name: getattr(latest, name) for name in term_fields(mode) if name != "note"}
    if listing_terms is None:
        return {}
    initial = {
        name: getattr(listing_terms, name)
        for name in term_fields(mode)
        if getattr(listing_terms, name, None) not in (None, "")
    }
    if mode == Mode.LICENCE and listing_terms.licence_types:
        initial["licence_type"] = listing_terms.licence_types[0]
    return initial


def offer_form(mode: str, data=None, initial: dict | None = None) -> forms.Form:
    return OFFER_FORMS[Mode(mode)](data, initial=initial, prefix=OFFER_PREFIX)


def offer_terms(form: forms.Form) -> dict:
    """The cleaned form as the `terms` of offer_propose: field names are the Offer's."""
    return dict(form.cleaned_data)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_MESSAGE_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), required=False, max_length=MAX_REASON_CHARS)


class PassForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you passing?"), choices=PassReason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("In a few words"),
        required=False,
        max_length=MAX_REASON_CHARS,
        help_text=_("Needed when you choose “Other”; it helps the seller in any case."),
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == PassReason.OTHER and not (data.get("text") or "").strip():
            self.add_error("text", _("Say in a few words why."))
        return data


class DeclineForm(forms.Form):
    text = forms.CharField(label=_("A word to the buyer (optional)"), required=False, max_length=MAX_REASON_CHARS)
