"""The skeleton of a demo listing: seller, field, and its patents' types, legal status, dates and numbers.

Cheap enough to compute for every index of a batch when the loader looks for the listings that are missing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from listings.models import PatentType
from listings.patents.terms import LegalStatus
from portal.demo.listings.draws import Weights, between, pick
from portal.demo.listings.numbers import MAX_DEMO_LISTINGS, TYPE_DIGITS, application_number
from portal.demo.listings.records import DemoPatent
from portal.demo.listings.world import (
    DEMO_SEED,
    DEMO_SELLERS,
    DEMO_TODAY,
    DESIGN_SHARE,
    LAPSED_SHARE,
    PORTFOLIO_SHARE,
    PORTFOLIO_SIZES,
    UTILITY_MODEL_SHARE,
    DemoSeller,
)
from portal.demo.technologies import TechnologyField, Topic


@dataclass(slots=True)
class Skeleton:
    index: int
    rng: random.Random
    seller: DemoSeller
    technology: TechnologyField
    lapsed: bool
    patents: list[DemoPatent]
    lead_topic: Topic | None  # what the listing's patents protect; None for a design

    @property
    def first_number(self) -> str:
        return self.patents[0].application_number


def build_skeleton(index: int) -> Skeleton:
    if not 0 <= index < MAX_DEMO_LISTINGS:
        raise ValueError(f"Demo listing index {index} is outside 0..{MAX_DEMO_LISTINGS - 1}")
    rng = random.Random(DEMO_SEED + index)  # noqa: S311 - demo data wants reproducible draws, not secrets
    seller = DEMO_SELLERS.draw(rng)
    technology = pick(rng, seller.fields)
    size = pick(rng, PORTFOLIO_SIZES) if rng.random() < PORTFOLIO_SHARE else 1
    lapsed = rng.random() < LAPSED_SHARE
    lead = _patent_life(rng, technology, lapsed=lapsed, single=size == 1)
    lead_topic = _topic_for(rng, technology, lead.patent_type)
    # A portfolio gathers the patents around one topic: improvements, other embodiments, its control method.
    patents = [lead] + [_follow_up_life(rng, lead_topic) for _ in range(size - 1)]
    for position, patent in enumerate(patents):
        year, type_digit = patent.filing_date.year, TYPE_DIGITS[patent.patent_type]
        patent.application_number = application_number(index, position, year, type_digit)
    return Skeleton(index, rng, seller, technology, lapsed, patents, lead_topic)


def first_application_number(index: int) -> str:
    """The number that marks demo listing `index` in the database: its first patent's."""
    return build_skeleton(index).first_number


def _patent_life(rng: random.Random, technology: TechnologyField, *, lapsed: bool, single: bool) -> DemoPatent:
    """Type, legal status and dates, consistent with each other and with DEMO_TODAY.

    Patents in force or pending are filed late enough to stay in force until the end of 2028: inventions from
    2009 (20-year term), utility models and designs from 2019 (10 years). Lapsed ones are utility models whose
    term is over, or inventions terminated for unpaid annual fees. Designs are listed on their own.
    """
    if lapsed:
        if technology.device_topics and rng.random() < 0.5:
            filing = _filing_date(rng, 2008, 2015)
            grant = filing + _months(4 + 6 * rng.random())
            return DemoPatent("", PatentType.UTILITY_MODEL, LegalStatus.EXPIRED, filing, grant, grant)
        filing = _filing_date(rng, 2008, 2018)
        grant = filing + _months(24 + 16 * rng.random())
        return DemoPatent("", PatentType.INVENTION, LegalStatus.LAPSED_FEE, filing, filing + _months(18), grant)
    roll = rng.random()
    if roll < DESIGN_SHARE and technology.design_products and single:
        return _granted_without_examination(rng, PatentType.DESIGN, months=3 + 5 * rng.random())
    if roll < DESIGN_SHARE + UTILITY_MODEL_SHARE and technology.device_topics:
        return _granted_without_examination(rng, PatentType.UTILITY_MODEL, months=4 + 6 * rng.random())
    return _invention_life(rng)


def _follow_up_life(rng: random.Random, lead_topic: Topic | None) -> DemoPatent:
    """A further patent of a portfolio: an invention, or a utility model when the topic is a device."""
    if lead_topic is not None and lead_topic.kind == "device" and rng.random() < 0.4:
        return _granted_without_examination(rng, PatentType.UTILITY_MODEL, months=4 + 6 * rng.random())
    return _invention_life(rng)


def _granted_without_examination(rng: random.Random, patent_type: str, *, months: float) -> DemoPatent:
    """Utility models and designs: granted after a preliminary examination only, and published on grant."""
    filing = _filing_date(rng, 2019, 2024)
    grant = filing + _months(months)
    return DemoPatent("", patent_type, LegalStatus.GRANTED, filing, grant, grant)


def _invention_life(rng: random.Random) -> DemoPatent:
    """Published 18 months after filing (or within a year when early publication was asked for), granted after
    substantive examination two to four years after filing; the most recent ones are still pending."""
    publication_months = 6 + 6 * rng.random() if rng.random() < 0.3 else 18 + 0.7 * rng.random()
    stage = rng.random()
    if stage < 0.05:
        filing = _filing_date(rng, 2024, 2024)
        publication = filing + _months(publication_months)
        return DemoPatent("", PatentType.INVENTION, LegalStatus.PUBLISHED, filing, publication, None)
    if stage < 0.17:
        filing = _filing_date(rng, 2021, 2024)
        publication = filing + _months(publication_months)
        return DemoPatent("", PatentType.INVENTION, LegalStatus.EXAMINATION, filing, publication, None)
    filing = _filing_date(rng, 2009, 2023)
    publication = filing + _months(publication_months)
    grant = filing + _months(max(publication_months + 4, 20 + 24 * rng.random()))
    if grant > DEMO_TODAY - timedelta(days=30):
        return DemoPatent("", PatentType.INVENTION, LegalStatus.EXAMINATION, filing, publication, None)
    return DemoPatent("", PatentType.INVENTION, LegalStatus.GRANTED, filing, publication, grant)


@cache
def _filing_years(first_year: int, last_year: int) -> Weights[int]:
    # Filings grew every year: later years weigh more.
    return Weights({year: 3 + year - first_year for year in range(first_year, last_year + 1)})


def _filing_date(rng: random.Random, first_year: int, last_year: int) -> date:
    year = _filing_years(first_year, last_year).draw(rng)
    return date(year, 1, 1) + timedelta(days=between(rng, 0, 365 if year % 4 == 0 else 364))


def _months(months: float) -> timedelta:
    return timedelta(days=round(months * 30.44))


def _topic_for(rng: random.Random, technology: TechnologyField, patent_type: str) -> Topic | None:
    """What the patent protects: any topic for an invention, a device for a utility model, none for a design
    (a design protects a product's appearance, named in its title)."""
    if patent_type == PatentType.DESIGN:
        return None
    if patent_type == PatentType.UTILITY_MODEL:
        return pick(rng, technology.device_topics)
    return pick(rng, technology.topics)
