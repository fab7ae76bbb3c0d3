from django import forms
from django.utils.translation import gettext_lazy as _

from drives.criteria import ListingCriteria, TargetCriteria
from drives.models import DEFAULT_LISTINGS_PER_FIRM, MAX_LISTINGS_PER_FIRM, Drive
from drives.pairing import seller_choices
from listings.ipc_sections import ipc_section_choices
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import staff_scope
from marketplace.core.cities import City
from marketplace.organisations.models import EnterpriseSize


class SellerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation) -> str:
        return f"{organisation.name} · {organisation.get_kind_display()}"


class NewDriveForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Operation centre"), queryset=OperationCentre.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    message = forms.CharField(
        label=_("Message to the firms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words at the top of each firm's digest: who sends it and why."),
    )
    sellers = SellerChoiceField(
        label=_("Listings of these sellers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every seller."),
    )
    listing_fields = forms.MultipleChoiceField(
        label=_("Listings in these fields"),
        choices=ipc_section_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The IPC section of a listed patent. None ticked: every field."),
    )
    idle_only = forms.BooleanField(label=_("Idle listings only (no enquiry or deal yet)"), required=False, initial=True)
    cities = forms.MultipleChoiceField(
        label=_("Firms in these cities"),
        choices=City.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every city."),
    )
    sizes = forms.MultipleChoiceField(
        label=_("Firms of these sizes"),
        choices=EnterpriseSize.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("As each firm states it. None ticked: every size, including firms that have not stated one."),
    )
    target_fields = forms.MultipleChoiceField(
        label=_("Firms working in these fields"),
        choices=ipc_section_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the fields of their technology demands and of the listings they enquired on."),
    )
    with_demands_only = forms.BooleanField(label=_("Only firms that have posted a technology demand"), required=False)
    listings_per_firm = forms.IntegerField(
        label=_("Listings per firm, at most"),
        min_value=1,
        max_value=MAX_LISTINGS_PER_FIRM,
        initial=DEFAULT_LISTINGS_PER_FIRM,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = staff_scope(user)
        centres = (
            OperationCentre.objects.all()
            if scope.everything
            else OperationCentre.objects.filter(pk__in=scope.centre_ids)
        )
        self.fields["centre"].queryset = centres.order_by("-is_root", "name")
        self.fields["sellers"].queryset = seller_choices(scope)
        staffed = list(centres.filter(staff__user=user).values_list("pk", flat=True)[:1])
        if staffed:
            self.fields["centre"].initial = staffed[0]

    def listing_criteria(self) -> ListingCriteria:
        data = self.cleaned_data
        return ListingCriteria(
            seller_ids=[seller.pk for seller in data["sellers"]],
            fields=list(data["listing_fields"]),
            idle_only=data["idle_only"],
        )

    def target_criteria(self) -> TargetCriteria:
        data = self.cleaned_data
        return TargetCriteria(
            cities=list(data["cities"]),
            fields=list(data["target_fields"]),
            with_demands_only=data["with_demands_only"],
            sizes=list(data["sizes"]),
        )


class ChooseListingsForm(forms.Form):
    listings = forms.TypedMultipleChoiceField(
        label=_("Listings to push"), coerce=int, choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, drive: Drive, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listings"].choices = [(listing.pk, listing.title) for listing in candidates]
        self.fields["listings"].initial = list(drive.listing_ids)
