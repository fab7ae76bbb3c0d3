"""What a demo listing asks: the value of the offer, its terms by mode, and the headline price."""

import math
import random
from decimal import Decimal

from listings.models import CloseReason, LicenceType, Mode, PatentType
from listings.patents.terms import LegalStatus
from portal.demo.listings.draws import between
from portal.demo.listings.records import DemoPatent, DemoTerms
from portal.demo.listings.world import (
    DEMO_TODAY,
    LICENCE_TYPES,
    MATURITY_PRICE_FACTORS,
    MAX_AMOUNT_YUAN,
    MIN_AMOUNT_YUAN,
    MODE_SHARES,
    DemoSeller,
)
from portal.demo.technologies import TechnologyField


def offer_value_yuan(rng: random.Random, technology: TechnologyField, maturity: str, patents: list[DemoPatent]) -> int:
    """The value of the whole offer (its transfer price) from 10万 to 2000万元: log-uniform around a few hundred
    thousand yuan, dearer for valuable fields, mature technology, portfolios and long remaining terms."""
    value = math.exp(math.log(200_000) + (math.log(3_000_000) - math.log(200_000)) * rng.random())
    value *= technology.price_factor * MATURITY_PRICE_FACTORS[maturity]
    value *= 1 + 0.6 * (len(patents) - 1)
    lead = patents[0]
    value *= {PatentType.INVENTION: 1.0, PatentType.UTILITY_MODEL: 0.25, PatentType.DESIGN: 0.15}[lead.patent_type]
    if lead.legal_status != LegalStatus.GRANTED:
        value *= 0.7
    years_left = min(patent.whole_years_left(DEMO_TODAY) for patent in patents)
    value *= 0.5 if years_left < 3 else 0.75 if years_left < 5 else 1.0
    return _round_yuan(value)


def _round_yuan(value: float) -> int:
    """Round as a seller would (to 1万元, above 100万元 to 5万元) and keep within 10万-2000万元."""
    step = 10_000 if value < 1_000_000 else 50_000
    return min(MAX_AMOUNT_YUAN, max(MIN_AMOUNT_YUAN, round(value / step) * step))


def draw_terms(rng: random.Random, seller: DemoSeller, price_yuan: int, uses: list[str]) -> list[DemoTerms]:
    shares = MODE_SHARES["research" if seller.is_research_body else "enterprise"]
    modes = [mode for mode, share in shares.items() if rng.random() < share] or [Mode.LICENCE]
    terms = []
    for mode in modes:
        if mode == Mode.TRANSFER:
            terms.append(DemoTerms(mode=mode, price_fen=price_yuan * 100))
        elif mode == Mode.EQUITY:
            appraised = _round_yuan(price_yuan * (1.2 + 0.8 * rng.random()))
            terms.append(DemoTerms(mode=mode, appraised_value_fen=appraised * 100))
        else:
            types = LICENCE_TYPES.draw(rng)
            exclusive = LicenceType.EXCLUSIVE in types or LicenceType.SOLE in types
            payment = rng.random()
            upfront = None
            if payment < 0.85:  # an upfront fee, alone (35%) or with a royalty (50%)
                share = 0.4 + 0.3 * rng.random() if exclusive else 0.1 + 0.2 * rng.random()
                upfront = _round_yuan(price_yuan * share) * 100
            royalty = None
            if payment >= 0.35:  # a royalty, alone (15%) or with an upfront fee; in steps of half a percent
                low, high = (3, 8) if exclusive else (1, 5)
                royalty = (Decimal(between(rng, low * 2, high * 2)) / 2).quantize(Decimal("0.01"))
            terms.append(
                DemoTerms(
                    mode=mode,
                    licence_types=list(types),
                    territory="中国大陆",
                    field_of_use=f"{uses[0]}领域" if rng.random() < 0.7 else "不限",
                    term_years=between(rng, 5, 10) if exclusive else between(rng, 3, 8),
                    upfront_fee_fen=upfront,
                    royalty_rate=royalty,
                )
            )
    return terms


def draw_asking_price(rng: random.Random, terms: list[DemoTerms]) -> int | None:
    """The headline price: the transfer price, else the licence fee; a quarter or so say 'negotiable' instead."""
    by_mode = {offer.mode: offer for offer in terms}
    if Mode.TRANSFER in by_mode and rng.random() < 0.7:
        return by_mode[Mode.TRANSFER].price_fen
    licence = by_mode.get(Mode.LICENCE)
    if licence is not None and licence.upfront_fee_fen and rng.random() < 0.5:
        return licence.upfront_fee_fen
    return None


def close_reason_for(terms: list[DemoTerms]) -> str:
    if any(offer.mode == Mode.TRANSFER for offer in terms):
        return CloseReason.TRANSFERRED
    return CloseReason.EXCLUSIVELY_LICENSED
