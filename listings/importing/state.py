"""What the database holds for the patents of a file, and what writing each row would change there."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext

from listings.importing.columns import COLUMNS_BY_KEY, PATENT_FIELD_COLUMNS, ImportResult, RowError
from listings.models import Listing, ListingPatent, ListingStatus, ListingTerms, Patent
from listings.services import OPEN_STATES
from marketplace.organisations.models import Organisation

QUERY_CHUNK = 500  # values per IN (...) query: well below SQLite's limit on bound parameters


@dataclass
class PlannedRow:
    """A valid row, as the values to store: field -> value for the patent, the listing and each mode's terms."""

    row_number: int
    number: str  # normalised application number
    patent: dict[str, Any]
    listing: dict[str, Any]
    terms: dict[str, dict[str, Any]]


@dataclass
class RowChanges:
    """What writing a row would change, against what the database holds."""

    patent: Patent | None  # None: the patent is new
    patent_fields: list[str] = field(default_factory=list)
    applicants_to_add: set[int] = field(default_factory=set)
    applicants_to_remove: set[int] = field(default_factory=set)
    listing: Listing | None = None  # None: a new draft listing
    listing_fields: list[str] = field(default_factory=list)
    current_terms: dict[str, ListingTerms] = field(default_factory=dict)  # mode -> the listing's terms now
    terms_to_create: list[str] = field(default_factory=list)
    terms_to_update: dict[str, list[str]] = field(default_factory=dict)  # mode -> fields that change
    terms_to_delete: list[ListingTerms] = field(default_factory=list)

    @property
    def patent_changed(self) -> bool:
        return bool(self.patent_fields or self.applicants_to_add or self.applicants_to_remove)

    @property
    def listing_changed(self) -> bool:
        return bool(self.listing_fields or self.terms_to_create or self.terms_to_update or self.terms_to_delete)


def chunks(values: Sequence, size: int = QUERY_CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Existing:
    """What the database holds for the patents of a file, fetched a few queries at a time."""

    patents: dict[str, Patent]  # normalised number -> patent
    applicant_ids: dict[int, set[int]]  # patent id -> organisations linked as applicants
    listings: dict[int, Listing]  # patent id -> the seller's open listing of exactly that one patent
    terms: dict[int, dict[str, ListingTerms]]  # listing id -> mode -> terms
    other_sellers: dict[int, str]  # patent id -> name of another organisation with an open listing of it
    organisations_by_name: dict[str, set[int]]  # applicant name -> organisations of that name on the platform


def load_existing(seller: Organisation, rows: Sequence[PlannedRow], *, lock: bool = False) -> Existing:
    patents: dict[str, Patent] = {}
    for chunk in chunks([row.number for row in rows]):
        queryset = Patent.objects.filter(application_number__in=chunk)
        patents.update(
            (patent.application_number, patent) for patent in (queryset.select_for_update() if lock else queryset)
        )
    patent_ids = [patent.id for patent in patents.values()]

    applicant_ids: dict[int, set[int]] = defaultdict(set)
    through = Patent.applicants.through
    patents_of_listing: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(patent_ids):
        for patent_id, organisation_id in through.objects.filter(patent_id__in=chunk).values_list(
            "patent_id", "organisation_id"
        ):
            applicant_ids[patent_id].add(organisation_id)
        for listing_id, patent_id in ListingPatent.objects.filter(patent_id__in=chunk).values_list(
            "listing_id", "patent_id"
        ):
            patents_of_listing[listing_id].append(patent_id)
    # Looked up by primary key on purpose: filtering the query above on the listing's status lets SQLite scan
    # every open listing through the status index, once per chunk.
    seller_listing_patent: dict[int, int] = {}
    other_sellers: dict[int, str] = {}
    for chunk in chunks(sorted(patents_of_listing)):
        open_listings = Listing.objects.filter(id__in=chunk, status__in=OPEN_STATES).order_by("id")
        for listing_id, seller_id, seller_name in open_listings.values_list("id", "seller_id", "seller__name"):
            for patent_id in patents_of_listing[listing_id]:
                if seller_id == seller.id:
                    seller_listing_patent[listing_id] = patent_id
                else:
                    other_sellers.setdefault(patent_id, seller_name)

    # Of the seller's open listings holding one of these patents, only those of exactly one patent are upserted;
    # a portfolio (专利包) is left alone and the row gets a listing of its own.
    listings: dict[int, Listing] = {}
    single_ids: list[int] = []
    for chunk in chunks(list(seller_listing_patent)):
        counts = ListingPatent.objects.filter(listing_id__in=chunk).values("listing_id").annotate(count=Count("id"))
        single_ids.extend(item["listing_id"] for item in counts if item["count"] == 1)
    terms: dict[int, dict[str, ListingTerms]] = defaultdict(dict)
    for chunk in chunks(sorted(single_ids)):
        queryset = Listing.objects.filter(id__in=chunk).order_by("id")
        for listing in queryset.select_for_update() if lock else queryset:
            listings.setdefault(seller_listing_patent[listing.id], listing)  # the oldest, if there are several
        for record in ListingTerms.objects.filter(listing_id__in=chunk):
            terms[record.listing_id][record.mode] = record

    names = sorted({name for row in rows for name in row.patent["applicant_names"]})
    organisations_by_name: dict[str, set[int]] = defaultdict(set)
    for chunk in chunks(names):
        for name, organisation_id in Organisation.objects.filter(name__in=chunk).values_list("name", "id"):
            organisations_by_name[name].add(organisation_id)
    return Existing(patents, applicant_ids, listings, terms, other_sellers, organisations_by_name)


def row_changes(row: PlannedRow, existing: Existing) -> RowChanges:
    # Applicants on the platform are linked by exact name, as patent_upsert does.
    wanted_applicants = {
        organisation_id
        for name in row.patent["applicant_names"]
        for organisation_id in existing.organisations_by_name.get(name, ())
    }
    patent = existing.patents.get(row.number)
    if patent is None:
        return RowChanges(patent=None, applicants_to_add=wanted_applicants)
    linked = existing.applicant_ids.get(patent.id, set())
    changes = RowChanges(
        patent=patent,
        patent_fields=[name for name, value in row.patent.items() if getattr(patent, name) != value],
        applicants_to_add=wanted_applicants - linked,
        applicants_to_remove=linked - wanted_applicants,
    )
    listing = existing.listings.get(patent.id)
    if listing is None:
        return changes
    changes.listing = listing
    changes.listing_fields = [name for name, value in row.listing.items() if getattr(listing, name) != value]
    changes.current_terms = current_terms = existing.terms.get(listing.id, {})
    for mode, values in row.terms.items():
        record = current_terms.get(mode)
        if record is None:
            changes.terms_to_create.append(mode)
        else:
            changed = [name for name, value in values.items() if getattr(record, name) != value]
            if changed:
                changes.terms_to_update[mode] = changed
    # The file states the whole offer: a mode it leaves out is no longer offered.
    changes.terms_to_delete = [record for mode, record in current_terms.items() if mode not in row.terms]
    return changes


def find_conflicts(rows: Sequence[PlannedRow], changes: Sequence[RowChanges], existing: Existing) -> list[RowError]:
    errors: list[RowError] = []
    for row, change in zip(rows, changes, strict=True):
        if change.patent is not None and change.patent_fields and change.patent.id in existing.other_sellers:
            columns = dict.fromkeys(COLUMNS_BY_KEY[PATENT_FIELD_COLUMNS[name]].label for name in change.patent_fields)
            errors.append(
                RowError(
                    row.row_number,
                    "application_number",
                    gettext(
                        "%(number)s is offered by %(seller)s, and this row would change its record (%(columns)s). "
                        "Ask your operation centre to correct the record."
                    )
                    % {
                        "number": row.number,
                        "seller": existing.other_sellers[change.patent.id],
                        "columns": ", ".join(columns),
                    },
                )
            )
        if change.listing is not None and change.listing.status == ListingStatus.SUBMITTED and change.listing_changed:
            errors.append(
                RowError(
                    row.row_number,
                    None,
                    gettext(
                        "Listing #%(id)s of %(number)s is being reviewed by the operation centre; "
                        "recall it to a draft before importing changes to it."
                    )
                    % {"id": change.listing.id, "number": row.number},
                )
            )
    return errors


def count_changes(changes: Iterable[RowChanges]) -> ImportResult:
    created = updated = unchanged = patents_created = patents_updated = 0
    for change in changes:
        patents_created += change.patent is None
        patents_updated += change.patent is not None and change.patent_changed
        if change.listing is None:
            created += 1
        elif change.listing_changed or change.patent_changed:
            updated += 1
        else:
            unchanged += 1
    return ImportResult(created, updated, unchanged, patents_created, patents_updated)
