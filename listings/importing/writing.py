"""Writing a checked import plan: one transaction, bulk writes, and only what changes."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from listings.importing.checking import ImportPlan
from listings.importing.columns import ImportRejected, ImportResult, rejected
from listings.importing.state import (
    PlannedRow,
    RowChanges,
    chunks,
    count_changes,
    find_conflicts,
    load_existing,
    row_changes,
)
from listings.models import Listing, ListingPatent, ListingStatus, ListingTerms, Patent
from listings.signals import listing_changed
from marketplace.organisations.models import Organisation
from marketplace.organisations.selectors import organisation_ids_of

WRITE_BATCH = 500


def execute_plan(plan: ImportPlan, actor=None) -> ImportResult:
    """Write a valid plan in one transaction: upsert the patents and the seller's draft listings with their terms.

    The database is read again inside the transaction, with the rows locked, so what was checked is what is
    written; a conflict that appeared since the check rejects the whole file. Rows that already say exactly
    what the file says are not written at all. `actor` (None: a command run by an operator) must belong to
    the seller.
    """
    if not plan.is_valid:
        raise ValueError("an import plan with errors cannot be executed")
    seller = plan.seller
    if actor is not None and seller.id not in organisation_ids_of(actor):
        raise PermissionDenied(gettext("You can only list patents for an organisation you belong to."))
    try:
        with transaction.atomic():
            existing = load_existing(seller, plan.rows, lock=True)
            changes = [row_changes(row, existing) for row in plan.rows]
            conflicts = find_conflicts(plan.rows, changes, existing)
            if conflicts:
                raise ImportRejected(conflicts)
            _write(plan.rows, changes, seller, actor)
    except IntegrityError:
        # Another import created one of the same patents in the meantime; the transaction has rolled back.
        raise rejected(
            gettext("Someone imported some of these patents at the same time. Nothing was imported; try again.")
        ) from None
    return count_changes(changes)


def _write(rows: Sequence[PlannedRow], changes: Sequence[RowChanges], seller: Organisation, actor) -> None:
    now = timezone.now()
    patents = _write_patents(rows, changes, now)
    listings = _write_listings(rows, changes, patents, seller, actor, now)
    _write_terms(rows, changes, listings)
    # Search, and anyone else who follows published listings, hears of each change (after commit, on their side).
    for change, listing in zip(changes, listings, strict=True):
        if listing.status == ListingStatus.PUBLISHED and (change.listing_changed or change.patent_changed):
            listing_changed.send(sender=Listing, listing=listing)


def _write_patents(rows: Sequence[PlannedRow], changes: Sequence[RowChanges], now) -> list[Patent]:
    """Create the new patents, update the changed ones, link applicants; returns each row's patent."""
    patents: list[Patent] = []
    new: list[Patent] = []
    changed: list[Patent] = []
    changed_fields: set[str] = set()
    for row, change in zip(rows, changes, strict=True):
        patent = change.patent
        if patent is None:
            patent = Patent(**row.patent)
            new.append(patent)
        elif change.patent_changed:
            for name in change.patent_fields:
                setattr(patent, name, row.patent[name])
            patent.updated_at = now  # bulk_update skips auto_now
            changed_fields.update(change.patent_fields)
            changed.append(patent)
        patents.append(patent)
    Patent.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if changed:
        Patent.objects.bulk_update(changed, [*sorted(changed_fields), "updated_at"], batch_size=WRITE_BATCH)

    through = Patent.applicants.through
    links = [
        through(patent_id=patent.id, organisation_id=organisation_id)
        for change, patent in zip(changes, patents, strict=True)
        for organisation_id in sorted(change.applicants_to_add)
    ]
    through.objects.bulk_create(links, batch_size=WRITE_BATCH)
    for change, patent in zip(changes, patents, strict=True):
        if change.applicants_to_remove:
            through.objects.filter(patent_id=patent.id, organisation_id__in=change.applicants_to_remove).delete()
    return patents


def _write_listings(
    rows: Sequence[PlannedRow],
    changes: Sequence[RowChanges],
    patents: Sequence[Patent],
    seller: Organisation,
    actor,
    now,
) -> list[Listing]:
    """Create a draft for each row without an open listing of just its patent; update the changed ones."""
    listings: list[Listing] = []
    new: list[Listing] = []
    changed: list[Listing] = []
    changed_fields: set[str] = set()
    for row, change in zip(rows, changes, strict=True):
        listing = change.listing
        if listing is None:
            listing = Listing(
                seller=seller, centre_id=seller.centre_id, status=ListingStatus.DRAFT, created_by=actor, **row.listing
            )
            new.append(listing)
        elif change.listing_changed:
            for name in change.listing_fields:
                setattr(listing, name, row.listing[name])
            listing.updated_at = now  # also when only its terms change: the offer is part of the listing
            changed_fields.update(change.listing_fields)
            changed.append(listing)
        listings.append(listing)
    Listing.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if changed:
        Listing.objects.bulk_update(changed, [*sorted(changed_fields), "updated_at"], batch_size=WRITE_BATCH)
    ListingPatent.objects.bulk_create(
        [
            ListingPatent(listing=listing, patent=patent, position=0)
            for change, listing, patent in zip(changes, listings, patents, strict=True)
            if change.listing is None
        ],
        batch_size=WRITE_BATCH,
    )
    return listings


def _write_terms(rows: Sequence[PlannedRow], changes: Sequence[RowChanges], listings: Sequence[Listing]) -> None:
    """One record per offered mode: create, update or delete, as the file states the whole offer."""
    new: list[ListingTerms] = []
    changed: list[ListingTerms] = []
    changed_fields: set[str] = set()
    deleted: list[int] = []
    for row, change, listing in zip(rows, changes, listings, strict=True):
        modes_to_create = row.terms if change.listing is None else change.terms_to_create
        new.extend(ListingTerms(listing=listing, mode=mode, **row.terms[mode]) for mode in modes_to_create)
        for mode, names in change.terms_to_update.items():
            record = change.current_terms[mode]
            for name in names:
                setattr(record, name, row.terms[mode][name])
            changed_fields.update(names)
            changed.append(record)
        deleted.extend(record.id for record in change.terms_to_delete)
    ListingTerms.objects.bulk_create(new, batch_size=WRITE_BATCH)
    if changed:
        ListingTerms.objects.bulk_update(changed, sorted(changed_fields), batch_size=WRITE_BATCH)
    for chunk in chunks(deleted):
        ListingTerms.objects.filter(id__in=chunk).delete()
