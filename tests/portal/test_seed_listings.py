import hashlib
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from listings.models import (
    LegalStatus,
    Listing,
    ListingBenefit,
    ListingPatent,
    ListingStatus,
    ListingTerms,
    Mode,
    Patent,
    PatentType,
)
from listings.patents.ipc import parse_ipc
from listings.patents.numbers import parse_application_number
from listings.patents.terms import is_listable, patent_expiry, remaining_term
from listings.quality import assess_quality
from portal.demo.listings import (
    DEMO_TODAY,
    MAX_DEMO_LISTINGS,
    REVIEWED_LISTINGS,
    demo_listing,
    first_application_number,
    scramble,
    seed_listings,
)
from portal.demo.seed import seed_core

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MIN_FEN, MAX_FEN = 10_000_000, 2_000_000_000  # 10万 to 2000万元


def listing_rows():
    """Everything that identifies the demo listings, independent of database ids."""
    return sorted(
        Listing.objects.values_list(
            "listing_patents__patent__application_number",
            "listing_patents__patent__title",
            "title",
            "status",
            "asking_price_fen",
            "quality_score",
        )
    )


def digest(rows) -> str:
    # str() because the generator hands out choices members (ListingStatus.PUBLISHED) where the database has strings.
    return hashlib.sha256(repr([tuple(map(str, row)) for row in rows]).encode()).hexdigest()


def generated_digest(count: int) -> str:
    rows = sorted(
        (patent.application_number, patent.title, listing.title, listing.status)
        for listing in map(demo_listing, range(count))
        for patent in listing.patents
    )
    return digest(rows)


def counts():
    return (
        Patent.objects.count(),
        Listing.objects.count(),
        ListingPatent.objects.count(),
        ListingTerms.objects.count(),
        ListingBenefit.objects.count(),
        Patent.applicants.through.objects.count(),
    )


def delete_demo_listings():
    ListingBenefit.objects.all().delete()
    ListingTerms.objects.all().delete()
    ListingPatent.objects.all().delete()
    Listing.objects.all().delete()
    Patent.objects.all().delete()


@pytest.fixture(scope="class")
def seeded_default(django_db_setup, django_db_blocker):
    """The default demo, seeded once for the class inside a transaction that is rolled back afterwards; each test
    runs in a savepoint within it, as Django's TestCase.setUpTestData does."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("seeded_default")
class TestTheDefaultDemo:
    """`seed_demo` with its defaults: the 500 listings a fresh demo site gets."""

    def test_seed_demo_creates_at_least_500_listings_by_default(self):
        assert Listing.objects.count() >= 500
        assert Patent.objects.count() > Listing.objects.count()  # some portfolios

    def test_every_application_number_is_valid_and_matches_the_patent_type(self):
        for number, patent_type, filing_date in Patent.objects.values_list(
            "application_number", "patent_type", "filing_date"
        ):
            parsed = parse_application_number(number)
            assert parsed.normalised == number
            assert parsed.patent_type == patent_type
            assert parsed.year == filing_date.year
            assert 2008 <= parsed.year <= 2024

    def test_patent_types_are_mostly_inventions_with_some_utility_models_and_few_designs(self):
        types = list(Patent.objects.values_list("patent_type", flat=True))
        share = {patent_type: types.count(patent_type) / len(types) for patent_type in PatentType.values}
        assert share[PatentType.INVENTION] > 0.6
        assert 0.05 < share[PatentType.UTILITY_MODEL] < 0.3
        assert 0 < share[PatentType.DESIGN] < 0.1

    def test_ipc_codes_are_valid_and_the_main_one_fills_the_filter_columns(self):
        for patent in Patent.objects.all():
            if patent.patent_type == PatentType.DESIGN:
                assert patent.ipc_codes == []  # designs are classified by Locarno, not the IPC
                continue
            assert patent.ipc_codes, patent.application_number
            for code in patent.ipc_codes:
                assert parse_ipc(code).normalised == code
            assert patent.main_ipc == patent.ipc_codes[0]
            assert (patent.ipc_section, patent.ipc_class) == (patent.main_ipc[0], patent.main_ipc[:3])

    def test_many_technology_fields_and_all_eight_ipc_sections_are_represented(self):
        sections = set(Patent.objects.exclude(ipc_section="").values_list("ipc_section", flat=True))
        assert sections == set("ABCDEFGH")
        assert Patent.objects.values("ipc_class").distinct().count() >= 25
        assert len({demo_listing(index).field_key for index in range(500)}) >= 12

    def test_published_listings_offer_only_listable_patents_in_force_beyond_today(self):
        today = date.today()
        published = Listing.objects.filter(status=ListingStatus.PUBLISHED).prefetch_related("patents")
        assert published.count() > 300
        for listing in published:
            for patent in listing.patents.all():
                assert is_listable(patent.legal_status), patent.application_number
                assert patent.expiry_date > today

    def test_lapsed_and_expired_patents_stay_off_the_market(self):
        dead = Patent.objects.exclude(
            legal_status__in=[LegalStatus.GRANTED, LegalStatus.PUBLISHED, LegalStatus.EXAMINATION]
        )
        assert dead.exists()
        statuses = set(Listing.objects.filter(patents__in=dead).values_list("status", flat=True))
        assert statuses <= {ListingStatus.EXPIRED, ListingStatus.DRAFT}

    def test_patent_dates_and_expiry_are_consistent(self):
        for patent in Patent.objects.all():
            assert patent.expiry_date == patent_expiry(patent.patent_type, patent.filing_date)
            if patent.publication_date:
                assert patent.publication_date > patent.filing_date
            if patent.grant_date:
                assert patent.grant_date >= patent.publication_date
                assert patent.grant_date <= DEMO_TODAY
            if patent.legal_status == LegalStatus.GRANTED:
                assert patent.grant_date is not None
            if patent.legal_status in (LegalStatus.PUBLISHED, LegalStatus.EXAMINATION):
                assert patent.grant_date is None and patent.patent_type == PatentType.INVENTION

    def test_listings_are_hosted_by_the_sellers_centre_and_the_seller_is_an_applicant(self):
        for listing in Listing.objects.select_related("seller").prefetch_related("patents__applicants"):
            assert listing.centre_id == listing.seller.centre_id
            for patent in listing.patents.all():
                assert listing.seller.name in patent.applicant_names
                assert listing.seller in patent.applicants.all()
                assert 2 <= len(patent.inventors) <= 7

    def test_every_published_listing_offers_a_mode_with_positive_whole_amounts(self):
        for listing in Listing.objects.filter(status=ListingStatus.PUBLISHED).prefetch_related("terms"):
            terms = list(listing.terms.all())
            assert terms, listing.pk
            for offer in terms:
                assert offer.is_open
                if offer.mode == Mode.LICENCE:
                    assert offer.licence_types and offer.territory == "中国大陆"
                    assert 3 <= offer.term_years <= 10
                    assert offer.upfront_fee_fen or offer.royalty_rate
                elif offer.mode == Mode.TRANSFER:
                    assert offer.price_fen
                else:
                    assert offer.appraised_value_fen
        for amounts in ListingTerms.objects.values_list("upfront_fee_fen", "price_fen", "appraised_value_fen"):
            for amount in filter(None, amounts):
                assert isinstance(amount, int) and MIN_FEN <= amount <= MAX_FEN
        for rate in ListingTerms.objects.exclude(royalty_rate=None).values_list("royalty_rate", flat=True):
            assert Decimal("0.5") <= rate <= Decimal("10")
        for price in Listing.objects.exclude(asking_price_fen=None).values_list("asking_price_fen", flat=True):
            assert isinstance(price, int) and MIN_FEN <= price <= MAX_FEN

    def test_listing_statuses_are_mostly_published_with_the_others_present(self):
        statuses = list(Listing.objects.values_list("status", flat=True))
        assert statuses.count(ListingStatus.PUBLISHED) / len(statuses) > 0.6
        assert {ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.PAUSED, ListingStatus.CLOSED} <= set(
            statuses
        )
        closed = Listing.objects.filter(status=ListingStatus.CLOSED)
        assert not closed.filter(close_reason="").exists()
        assert not ListingTerms.objects.filter(listing__in=closed, is_open=True).exists()

    def test_published_listings_have_benefits_with_baselines_and_a_review(self):
        published = Listing.objects.filter(status=ListingStatus.PUBLISHED).order_by("pk")
        with_benefits = published.filter(benefits__isnull=False).distinct().count()
        assert with_benefits / published.count() > 0.8
        for benefit in ListingBenefit.objects.all():
            assert benefit.metric and benefit.value and benefit.baseline
        reviewed = [listing for listing in published if listing.review]
        assert len(reviewed) > 0.6 * min(published.count(), REVIEWED_LISTINGS)
        assert all(listing.review["overall"] in ("pass", "warn") for listing in reviewed)

    def test_listing_dates_follow_the_moderation_flow(self):
        for listing in Listing.objects.prefetch_related("patents"):
            if listing.published_at:
                assert listing.created_at < listing.submitted_at < listing.published_at <= listing.updated_at
                first_public = max(patent.publication_date for patent in listing.patents.all())
                assert listing.published_at.date() > first_public
            elif listing.submitted_at:
                assert listing.created_at < listing.submitted_at
            assert listing.created_at <= listing.updated_at

    def test_stored_quality_scores_are_what_the_quality_check_says(self):
        today = date.today()
        checked = 0
        for listing in Listing.objects.prefetch_related("patents", "terms")[:150]:
            patents = list(listing.patents.all())
            # The seed counts remaining term from DEMO_TODAY, the check from today: skip listings where that matters.
            if any(
                remaining_term(p.patent_type, p.filing_date, today).years
                != remaining_term(p.patent_type, p.filing_date, DEMO_TODAY).years
                for p in patents
            ):
                continue
            assert listing.quality_score == assess_quality(listing).score, listing.pk
            checked += 1
        assert checked > 100

    def test_seed_demo_if_empty_skips_the_listings_too(self):
        before = counts()
        call_command("seed_demo", "--if-empty", "--listings", "600")
        assert counts() == before


def test_seeding_twice_creates_nothing_and_changes_nothing(db):
    seed_core()
    assert seed_listings(60, batch_size=25) == 60
    first_counts, first_rows = counts(), listing_rows()
    assert seed_listings(60, batch_size=25) == 0
    assert counts() == first_counts
    assert listing_rows() == first_rows


def test_growing_from_n_to_m_adds_m_minus_n_listings(db):
    seed_core()
    seed_listings(50)
    patents_before = set(Patent.objects.values_list("application_number", flat=True))
    assert seed_listings(80, batch_size=30) == 30
    assert Listing.objects.count() == 80
    assert patents_before < set(Patent.objects.values_list("application_number", flat=True))
    assert seed_listings(40) == 0  # a smaller count deletes nothing
    assert Listing.objects.count() == 80


def test_seeding_fills_gaps_left_by_deleted_listings(db):
    seed_core()
    seed_listings(30)
    number = first_application_number(7)
    listing = Listing.objects.get(listing_patents__patent__application_number=number)
    patent_ids = list(listing.patents.values_list("pk", flat=True))
    listing.delete()
    Patent.objects.filter(pk__in=patent_ids).delete()
    assert seed_listings(30) == 1
    assert Listing.objects.filter(listing_patents__patent__application_number=number).exists()


def test_the_same_listings_come_out_whatever_the_batches(db):
    seed_core()
    seed_listings(80, batch_size=7)
    in_small_batches = listing_rows()
    delete_demo_listings()
    seed_listings(80, batch_size=80)
    assert listing_rows() == in_small_batches
    stored = sorted(
        Listing.objects.values_list(
            "listing_patents__patent__application_number", "listing_patents__patent__title", "title", "status"
        )
    )
    assert digest(stored) == generated_digest(80)


def test_the_generator_does_not_depend_on_the_process_or_its_hash_seed():
    script = (
        "import django; django.setup(); "
        "from tests.portal.test_seed_listings import generated_digest; print(generated_digest(120))"
    )
    # A string hash seed of its own: set iteration order differs from this process's.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": str(ROOT),
        "PYTHONHASHSEED": "12345",
    }
    other_process = subprocess.run(  # noqa: S603 - our own interpreter running a fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    assert other_process.stdout.strip() == generated_digest(120)


def test_application_numbers_never_collide():
    assert len({scramble(index) for index in range(0, MAX_DEMO_LISTINGS, 97)}) == len(range(0, MAX_DEMO_LISTINGS, 97))
    numbers = [patent.application_number for index in range(3000) for patent in demo_listing(index).patents]
    assert len(numbers) == len(set(numbers))


def test_listing_count_is_bounded():
    with pytest.raises(ValueError):
        seed_listings(MAX_DEMO_LISTINGS + 1)


@pytest.mark.django_db(transaction=True)
def test_worker_processes_insert_the_same_listings():
    seed_core()
    seed_listings(40, batch_size=10, workers=2)
    assert Listing.objects.count() == 40
    rows = sorted(
        Listing.objects.values_list(
            "listing_patents__patent__application_number", "listing_patents__patent__title", "title", "status"
        )
    )
    assert digest(rows) == generated_digest(40)
