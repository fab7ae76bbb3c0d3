"""Terms that cannot contradict themselves: whatever terms a party proposes, either the service refuses them with
a reason, or the accepted terms, the contract and the payment schedule say the same thing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from deals.contracts.sections import ROYALTY_BASES, ROYALTY_PERIODS, _money, build_contract, contract_total_fen
from deals.models import RoyaltyBase, RoyaltyPeriod
from deals.services.negotiations import MAX_INSTALMENTS, MIN_INSTALMENT_FEN, offer_accept, offer_propose
from payments.models import InstalmentKind
from tests.deals.factories import negotiation_opened

pytestmark = pytest.mark.django_db

amounts = st.one_of(st.none(), st.just(0), st.integers(1, 10**10), st.integers(-10_000, -1))
rates = st.one_of(st.none(), st.just(Decimal("0")), st.decimals("0.01", "100", places=2))


bases = st.sampled_from(["", *RoyaltyBase.values])
periods = st.sampled_from(["", *RoyaltyPeriod.values])
# How a dispute is settled: a court (the commission left empty) or a named commission, and sometimes a mismatch.
forums = st.one_of(
    st.tuples(st.sampled_from(["", "court", "court_seller", "court_buyer"]), st.just("")),
    st.tuples(st.just("arbitration"), st.sampled_from(["杭州仲裁委员会", "上海国际仲裁中心"])),
    st.tuples(st.sampled_from(["arbitration", "court", "court_buyer"]), st.sampled_from(["", "宁波仲裁委员会"])),
)


UNSET = st.just("")


def licence(payment_mode, upfront, rate, minimum, base=UNSET, period=UNSET):
    return st.builds(
        lambda terms, forum: {**terms, "dispute_resolution": forum[0], "arbitration_commission": forum[1]},
        st.fixed_dictionaries(
            {
                "licence_type": st.just("ordinary"),
                "term_years": st.integers(1, 20),
                "payment_mode": payment_mode,
                "upfront_fee_fen": upfront,
                "royalty_rate": rate,
                "royalty_base": base,
                "royalty_period": period,
                "minimum_annual_royalty_fen": minimum,
            }
        ),
        forums,
    )


# Half of the terms a careful party would write for each payment mode, half anything at all.
licence_terms = st.one_of(
    licence(st.just("fixed"), st.integers(1, 10**10), st.none(), st.none()),
    licence(
        st.just("royalty"),
        st.one_of(st.none(), st.integers(0, 10**10)),
        st.decimals("0.01", "100", places=2),
        st.one_of(st.none(), st.integers(0, 10**9)),
        bases,
        periods,
    ),
    licence(st.just("free"), st.none(), st.none(), st.none()),
    licence(st.sampled_from(["fixed", "royalty", "free"]), amounts, rates, amounts),
    licence(st.sampled_from(["fixed", "royalty", "free"]), amounts, rates, amounts, bases, periods),
    licence(st.sampled_from(["fixed", "royalty", "free"]), amounts, rates, amounts, bases, periods),
)
transfer_terms = st.one_of(
    st.integers(1, MAX_INSTALMENTS).flatmap(
        lambda count: st.fixed_dictionaries(
            {"price_fen": st.integers(count * MIN_INSTALMENT_FEN, 10**10), "instalments": st.just(count)}
        )
    ),
    st.fixed_dictionaries(
        {"price_fen": amounts, "instalments": st.one_of(st.none(), st.integers(0, 2 * MAX_INSTALMENTS))}
    ),
)


def forum_consistent(terms: dict) -> bool:
    """Arbitration names its commission; a court names none."""
    return bool(terms["arbitration_commission"]) == (terms["dispute_resolution"] == "arbitration")


def licence_consistent(terms: dict) -> bool:
    """What a lawyer would call consistent, written apart from the service's own rules."""
    upfront, rate, minimum = terms["upfront_fee_fen"], terms["royalty_rate"], terms["minimum_annual_royalty_fen"]
    if any(amount is not None and amount < 0 for amount in (upfront, minimum)) or not forum_consistent(terms):
        return False
    if terms["payment_mode"] != "royalty" and (terms["royalty_base"] or terms["royalty_period"]):
        return False
    if terms["payment_mode"] == "fixed":
        return bool(upfront) and not rate and not minimum
    if terms["payment_mode"] == "royalty":
        return bool(rate)
    return not upfront and not rate and not minimum


def transfer_consistent(terms: dict) -> bool:
    price, count = terms["price_fen"], terms["instalments"] or 1
    return bool(price) and price > 0 and 1 <= count <= MAX_INSTALMENTS and price >= count * MIN_INSTALMENT_FEN


def contract_text(deal) -> str:
    with translation.override("en"):
        contract = build_contract(deal=deal, patents=deal.listing.patents.all())
        return "\n".join(
            [*(p for section in contract.sections for p in section.paragraphs)]
            + [f"{row.label}: {row.value}" for section in contract.sections for row in section.rows]
        )


def assert_forum_and_fee_agree(deal, terms: dict, text: str) -> None:
    """The forum the terms chose is the contract's; the service fee it states is the one the schedule bills."""
    offer = deal.offer
    assert offer.dispute_resolution == (terms["dispute_resolution"] or "court")
    if offer.dispute_resolution == "arbitration":
        assert f"submitted to {terms['arbitration_commission']} for arbitration" in text
    else:
        assert "arbitration" not in text.lower()
        court = {
            "court": "the people's court with jurisdiction.",
            "court_seller": "the people's court where Party A is domiciled.",
            "court_buyer": "the people's court where Party B is domiciled.",
        }[offer.dispute_resolution]
        assert court in text
    fees = [row.amount_fen for row in deal.instalments.all() if row.kind == InstalmentKind.SERVICE_FEE]
    if fees:
        assert f"that is {_money(sum(fees))}, billed" in text
    else:
        assert "The platform charges no service fee on this contract." in text


def _percent_text(value) -> str:
    return f"{Decimal(value).normalize():f} %"


def agreed_or_refused(world, listing, mode: str, terms: dict, *, consistent: bool):
    """The deal the seller's terms make once the buyer accepts them, or None when the service refused them with a
    reason: refused exactly when they are not consistent."""
    negotiation = negotiation_opened(world, listing, mode)
    try:
        offer = offer_propose(negotiation=negotiation, actor=world.seller, terms=terms)
    except ValidationError as refusal:
        event("refused")
        assert not consistent, (terms, refusal.messages)
        assert refusal.messages and all(message.strip() for message in refusal.messages)
        return None
    event("agreed")
    assert consistent, terms
    return offer_accept(offer=offer, actor=world.buyer)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=licence_terms)
def test_licence_terms_are_refused_with_a_reason_or_agree_with_the_contract_and_the_schedule(world, on_market, terms):
    with transaction.atomic():
        deal = agreed_or_refused(world, on_market, "licence", terms, consistent=licence_consistent(terms))
        if deal is not None:
            offer, text = deal.offer, contract_text(deal)
            billed = [row for row in deal.instalments.all() if row.kind != InstalmentKind.SERVICE_FEE]
            assert sum(row.amount_fen for row in billed) == (offer.upfront_fee_fen or 0)
            if offer.upfront_fee_fen:
                assert _money(offer.upfront_fee_fen) in text
            # A royalty is in the contract exactly when the mode says so; "fixed" and "free" promise none.
            assert ("royalty of" in text) == (offer.payment_mode == "royalty")
            if offer.payment_mode == "royalty":
                # Its base and reporting period: as proposed, or net sales reported quarterly when left open.
                assert offer.royalty_base == (terms["royalty_base"] or "net_sales")
                assert offer.royalty_period == (terms["royalty_period"] or "quarterly")
                with translation.override("en"):
                    base = ROYALTY_BASES[RoyaltyBase(offer.royalty_base)]()
                    period = ROYALTY_PERIODS[RoyaltyPeriod(offer.royalty_period)]()
                assert f"royalty of {_percent_text(offer.royalty_rate)} of {base}." in text
                assert f"after each {period} ends" in text
            else:
                assert offer.royalty_base == offer.royalty_period == ""
            assert_forum_and_fee_agree(deal, terms, text)
            if offer.payment_mode == "free":
                assert contract_total_fen(offer) is None and billed == []
        transaction.set_rollback(True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=transfer_terms)
def test_transfer_terms_are_refused_with_a_reason_or_agree_with_the_contract_and_the_schedule(world, on_market, terms):
    with transaction.atomic():
        deal = agreed_or_refused(world, on_market, "transfer", terms, consistent=transfer_consistent(terms))
        if deal is not None:
            offer, text = deal.offer, contract_text(deal)
            parts = [row for row in deal.instalments.order_by("sequence") if row.kind == InstalmentKind.INSTALMENT]
            assert len(parts) == offer.instalments == (terms["instalments"] or 1)
            assert sum(row.amount_fen for row in parts) == offer.price_fen == terms["price_fen"]
            assert all(row.amount_fen >= MIN_INSTALMENT_FEN for row in parts)
            assert [row.due_date for row in parts] == sorted({row.due_date for row in parts})
            assert _money(offer.price_fen) in text
            assert_forum_and_fee_agree(deal, {"dispute_resolution": "", "arbitration_commission": ""}, text)
        transaction.set_rollback(True)


def test_a_price_too_small_for_its_instalments_is_a_form_error_and_nothing_is_stored(client, world, on_market):
    negotiation = negotiation_opened(world, on_market, "transfer")
    client.force_login(world.seller)
    response = client.post(
        f"/deals/negotiations/{negotiation.pk}/offers/",
        {"offer-price_fen": "0.05", "offer-instalments": "120", "offer-note": ""},
    )
    assert response.status_code == 400
    errors = " ".join(response.context["offer_form"].non_field_errors())
    assert "¥0.05 无法分 120 期支付：每期至少 ¥1.00" in errors  # the site speaks Chinese first
    assert not negotiation.offers.exists()


def test_a_fixed_sum_licence_with_a_royalty_is_refused_with_the_way_to_agree_one(client, world, on_market):
    negotiation = negotiation_opened(world, on_market, "licence")
    client.force_login(world.seller)
    response = client.post(
        f"/deals/negotiations/{negotiation.pk}/offers/",
        {
            "offer-licence_type": "ordinary",
            "offer-payment_mode": "fixed",
            "offer-upfront_fee_fen": "100000",
            "offer-royalty_rate": "3",
            "offer-minimum_annual_royalty_fen": "",
            "offer-term_years": "5",
        },
    )
    assert response.status_code == 400
    assert "请选择“提成”支付方式" in " ".join(response.context["offer_form"].non_field_errors())
    assert not negotiation.offers.exists()


def test_arbitration_without_a_commission_is_a_form_error_and_nothing_is_stored(client, world, on_market):
    negotiation = negotiation_opened(world, on_market, "transfer")
    client.force_login(world.seller)
    response = client.post(
        f"/deals/negotiations/{negotiation.pk}/offers/",
        {"offer-price_fen": "100000", "offer-instalments": "1", "offer-dispute_resolution": "arbitration"},
    )
    assert response.status_code == 400
    assert "请写明仲裁委员会的名称" in " ".join(response.context["offer_form"].non_field_errors())
    assert not negotiation.offers.exists()


def test_a_royalty_proposed_through_the_form_keeps_its_base_period_and_forum(client, world, on_market):
    negotiation = negotiation_opened(world, on_market, "licence")
    client.force_login(world.seller)
    room = client.get(f"/deals/negotiations/{negotiation.pk}/").content.decode()
    assert 'list="arbitration-commissions"' in room and '<option value="上海国际仲裁中心">' in room
    response = client.post(
        f"/deals/negotiations/{negotiation.pk}/offers/",
        {
            "offer-licence_type": "sole",
            "offer-payment_mode": "royalty",
            "offer-royalty_rate": "4",
            "offer-royalty_base": "profit",
            "offer-royalty_period": "yearly",
            "offer-minimum_annual_royalty_fen": "",
            "offer-dispute_resolution": "arbitration",
            "offer-arbitration_commission": "上海国际仲裁中心",
            "offer-term_years": "3",
        },
    )
    assert response.status_code == 302
    offer = negotiation.offers.get()
    assert (offer.royalty_base, offer.royalty_period) == ("profit", "yearly")
    assert (offer.dispute_resolution, offer.arbitration_commission) == ("arbitration", "上海国际仲裁中心")
