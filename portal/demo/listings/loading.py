"""Loading the demo listings: bulk inserts, one transaction per batch, in one process or several."""

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection, models, reset_queries, transaction

from listings.models import Listing, ListingBenefit, ListingPatent, ListingTerms, Patent
from listings.review import review_listing
from marketplace.core.processes import run_in_processes
from marketplace.organisations.models import Organisation
from portal.demo.listings.generator import build_skeleton, flesh_out
from portal.demo.listings.numbers import MAX_DEMO_LISTINGS
from portal.demo.listings.records import DemoListing, DemoPatent, DemoTerms
from portal.demo.listings.world import DEMO_SELLERS, SHANGHAI
from portal.demo.organisations import ORGANISATIONS

# Rows per INSERT statement. SQLite keeps the last 128 prepared statements, and one holding a whole batch of rows
# takes megabytes: with a statement shape per batch, memory grew by gigabytes. Statements of a fixed size share one
# shape, and the remainders are small.
ROWS_PER_INSERT = 1000
# The first listings get the full IP review that submitting and publishing run. It costs a few queries per
# listing, so the bulk beyond them keeps an empty review.
REVIEWED_LISTINGS = 500

Progress = Callable[[int, int, int], None]  # (listings checked so far, listings asked for, listings created so far)


def seed_listings(count: int, *, batch_size: int = 5000, workers: int = 1, progress: Progress | None = None) -> int:
    """Ensure demo listings 0..count-1 exist; return how many were created.

    Idempotent: listings already present are left alone (also when their rows were edited since), and a smaller
    count never deletes anything. Needs the demo organisations (seed_core) first. With workers > 1 the batches
    are shared among that many processes, each with its own connection: PostgreSQL writes in parallel, SQLite
    lets one writer in at a time, so there extra workers only wait. The rows are the same either way; only the
    order of their ids differs.
    """
    if not 0 <= count <= MAX_DEMO_LISTINGS:
        raise ValueError(f"The demo has room for 0 to {MAX_DEMO_LISTINGS:,} listings, not {count:,}.")
    if batch_size < 1 or workers < 1:
        raise ValueError("batch_size and workers must be at least 1")
    batches = [range(start, min(start + batch_size, count)) for start in range(0, count, batch_size)]
    if not batches:
        return 0
    tracker = _Tracker(count, progress)
    if workers == 1 or len(batches) == 1 or connection.in_atomic_block:
        _seed_batches(batches, tracker.batch_done)
    else:
        run_in_processes(
            "portal.demo.listings.loading.seed_batches",
            batches,
            workers=min(workers, len(batches)),
            on_report=lambda report: tracker.batch_done(*report),
            what="seeding",
            when_died="the batches it committed stay.",
        )
    if tracker.created:
        _analyze()
    return tracker.created


def default_workers() -> int:
    """As many processes as cores for PostgreSQL; one for SQLite, which takes one writer at a time."""
    return 1 if connection.vendor == "sqlite" else max(1, min(os.cpu_count() or 1, 8))


@dataclass
class _Tracker:
    total: int
    progress: Progress | None
    checked: int = 0
    created: int = 0

    def batch_done(self, checked: int, created: int) -> None:
        self.checked += checked
        self.created += created
        if self.progress is not None:
            self.progress(self.checked, self.total, self.created)


def _seed_batches(batches: list[range], batch_done: Callable[[int, int], None]) -> None:
    sellers = _sellers_on_platform()
    with _bulk_load_settings(), _timestamps_as_given(), _collecting_garbage_per_batch():
        for batch in batches:
            demos = _missing_listings(batch)
            if demos:
                with transaction.atomic():
                    _insert(demos, sellers)
            # Under DEBUG every query is kept in memory, and a bulk insert's SQL holds the whole batch.
            reset_queries()
            gc.collect(0)
            batch_done(len(batch), len(demos))


def seed_batches(batches: list[range], report: Callable[[tuple[int, int]], None]) -> None:
    """The work of one seeding process (`run_in_processes`): (checked, created) reported after each batch."""
    _seed_batches(batches, lambda checked, created: report((checked, created)))


def _sellers_on_platform() -> dict[str, Organisation]:
    codes = {seller.credit_code: seller.name for seller in DEMO_SELLERS.items}
    for data in ORGANISATIONS:  # co-applicants too
        codes.setdefault(data["credit_code"], data["name"])
    found = {codes[org.credit_code]: org for org in Organisation.objects.filter(credit_code__in=codes)}
    missing = sorted(set(codes.values()) - set(found))
    if missing:
        raise RuntimeError(f"Demo organisations missing ({', '.join(missing)}): run seed_core() first.")
    return found


def _missing_listings(batch: range) -> list[DemoListing]:
    """The listings of the batch that are not in the database yet, looked up by their first patent's number."""
    skeletons = [build_skeleton(index) for index in batch]
    numbers = [skeleton.first_number for skeleton in skeletons]
    present = set(Patent.objects.filter(application_number__in=numbers).values_list("application_number", flat=True))
    return [flesh_out(skeleton) for skeleton in skeletons if skeleton.first_number not in present]


class _Rows[M: models.Model]:
    """Builds model instances from positional arguments, about twice as fast as from keywords. The fields the first
    call does not name (the id, and any field added to the model later) get their defaults on every call."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = model._meta.concrete_fields
        self.order = [model_field.attname for model_field in self.fields]
        self.defaulted: list[models.Field] | None = None

    def __call__(self, **values: object) -> M:
        if self.defaulted is None:
            unknown = set(values) - set(self.order)
            if unknown:
                raise ValueError(f"{self.model.__name__} has no fields {sorted(unknown)}")
            self.defaulted = [model_field for model_field in self.fields if model_field.attname not in values]
        for model_field in self.defaulted:
            values[model_field.attname] = model_field.get_default()
        return self.model(*[values[attname] for attname in self.order])


@cache
def _row_builders() -> dict[str, _Rows]:
    return {
        "patent": _Rows(Patent),
        "listing": _Rows(Listing),
        "applicant": _Rows(Patent.applicants.through),
        "listing_patent": _Rows(ListingPatent),
        "terms": _Rows(ListingTerms),
        "benefit": _Rows(ListingBenefit),
    }


def _insert(demos: list[DemoListing], organisations: dict[str, Organisation]) -> None:
    build = _row_builders()
    patent_rows = [_patent_row(demo_patent, demo.created_at) for demo in demos for demo_patent in demo.patents]
    Patent.objects.bulk_create(patent_rows, batch_size=ROWS_PER_INSERT)
    listing_rows = [_listing_row(demo, organisations[demo.seller_name]) for demo in demos]
    Listing.objects.bulk_create(listing_rows, batch_size=ROWS_PER_INSERT)

    patent_ids = iter([row.pk for row in patent_rows])
    links, listing_patents, terms, benefits = [], [], [], []
    for demo, listing in zip(demos, listing_rows, strict=True):
        for position, demo_patent in enumerate(demo.patents):
            patent_id = next(patent_ids)
            listing_patents.append(
                build["listing_patent"](listing_id=listing.pk, patent_id=patent_id, position=position)
            )
            for name in demo_patent.applicant_names:
                links.append(build["applicant"](patent_id=patent_id, organisation_id=organisations[name].pk))
        for offer in demo.terms:
            terms.append(build["terms"](listing_id=listing.pk, **_terms_fields(offer)))
        for benefit in demo.benefits:
            benefits.append(
                build["benefit"](
                    listing_id=listing.pk,
                    metric=benefit.metric,
                    value=benefit.value,
                    unit=benefit.unit,
                    baseline=benefit.baseline,
                )
            )
    Patent.applicants.through.objects.bulk_create(links, batch_size=ROWS_PER_INSERT)
    ListingPatent.objects.bulk_create(listing_patents, batch_size=ROWS_PER_INSERT)
    ListingTerms.objects.bulk_create(terms, batch_size=ROWS_PER_INSERT)
    ListingBenefit.objects.bulk_create(benefits, batch_size=ROWS_PER_INSERT)

    reviewed = []
    for demo, listing in zip(demos, listing_rows, strict=True):
        if _is_reviewed(demo):
            listing.seller = organisations[demo.seller_name]
            reviewed_on = (demo.published_at or demo.submitted_at).astimezone(SHANGHAI).date()
            listing.review = review_listing(listing, today=reviewed_on)
            reviewed.append(listing)
    if reviewed:
        Listing.objects.bulk_update(reviewed, ["review"])


def _is_reviewed(demo: DemoListing) -> bool:
    """Listings that went through submission carry the review run then (the first REVIEWED_LISTINGS only)."""
    return demo.index < REVIEWED_LISTINGS and demo.submitted_at is not None


def _patent_row(patent: DemoPatent, entered_at: datetime) -> Patent:
    main_ipc = patent.ipc_codes[0] if patent.ipc_codes else ""
    return _row_builders()["patent"](
        application_number=patent.application_number,
        patent_type=patent.patent_type,
        is_pct=False,
        title=patent.title,
        abstract=patent.abstract,
        first_claim=patent.first_claim,
        ipc_codes=patent.ipc_codes,
        main_ipc=main_ipc,
        ipc_section=main_ipc[:1],
        ipc_class=main_ipc[:3],
        filing_date=patent.filing_date,
        publication_date=patent.publication_date,
        grant_date=patent.grant_date,
        legal_status=patent.legal_status,
        expiry_date=patent.expiry_date,
        applicant_names=patent.applicant_names,
        inventors=patent.inventors,
        updated_at=entered_at,
    )


def _listing_row(demo: DemoListing, seller: Organisation) -> Listing:
    return _row_builders()["listing"](
        title=demo.title,
        summary=demo.summary,
        title_en=demo.title_en,
        summary_en=demo.summary_en,
        seller_id=seller.pk,
        centre_id=seller.centre_id,
        status=demo.status,
        close_reason=demo.close_reason,
        asking_price_fen=demo.asking_price_fen,
        price_negotiable=demo.price_negotiable,
        maturity=demo.maturity,
        application_fields=demo.application_fields,
        comparison=demo.comparison,
        moderation_note=demo.moderation_note,
        review={},
        quality_score=demo.quality_score,
        created_by_id=None,
        created_at=demo.created_at,
        updated_at=demo.updated_at,
        submitted_at=demo.submitted_at,
        published_at=demo.published_at,
    )


def _terms_fields(offer: DemoTerms) -> dict[str, object]:
    return {
        "mode": offer.mode,
        "is_open": offer.is_open,
        "licence_types": offer.licence_types,
        "territory": offer.territory,
        "field_of_use": offer.field_of_use,
        "term_years": offer.term_years,
        "upfront_fee_fen": offer.upfront_fee_fen,
        "royalty_rate": offer.royalty_rate,
        "price_fen": offer.price_fen,
        "appraised_value_fen": offer.appraised_value_fen,
    }


@contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """Keep the generated created_at / updated_at: auto_now fields would otherwise all say 'now', and a listing
    published in 2024 cannot have been created today. Restored on exit; the seeding runs in one thread."""
    fields = [
        Listing._meta.get_field("created_at"),
        Listing._meta.get_field("updated_at"),
        Patent._meta.get_field("updated_at"),
    ]
    saved = [(model_field.auto_now, model_field.auto_now_add) for model_field in fields]
    for model_field in fields:
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


@contextmanager
def _collecting_garbage_per_batch() -> Iterator[None]:
    """Pause the cyclic garbage collector; the loop collects once per batch instead.

    A batch keeps tens of thousands of objects alive at once, and the collector kept walking them all: it took
    half of the loading time. Nearly everything is freed by reference counting anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _bulk_load_settings() -> Iterator[None]:
    """Session settings that speed a bulk load up without risking the data.

    SQLite: a bigger page cache, so the indexes being filled stay in memory. Synchronous stays NORMAL: with WAL
    that already skips the sync on each commit, and OFF could corrupt the file on a power cut.
    PostgreSQL: synchronous_commit off. A crash may forget the last few batches but never corrupts anything;
    running the seed again puts them back.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size")
            (previous,) = cursor.fetchone()
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            elif connection.vendor == "postgresql":
                cursor.execute("RESET synchronous_commit")


def _analyze() -> None:
    """Refresh the planner's statistics: without them SQLite's planner picks dreadful plans on big tables."""
    models = (Patent, Patent.applicants.through, Listing, ListingPatent, ListingTerms, ListingBenefit)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
