"""The browse filters: which published listings a buyer sees, and in what order.

Every filter is a single choice, so a URL such as ``/patents/?mode=licence&section=H&price=10-50`` names one
result set and can be shared, bookmarked and indexed. A value the form does not accept (a typo, an old link, a
crafted URL) fails validation and is ignored; the other filters still apply.

Filters on patents (type, IPC section and class, legal status, remaining term) are ANDed into one ``EXISTS``
subquery, so for a portfolio (专利包) *one* of its patents must meet them all: "an invention in section H
with 10 years left", not "an invention, and some patent in H, and some patent with 10 years left". EXISTS,
not a join, so a portfolio never appears twice and no DISTINCT is needed.
"""

from collections.abc import Callable
from datetime import date, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from listings.models import Listing, ListingPatent, ListingTerms, Mode, PatentType
from listings.patents import terms as patent_terms
from listings.patents.ipc import IPC_SECTIONS, IpcCodeError, parse_ipc_prefix
from listings.pricing import PRICE_ANNOTATION, PRICE_BAND_BY_VALUE, PRICE_BANDS, with_display_price
from marketplace.centres.selectors import centres_with_depth, descendant_ids
from marketplace.core.cities import City
from marketplace.organisations.models import OrganisationKind

# --- IPC sections ----------------------------------------------------------------------------------------------


def ipc_section_title(letter: str) -> str:
    """The official title of an IPC section in the page's language ('H' -> 'Electricity' / '电学')."""
    titles = IPC_SECTIONS.get(letter)
    if titles is None:
        return ""
    chinese, english = titles
    return chinese if (get_language() or "").startswith("zh") else english


def ipc_section_choices() -> list[tuple[str, str]]:
    # A callable, so the titles follow the language of the request that renders them.
    return [(letter, f"{letter} · {ipc_section_title(letter)}") for letter in IPC_SECTIONS]


class IpcClassField(forms.CharField):
    """An IPC class such as 'H01' ('h01', full-width 'Ｈ０１' are normalised); anything else is invalid."""

    default_error_messages = {
        "invalid": _("Enter an IPC class such as H01: a section letter from A to H and two digits.")
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value) -> str:
        value = super().clean(value)
        if not value:
            return ""
        try:
            prefix = parse_ipc_prefix(value)
        except IpcCodeError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        if len(prefix) != 3:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return prefix


class IpcClassFilter(django_filters.CharFilter):
    field_class = IpcClassField


# --- Legal status, seen by a buyer ------------------------------------------------------------------------------


class LegalStatusGroup(models.TextChoices):
    # A buyer asks one question: is the right granted, or still an application? Published (公开) and under
    # examination (实质审查) are both "pending", and only these two groups can be on the market.
    GRANTED = "granted", _("Granted and in force")
    PENDING = "pending", _("Pending application — not yet granted")


LEGAL_STATUSES_OF_GROUP: dict[str, frozenset[str]] = {
    LegalStatusGroup.GRANTED: patent_terms.IN_FORCE,
    LegalStatusGroup.PENDING: patent_terms.PENDING,
}


# --- Remaining term ---------------------------------------------------------------------------------------------

REMAINING_TERM_CHOICES = [
    ("5", _("At least 5 years left")),
    ("10", _("At least 10 years left")),
]


def expiry_threshold(years: int, today: date) -> date:
    """The earliest expiry date that still leaves `years` whole years of term, counted as remaining_term() does.

    remaining_term() counts up to the day after expiry, so a patent has `years` left when
    expiry + 1 day >= today + `years`. On 29 February the anniversary is 28 February, as in remaining_term().
    """
    try:
        anniversary = today.replace(year=today.year + years)
    except ValueError:
        anniversary = date(today.year + years, 2, 28)
    return anniversary - timedelta(days=1)


# --- Seller, place, sort ----------------------------------------------------------------------------------------

SELLER_TYPE_CHOICES = [
    (OrganisationKind.UNIVERSITY.value, OrganisationKind.UNIVERSITY.label),
    (OrganisationKind.INSTITUTE.value, OrganisationKind.INSTITUTE.label),
    (OrganisationKind.ENTERPRISE.value, OrganisationKind.ENTERPRISE.label),
]


def centre_choices() -> list[tuple[str, str]]:
    # Tree order, indented, so a buyer sees which centres sit under which.
    return [(str(centre.pk), "— " * depth + centre.name) for centre, depth in centres_with_depth()]


class SortOrder(models.TextChoices):
    NEWEST = "newest", _("Newest first")
    PRICE_LOW = "price", _("Price: low to high")
    PRICE_HIGH = "-price", _("Price: high to low")
    LONGEST_TERM = "term", _("Longest remaining term")


# --- Conditions on patents --------------------------------------------------------------------------------------

# Filter name -> a condition on ListingPatent rows (one row = one patent of one listing).
PATENT_CONDITIONS: dict[str, Callable[[str], Q]] = {
    "patent_type": lambda value: Q(patent__patent_type=value),
    "section": lambda value: Q(patent__ipc_section=value),
    "ipc_class": lambda value: Q(patent__ipc_class=value),
    "legal_status": lambda value: Q(patent__legal_status__in=LEGAL_STATUSES_OF_GROUP[value]),
    "term": lambda value: Q(patent__expiry_date__gte=expiry_threshold(int(value), timezone.localdate())),
}


def any_patent_matches(conditions: list[Q]) -> Exists:
    return Exists(ListingPatent.objects.filter(*conditions, listing=OuterRef("pk")))


class ListingFilter(django_filters.FilterSet):
    """Filters and sort for the browse page. Declaration order is the order of the sidebar."""

    mode = django_filters.ChoiceFilter(label=_("Deal type"), choices=Mode.choices, method="filter_mode")
    price = django_filters.ChoiceFilter(
        label=_("Price"), choices=[(band.value, band.label) for band in PRICE_BANDS], method="filter_price"
    )
    patent_type = django_filters.ChoiceFilter(
        label=_("Patent type"), choices=PatentType.choices, method="filter_by_patents"
    )
    legal_status = django_filters.ChoiceFilter(
        label=_("Legal status"), choices=LegalStatusGroup.choices, method="filter_by_patents"
    )
    term = django_filters.ChoiceFilter(
        label=_("Remaining term"), choices=REMAINING_TERM_CHOICES, method="filter_by_patents"
    )
    section = django_filters.ChoiceFilter(
        label=_("Technology field (IPC section)"), choices=ipc_section_choices, method="filter_by_patents"
    )
    ipc_class = IpcClassFilter(label=_("IPC class"), method="filter_by_patents")
    city = django_filters.ChoiceFilter(label=_("Seller's city"), choices=City.choices, method="filter_city")
    seller_type = django_filters.ChoiceFilter(
        label=_("Seller type"), choices=SELLER_TYPE_CHOICES, method="filter_seller_type"
    )
    centre = django_filters.ChoiceFilter(label=_("Operation centre"), choices=centre_choices, method="filter_centre")
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortOrder.choices, empty_label=None, method="keep_order"
    )

    class Meta:
        model = Listing
        fields: list[str] = []

    def __init__(self, data=None, queryset: QuerySet[Listing] | None = None, **kwargs) -> None:
        if queryset is None:
            queryset = Listing.objects.none()
        # Annotated once here: the price band filters on it, the price sort orders by it, the cards show it.
        super().__init__(data, queryset=with_display_price(queryset), **kwargs)
        self._descendants: dict[int, set[int]] = {}

    # --- the filters, one by one ---

    def filter_mode(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        # Only a mode still open counts: a transfer already done is no longer on offer.
        open_terms = ListingTerms.objects.filter(listing=OuterRef("pk"), mode=value, is_open=True)
        return queryset.filter(Exists(open_terms))

    def filter_price(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return queryset.filter(PRICE_BAND_BY_VALUE[value].condition())

    def filter_by_patents(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        # Used when a patent filter is applied on its own; filter_queryset combines them (see the module doc).
        return queryset.filter(any_patent_matches([PATENT_CONDITIONS[name](value)]))

    def filter_city(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return queryset.filter(seller__city=value)

    def filter_seller_type(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return queryset.filter(seller__kind=value)

    def filter_centre(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        # A centre answers for what it hosts and for what every centre below it hosts ("1+X").
        return queryset.filter(centre_id__in=self._centre_and_descendants(int(value)))

    def _centre_and_descendants(self, centre_id: int) -> set[int]:
        # Every facet count applies this filter again; the tree is read once per request.
        if centre_id not in self._descendants:
            self._descendants[centre_id] = descendant_ids([centre_id])
        return self._descendants[centre_id]

    def keep_order(self, queryset: QuerySet[Listing], name: str, value: str) -> QuerySet[Listing]:
        return queryset  # sorting is applied last, in filter_queryset

    # --- combined ---

    @property
    def active_values(self) -> dict[str, str]:
        """The valid, non-empty filter values of the request (sort excluded)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form, which fills cleaned_data
        return {
            name: value for name, value in self.form.cleaned_data.items() if value not in (None, "") and name != "sort"
        }

    def patent_conditions(self, *, ignore: str | None = None) -> list[Q]:
        return [
            PATENT_CONDITIONS[name](value)
            for name, value in self.active_values.items()
            if name in PATENT_CONDITIONS and name != ignore
        ]

    def listings_matching(self, *, ignore: str | None = None, patent_filters: bool = True) -> QuerySet[Listing]:
        """The listings that pass every active filter except `ignore`, unordered (the facet counts use this).

        With patent_filters=False, only the filters on the listing itself apply (mode, price, seller, centre).
        """
        queryset = self.queryset.all()
        for name, value in self.active_values.items():
            if name == ignore or name in PATENT_CONDITIONS:
                continue
            queryset = self.filters[name].filter(queryset, value)
        conditions = self.patent_conditions(ignore=ignore) if patent_filters else []
        if conditions:
            queryset = queryset.filter(any_patent_matches(conditions))
        return queryset

    def filter_queryset(self, queryset: QuerySet[Listing]) -> QuerySet[Listing]:
        # `queryset` is self.queryset.all(), which listings_matching starts from too.
        return self.order(self.listings_matching())

    @property
    def sort_order(self) -> str:
        if not self.is_bound:
            return SortOrder.NEWEST
        self.errors  # noqa: B018 - validates the form, which fills cleaned_data
        return self.form.cleaned_data.get("sort") or SortOrder.NEWEST

    def order(self, queryset: QuerySet[Listing]) -> QuerySet[Listing]:
        # The primary key breaks ties, so a page boundary never moves between requests.
        match self.sort_order:
            case SortOrder.PRICE_LOW:
                return queryset.order_by(F(PRICE_ANNOTATION).asc(nulls_last=True), "-pk")
            case SortOrder.PRICE_HIGH:
                return queryset.order_by(F(PRICE_ANNOTATION).desc(nulls_last=True), "-pk")
            case SortOrder.LONGEST_TERM:
                latest_expiry = (
                    ListingPatent.objects.filter(listing=OuterRef("pk"))
                    .order_by()
                    .values("listing")
                    .annotate(latest=Max("patent__expiry_date"))
                    .values("latest")
                )
                return queryset.annotate(latest_expiry=Subquery(latest_expiry)).order_by(
                    F("latest_expiry").desc(nulls_last=True), "-pk"
                )
            case _:
                # Plain DESC, so PostgreSQL walks the (status, -published_at) index; published listings have the date.
                return queryset.order_by("-published_at", "-pk")
