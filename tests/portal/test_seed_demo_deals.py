"""The demo deals: made through the services, spread over three years, booked in the ledger by its receivers, and
there for every page on first run."""

from collections import Counter
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from auctions.models import AuctionRound, Bid, Deposit, DepositStatus, FailureReason, RoundStatus
from auctions.rules import rules_for
from auctions.services import deposits_to_return, phase
from deals.models import Deal, DealStatus, Negotiation, Offer, PriceNotice, PriceNoticeStatus, SignedContract
from indicators.models import LedgerEntry
from indicators.selectors import Filters, disclosed_row, disclosed_rows, figures, headline
from listings.models import Mode
from marketplace.accounts.models import User
from marketplace.centres.selectors import staff_scope
from marketplace.organisations.selectors import is_signatory
from payments.models import BankTransfer, Instalment, InstalmentStatus, Payment, PaymentStatus, Refund, RoyaltyReport
from portal.demo.deals import Stage, plan_deals
from portal.demo.deals.plan import COMPLETED_DEALS
from portal.demo.organisations import ORGANISATIONS

KIND = {data["name"]: data["kind"] for data in ORGANISATIONS}


def test_the_plan_spreads_completed_deals_over_three_years_every_mode_and_kind_with_enough_per_cell():
    today = timezone.localdate()
    plan = [deal for deal in plan_deals(today) if deal.stage == Stage.COMPLETED]
    assert len(plan) == COMPLETED_DEALS
    assert plan_deals(today) == plan_deals(today)  # deterministic
    last_year = today.year - 1
    accepted_last_year = [deal for deal in plan if deal.accepted_on.year == last_year]
    for mode in Mode.values:
        assert sum(deal.mode == mode for deal in accepted_last_year) >= 3, mode
    for kind in ("university", "institute", "enterprise"):
        assert sum(KIND[deal.seller] == kind for deal in accepted_last_year) >= 3, kind
    assert {deal.payment_mode for deal in plan if deal.mode == Mode.LICENCE} == {"fixed", "royalty"}
    assert {deal.accepted_on.year for deal in plan} >= {today.year - 2, last_year, today.year}
    assert len({deal.listing_index for deal in plan_deals(today)}) == len(plan_deals(today))  # a listing once


@override_settings(PRICE_NOTICE_DAYS=15)  # as on a real site: public sellers' agreed prices are noticed for 15 days
class SeededDemoDealsTests(TestCase):
    """Seeded once for the class (the seed with its deals takes a while); each test runs in its own savepoint."""

    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("seed_demo", "--workers", "1", stdout=cls.output)

    def test_the_seed_reports_its_deals(self):
        assert "deals: 71 (71 created" in self.output.getvalue()

    def test_deals_went_through_the_services_to_completion_and_a_few_are_under_way(self):
        # The deal of the demo's sold bidding round is not one of these: it was made by the round (below).
        statuses = Counter(Deal.objects.filter(auction_round=None).values_list("status", flat=True))
        assert statuses[DealStatus.COMPLETED] == COMPLETED_DEALS
        assert statuses[DealStatus.CONTRACT_SIGNED] == 4 and statuses[DealStatus.AGREED] == 1
        completed = Deal.objects.filter(status=DealStatus.COMPLETED)
        # Accepted by both signatories, signed by both, every fixed amount paid by a transfer two people handled.
        for deal in completed.select_related("offer"):
            assert deal.offer.buyer_accepted_by_id and deal.offer.seller_accepted_by_id
            assert deal.buyer_signed_by_id and deal.seller_signed_by_id and deal.registration
        transfers = BankTransfer.objects.filter(payment__status=PaymentStatus.SUCCEEDED)
        assert transfers.exists()
        assert not transfers.filter(confirmed_by=None).exists()
        assert all(transfer.recorded_by_id != transfer.confirmed_by_id for transfer in transfers)
        assert RoyaltyReport.objects.exists()
        # The contracts are signed by the platform (the task runs at once under the test settings).
        assert SignedContract.objects.count() == COMPLETED_DEALS + 4

    def test_completed_deals_are_dated_over_three_years_and_booked_on_their_completion_day(self):
        today = timezone.localdate()
        years = Counter(
            timezone.localdate(moment).year for moment in Deal.objects.values_list("completed_at", flat=True) if moment
        )
        assert set(years) == {today.year - 2, today.year - 1, today.year}
        assert years[today.year - 1] >= 15
        for deal in Deal.objects.filter(status=DealStatus.COMPLETED):
            entry = LedgerEntry.objects.get(source_key=f"deal:{deal.pk}:turnover")
            assert entry.booked_on == timezone.localdate(deal.completed_at) == deal.registration.registered_on
            assert deal.negotiation.created_at < deal.created_at < deal.completed_at

    def test_the_ledger_matches_the_deals(self):
        out = StringIO()
        call_command("indicators_verify", stdout=out)
        assert "The ledger matches the deals" in out.getvalue()

    @override_settings(INDICATORS_MIN_DEALS=3)
    def test_the_public_dashboard_shows_last_years_figures_for_every_mode_and_hides_few_cells(self):
        year = timezone.localdate().year - 1
        total = disclosed_row(headline(Filters(year=year)))
        assert total.turnover_fen > 0 and total.licensing_contracted_fen > 0 and total.licensing_received_fen > 0
        assert total.deals >= 15
        by_mode = {row.key: row for row in disclosed_rows(figures(Filters(year=year), "mode"))}
        for mode in Mode.values:
            assert by_mode[mode].turnover_fen > 0, mode
        shown = hidden = 0
        for by in ("city", "centre", "seller_kind", "ipc_section", "mode", "quarter"):
            for row in disclosed_rows(figures(Filters(year=year), by)):
                hidden += row.suppressed
                shown += not row.suppressed and bool(row.turnover_fen)
        assert shown > 2 * hidden
        response = self.client.get("/indicators/", {"year": year})
        assert response.status_code == 200

    def test_a_second_seed_creates_nothing_and_changes_nothing(self):
        def snapshot():
            return (
                list(Deal.objects.order_by("pk").values_list("pk", "status", "completed_at", "settled_at")),
                Negotiation.objects.count(),
                Offer.objects.count(),
                list(Instalment.objects.order_by("pk").values_list("pk", "status", "paid_at")),
                Payment.objects.count(),
                RoyaltyReport.objects.count(),
                list(LedgerEntry.objects.order_by("pk").values_list("source_key", "amount_fen", "booked_on")),
                User.objects.count(),
                list(AuctionRound.objects.order_by("pk").values_list("pk", "status", "ends_at", "price_fen", "deal")),
                list(Deposit.objects.order_by("pk").values_list("pk", "status")),
                Bid.objects.count(),
            )

        first = snapshot()
        out = StringIO()
        call_command("seed_demo", "--workers", "1", stdout=out)
        assert snapshot() == first
        assert "deals: 71 (0 created" in out.getvalue()
        assert "bidding rounds: 4 (0 created" in out.getvalue()

    def test_a_seeded_deals_pages_answer_its_parties(self):
        deal = Deal.objects.filter(
            status=DealStatus.COMPLETED, buyer__name="杭州数衡智能科技有限公司", seller__name="浙江大学"
        ).first()
        assert deal is not None
        for email in ("buyer@demo.ipx.cn", "seller.zju@demo.ipx.cn"):
            self.client.force_login(User.objects.get(email=email))
            for url in (
                f"/deals/{deal.pk}/",
                f"/deals/{deal.pk}/contract/",
                f"/deals/{deal.pk}/contract.pdf",
                f"/payments/deals/{deal.pk}/",
                "/deals/",
            ):
                assert self.client.get(url).status_code == 200, (email, url)

    def test_public_sellers_deals_were_signed_after_their_price_notice_and_one_notice_runs_today(self):
        now = timezone.now()
        public = Deal.objects.filter(seller__kind__in=["university", "institute"]).select_related("price_notice")
        assert public.count() > 20
        for deal in public.exclude(buyer_signed_at=None):
            notice = deal.price_notice
            assert notice.status == PriceNoticeStatus.CLEARED
            assert notice.ends_at - notice.starts_at == timedelta(days=15)
            assert notice.ends_at <= min(deal.buyer_signed_at, deal.seller_signed_at or now)
        assert not PriceNotice.objects.filter(deal__seller__kind="enterprise").exists()
        running = PriceNotice.objects.get(status=PriceNoticeStatus.OPEN)
        assert running.deal.status == DealStatus.AGREED and running.ends_at > now
        assert running.deal.buyer_signed_at is None
        listed = self.client.get("/notices/").content.decode()
        assert running.get_absolute_url() in listed

    def test_the_demo_buyer_has_an_overdue_instalment_and_a_transfer_awaits_a_second_staff_member(self):
        today = timezone.localdate()
        overdue = Instalment.objects.filter(
            deal__buyer__name="杭州数衡智能科技有限公司", status=InstalmentStatus.DUE, due_date__lt=today
        )
        assert overdue.exists()
        assert Payment.objects.filter(status=PaymentStatus.AWAITING_CONFIRMATION).count() == 1
        assert Instalment.objects.filter(status=InstalmentStatus.DUE, due_date__gt=today).exists()
        self.client.force_login(User.objects.get(email="buyer@demo.ipx.cn"))
        deal = overdue.first().deal
        response = self.client.get(f"/payments/deals/{deal.pk}/")
        assert response.status_code == 200
        assert deal.created_at.date() < today - timedelta(days=30)

    def test_the_demo_holds_a_round_in_bidding_an_announced_one_a_sold_one_and_a_failed_one(self):
        assert "bidding rounds: 4 (4 created" in self.output.getvalue()
        now = timezone.now()
        rounds = {phase(round_): round_ for round_ in AuctionRound.objects.select_related("listing__seller", "deal")}
        assert AuctionRound.objects.count() == 4
        assert set(rounds) == {"bidding", "announced", RoundStatus.SOLD, RoundStatus.FAILED}
        for round_ in rounds.values():
            assert round_.listing.seller.kind in ("university", "institute")
            for bid in round_.bids.select_related("bidder", "placed_by"):
                assert bid.bidder.verified and is_signatory(bid.placed_by, bid.bidder)
        live = rounds["bidding"]
        assert timedelta(days=1) < live.ends_at - now < timedelta(days=3)
        assert live.listing.seller.name == "浙江大学" and live.mode == Mode.TRANSFER
        assert live.deposits.filter(status=DepositStatus.PAID).count() == 3
        assert live.bid_count >= 3 and live.bids.order_by().values("bidder").distinct().count() == 2
        announced = rounds["announced"]
        rules = rules_for(announced.centre_id)
        assert (
            rules.min_announcement_days <= (announced.bidding_starts_at - now).days <= rules.min_announcement_days + 2
        )
        assert announced.one_bidder_rule == rules.one_bidder_rule and not announced.bids.exists()
        sold = rounds[RoundStatus.SOLD]
        assert sold.deal is not None and sold.deal.buyer_id == sold.top_bid.bidder_id
        assert sold.mode == Mode.TRANSFER and sold.deal.offer.price_fen == sold.price_fen == sold.top_bid.amount_fen
        assert sold.deposits.count() == 2 and sold.bids.order_by().values("bidder").distinct().count() == 2
        assert sold.closed_at < now
        failed = rounds[RoundStatus.FAILED]
        assert failed.failure_reason in (FailureReason.NO_BIDS, FailureReason.BELOW_RESERVE) and failed.deal is None

    def test_the_live_ladder_names_bidders_by_pseudonym_and_the_sold_round_shows_its_result_notice(self):
        live = AuctionRound.objects.get(status=RoundStatus.OPEN, bid_count__gt=0)
        page = self.client.get(live.get_absolute_url()).content.decode()
        for deposit in live.deposits.select_related("organisation"):
            if live.bids.filter(bidder=deposit.organisation).exists():
                assert str(deposit.pseudonym) in page
            assert deposit.organisation.name not in page
        self.client.force_login(User.objects.get(email="buyer@demo.ipx.cn"))
        assert 'id="bid-form"' in self.client.get(live.get_absolute_url()).content.decode()
        self.client.logout()
        sold = AuctionRound.objects.get(status=RoundStatus.SOLD)
        page = self.client.get(sold.get_absolute_url()).content.decode()
        assert "成交公告" in page
        assert self.client.get("/auctions/").status_code == 200

    def test_every_deposit_of_an_ended_round_but_the_winners_is_refunded_and_each_was_paid_under_four_eyes(self):
        for deposit in Deposit.objects.select_related("round__deal", "instalment"):
            round_ = deposit.round
            transfer = BankTransfer.objects.select_related("recorded_by", "confirmed_by").get(
                payment__instalment=deposit.instalment
            )
            assert transfer.recorded_by_id != transfer.confirmed_by_id
            for person in (transfer.recorded_by, transfer.confirmed_by):
                assert staff_scope(person).covers(round_.centre_id)
            winner = round_.deal is not None and round_.deal.buyer_id == deposit.organisation_id
            if round_.status == RoundStatus.OPEN or winner:
                assert deposit.status == DepositStatus.PAID and deposit.instalment.status == InstalmentStatus.PAID
            else:
                assert deposit.status == DepositStatus.REFUNDED, deposit
                assert deposit.instalment.status == InstalmentStatus.REFUNDED
                refunds = Refund.objects.filter(payment__instalment=deposit.instalment, created_by=None)
                refunded = sum(refunds.values_list("amount_fen", flat=True))
                assert refunded == deposit.instalment.amount_fen
        assert Deposit.objects.filter(status=DepositStatus.REFUNDED).count() == 3
        assert deposits_to_return() == []  # nothing left for the task runner's sweep
