"""The ledger: what a completed deal, a cancellation, a payment and a refund book, exactly once, and never edited."""

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone

from deals.models import Deal
from deals.signals import deal_completed, deal_reversed
from indicators.admin import LedgerEntryAdmin
from indicators.models import LedgerEntry, LedgerImmutableError, path_text
from indicators.selectors import Filters, figures, headline, verify
from tests.indicators.conftest import cancel, completed_deal, pay, refund

pytestmark = pytest.mark.django_db


def ledger() -> dict[str, int]:
    return dict(LedgerEntry.objects.values_list("source_key", "amount_fen"))


def test_completing_a_licence_books_turnover_and_contracted_licensing_revenue(world, licence_deal):
    entries = {entry.source_key: entry for entry in LedgerEntry.objects.all()}
    assert set(entries) == {f"deal:{licence_deal.pk}:turnover", f"deal:{licence_deal.pk}:licensing_contracted"}
    turnover = entries[f"deal:{licence_deal.pk}:turnover"]
    assert (turnover.amount_fen, turnover.technology_amount_fen) == (50_000_000, 48_000_000)
    assert entries[f"deal:{licence_deal.pk}:licensing_contracted"].technology_amount_fen == 0
    today = timezone.localdate()
    assert (turnover.booked_on, turnover.year, turnover.month) == (today, today.year, today.month)
    assert turnover.quarter == (today.month - 1) // 3 + 1
    # The dimensions as they were at booking time.
    assert turnover.city == world.university.city
    assert turnover.seller_kind == "university"
    assert turnover.ipc_section == "H"
    assert turnover.mode == "licence"
    assert turnover.centre_id == world.ningbo.id
    assert turnover.centre_path == path_text([world.root.id, world.ningbo.id])


def test_a_transfer_books_turnover_only(world):
    deal = completed_deal(world, "transfer", total=180_000_000, technology=150_000_000, ipc="G06F 16/33")
    assert ledger() == {f"deal:{deal.pk}:turnover": 180_000_000}
    assert LedgerEntry.objects.get().ipc_section == "G"


def test_a_completion_is_booked_once_however_often_its_event_arrives(world, licence_deal):
    for _ in range(5):
        deal_completed.send(sender=Deal, deal=licence_deal)
    assert LedgerEntry.objects.count() == 2
    total = headline(Filters())
    assert (total.turnover_fen, total.licensing_contracted_fen, total.deals) == (50_000_000, 50_000_000, 1)
    assert verify().ok


def test_the_database_refuses_a_second_entry_for_the_same_event(licence_deal):
    entry = LedgerEntry.objects.get(source_key=f"deal:{licence_deal.pk}:turnover")
    duplicate = LedgerEntry(
        source_key=entry.source_key,
        indicator=entry.indicator,
        amount_fen=entry.amount_fen,
        booked_on=entry.booked_on,
        centre_id=entry.centre_id,
        centre_path=entry.centre_path,
        seller_kind=entry.seller_kind,
        mode=entry.mode,
        deal_id=entry.deal_id,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_cancelling_a_completed_deal_books_reversals_and_nets_to_zero(world, licence_deal):
    cancel(world, licence_deal)
    deal_reversed.send(sender=Deal, deal=licence_deal, reason="again")  # a replayed event books nothing more
    pk = licence_deal.pk
    assert ledger() == {
        f"deal:{pk}:turnover": 50_000_000,
        f"deal:{pk}:licensing_contracted": 50_000_000,
        f"deal:{pk}:turnover:reversal": -50_000_000,
        f"deal:{pk}:licensing_contracted:reversal": -50_000_000,
    }
    reversal = LedgerEntry.objects.get(source_key=f"deal:{pk}:turnover:reversal")
    assert reversal.is_reversal and reversal.technology_amount_fen == -48_000_000
    total = headline(Filters())
    assert (total.turnover_fen, total.technology_amount_fen, total.licensing_contracted_fen, total.deals) == (
        0,
        0,
        0,
        0,
    )
    assert all(row.turnover_fen == 0 for row in figures(Filters(), "city"))
    assert verify().ok


def test_cancelling_a_deal_that_never_completed_books_nothing(world):
    from tests.indicators.conftest import agreed, published_listing

    deal = agreed(world, published_listing(world))
    cancel(world, deal)
    assert LedgerEntry.objects.count() == 0


def test_licence_fees_received_and_refunded_book_licensing_revenue_received(world, licence_deal):
    pay(licence_deal, 17, 30_000_000, "upfront", on=date(2026, 3, 5))
    pay(licence_deal, 17, 30_000_000, "upfront", on=date(2026, 3, 5))  # replayed
    pay(licence_deal, 18, 2_000_000, "royalty")
    refund(licence_deal, 5, 10_000_000, "upfront")
    refund(licence_deal, 5, 10_000_000, "upfront")  # replayed
    assert LedgerEntry.objects.get(source_key="payment:17:received").booked_on == date(2026, 3, 5)
    assert LedgerEntry.objects.get(source_key="refund:5:received").is_reversal
    assert headline(Filters()).licensing_received_fen == 30_000_000 + 2_000_000 - 10_000_000
    assert headline(Filters(year=2026, quarter=1)).licensing_received_fen == 30_000_000
    assert verify().ok


def test_the_platform_fee_and_payments_on_transfers_are_not_licensing_revenue(world, licence_deal):
    transfer = completed_deal(world, "transfer")
    pay(licence_deal, 1, 500_000, "service_fee")
    pay(transfer, 2, 180_000_000, "instalment")
    refund(transfer, 3, 1_000, "instalment")
    assert not LedgerEntry.objects.filter(indicator="licensing_received").exists()


def test_a_cancellation_leaves_revenue_received_until_it_is_refunded(world, licence_deal):
    pay(licence_deal, 1, 50_000_000)
    cancel(world, licence_deal)
    assert headline(Filters()).licensing_received_fen == 50_000_000
    refund(licence_deal, 1, 50_000_000)
    assert headline(Filters()).licensing_received_fen == 0


def test_entries_are_never_edited_or_deleted(licence_deal):
    entry = LedgerEntry.objects.first()
    entry.amount_fen = 1
    with pytest.raises(LedgerImmutableError):
        entry.save()
    with pytest.raises(LedgerImmutableError):
        entry.delete()
    with pytest.raises(LedgerImmutableError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_fen=1)
    with pytest.raises(LedgerImmutableError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_fen == 50_000_000


def test_the_admin_shows_the_ledger_read_only(world, licence_deal):
    request = RequestFactory().get("/")
    request.user = world.root_staff
    admin = LedgerEntryAdmin(LedgerEntry, site)
    entry = LedgerEntry.objects.first()
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


def test_a_sub_centres_figures_add_into_its_ancestors(world):
    from tests.factories import OrganisationFactory, signatory_member

    # 宁波甬新材料 is registered with the alliance below Ningbo; its listing is hosted there.
    alliance_seller = world.enterprise
    buyer = OrganisationFactory(name="舟山海洋科技有限公司", centre=world.hangzhou)
    buyer_user = signatory_member(buyer, role="member")
    at_alliance = completed_deal(
        world,
        "transfer",
        total=300_000_000,
        technology=300_000_000,
        seller=alliance_seller,
        seller_user=world.buyer,
        buyer=buyer,
        buyer_user=buyer_user,
    )
    at_ningbo = completed_deal(world, "licence", total=50_000_000)
    assert at_alliance.centre_id == world.ningbo_alliance.id and at_ningbo.centre_id == world.ningbo.id
    by_centre = {row.key: row for row in figures(Filters(), "centre")}
    assert by_centre[str(world.ningbo_alliance.id)].turnover_fen == 300_000_000
    assert by_centre[str(world.ningbo.id)].turnover_fen == 350_000_000
    assert by_centre[str(world.root.id)].turnover_fen == 350_000_000
    assert by_centre[str(world.hangzhou.id)].turnover_fen == 0
    assert by_centre[str(world.ningbo_alliance.id)].depth == by_centre[str(world.ningbo.id)].depth + 1
    # A centre's own figures include the centres below it, and only those.
    assert headline(Filters(centre_id=world.ningbo.id)).turnover_fen == 350_000_000
    assert headline(Filters(centre_id=world.ningbo_alliance.id)).turnover_fen == 300_000_000
    assert headline(Filters(centre_id=world.hangzhou.id)).turnover_fen == 0
    within_ningbo = {row.key: row.turnover_fen for row in figures(Filters(centre_id=world.ningbo.id), "centre")}
    assert within_ningbo == {str(world.ningbo.id): 350_000_000, str(world.ningbo_alliance.id): 300_000_000}
