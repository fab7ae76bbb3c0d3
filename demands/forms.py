"""The organisation's demand form, the staff's status form, and the public list's filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deals.models import Deal
from demands.models import ContactPolicy, DealKind, DemandStatus
from demands.services import clean_demand_ipc_codes
from listings.forms import YuanField
from listings.ipc_sections import ipc_section_choices
from listings.models import Mode
from marketplace.core.cities import City

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field_choices():
    return [("", _("Choose a field")), *ipc_section_choices()]


def _city_choices():
    return [("", _("Choose a city")), *City.choices]


class DemandForm(forms.Form):
    """Every field of a demand. The service checks the same rules again, for any other caller."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What is needed"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The product, the problem and what a solution must achieve, in your own words."),
    )
    title_en = forms.CharField(
        label=_("English title"), max_length=200, required=False, widget=forms.TextInput(attrs={"lang": "en"})
    )
    summary_en = forms.CharField(
        label=_("English summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        help_text=_("Optional. Shown to visitors who read the site in English."),
    )
    field = forms.ChoiceField(label=_("Technology field"), choices=_field_choices)
    ipc_codes = forms.CharField(
        label=_("IPC classes"),
        max_length=300,
        required=False,
        help_text=_("Optional, separated by semicolons: a subclass such as H01M is enough, or a full code."),
    )
    deal_kinds = forms.MultipleChoiceField(
        label=_("Kinds of deal you would accept"), choices=DealKind.choices, widget=forms.CheckboxSelectMultiple
    )
    budget_min_fen = YuanField(label=_("Budget from (yuan)"))
    budget_max_fen = YuanField(label=_("Budget up to (yuan)"), help_text=_("Leave both empty if open to offers."))
    city = forms.ChoiceField(label=_("Region"), choices=_city_choices)
    deadline = forms.DateField(
        label=_("Deadline"), widget=DATE_WIDGET, help_text=_("The last day the demand stays open.")
    )
    contact_policy = forms.ChoiceField(
        label=_("Contact"), choices=ContactPolicy.choices, initial=ContactPolicy.OPEN, widget=forms.RadioSelect
    )

    def clean_ipc_codes(self):
        return clean_demand_ipc_codes(self.cleaned_data.get("ipc_codes", ""))

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("The deadline must be a day in the future."))
        return deadline

    def clean(self):
        data = super().clean()
        low, high = data.get("budget_min_fen"), data.get("budget_max_fen")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max_fen", _("The budget's upper end is below its lower end."))
        return data

    @classmethod
    def initial_of(cls, demand) -> dict:
        initial = {name: getattr(demand, name) for name in cls.base_fields if name not in ("deal_kinds", "ipc_codes")}
        initial["deal_kinds"] = demand.deal_kinds
        initial["ipc_codes"] = "; ".join(demand.ipc_codes)
        return initial


class NewDemandForm(DemandForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)

    field_order = ["organisation"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.order_fields(["organisation", *DemandForm.base_fields])


class DemandStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=DemandStatus.choices)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    close_reason = forms.CharField(required=False, max_length=20)
    # Closing as solved may name the deal that solved it; the service refuses a deal that is not the organisation's.
    deal = forms.ModelChoiceField(
        label=_("The deal that solved it"),
        queryset=Deal.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Unknown deal.")},
    )


class DemandFilterForm(forms.Form):
    """The public list's filters, read from the query string; an unknown value is ignored, not an error."""

    field = forms.ChoiceField(
        label=_("Technology field"), required=False, choices=lambda: [("", _("Any field")), *ipc_section_choices()]
    )
    city = forms.ChoiceField(label=_("Region"), required=False, choices=lambda: [("", _("Any region")), *City.choices])
    deal_kind = forms.ChoiceField(
        label=_("Kind of deal"), required=False, choices=lambda: [("", _("Any kind")), *DealKind.choices]
    )


class AnswerForm(forms.Form):
    """A seller's answer: some of its published listings and a short message. The service checks every rule again
    (published demand, own listings, not its own demand, each listing once)."""

    listings = forms.ModelMultipleChoiceField(
        label=_("Listings that answer this demand"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Published listings of one seller, at most ten."),
        error_messages={"required": _("Choose at least one listing.")},
    )
    message = forms.CharField(
        label=_("Message to the organisation"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How these patents answer the need: what they achieve, how mature they are, what you propose."),
    )

    def __init__(self, *args, listings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listings"].queryset = listings
        self.fields["listings"].label_from_instance = lambda listing: f"{listing.title} · {listing.seller.name}"


class NegotiateFromAnswerForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)
