"""Demo listing number `index`, generated from `random.Random(DEMO_SEED + index)` alone.

First a skeleton (seller, field, the patents' types, dates and numbers), cheap enough to compute for every index of
a batch when the loader looks for the listings that are missing; then the rest: texts, terms, status and dates.
"""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from listings.models import CloseReason, LicenceType, ListingStatus, Mode, PatentType
from listings.patents.terms import LegalStatus
from listings.quality import CRITERIA
from portal.demo.listings.draws import Weights, between, pick, sample
from portal.demo.listings.numbers import MAX_DEMO_LISTINGS, TYPE_DIGITS, application_number
from portal.demo.listings.records import DemoListing, DemoPatent, DemoTerms
from portal.demo.listings.texts import (
    comparison_text,
    draw_inventors,
    listing_title,
    measure,
    summary_text,
    team_change,
    write_patent,
)
from portal.demo.listings.words import MODERATION_NOTES
from portal.demo.listings.world import (
    CO_APPLICANT_SHARE,
    DEMO_SEED,
    DEMO_SELLERS,
    DEMO_TODAY,
    DESIGN_SHARE,
    ENTERPRISES_BY_FIELD,
    LAPSED_SHARE,
    LICENCE_TYPES,
    MATURITIES,
    MATURITY_PRICE_FACTORS,
    MAX_AMOUNT_YUAN,
    MIN_AMOUNT_YUAN,
    MODE_SHARES,
    PORTFOLIO_SHARE,
    PORTFOLIO_SIZES,
    SHANGHAI,
    STATUSES,
    UNIVERSITIES_BY_FIELD,
    UTILITY_MODEL_SHARE,
    DemoSeller,
)
from portal.demo.seed import UNVERIFIED
from portal.demo.technologies import TechnologyField, Topic

# --- The skeleton: seller, field and patent numbers, cheap enough to compute for every index of a batch ---------------


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


# --- The listing -------------------------------------------------------------------------------------------------


def demo_listing(index: int) -> DemoListing:
    """Demo listing number `index`, with its patents, terms and benefits; the same on every call."""
    return flesh_out(build_skeleton(index))


def flesh_out(skeleton: Skeleton) -> DemoListing:
    rng, seller, technology, patents = skeleton.rng, skeleton.seller, skeleton.technology, skeleton.patents
    lead_topic = skeleton.lead_topic
    product, product_uses = pick(rng, technology.design_products) if lead_topic is None else ("", ())
    uses_pool = lead_topic.uses if lead_topic else product_uses
    uses = sample(rng, uses_pool, min(len(uses_pool), pick(rng, (2, 2, 3))))
    measurements = measure(rng, lead_topic.metrics if lead_topic else ())
    applicants = _applicants(rng, seller, technology)
    inventors = draw_inventors(rng)  # one team, give or take a member, behind a portfolio

    titles: list[str] = []
    for position, patent in enumerate(patents):
        if position == 0:
            effect = measurements[0].effect if measurements else ""
        else:  # the other patents of a portfolio state a result of their own
            own = measure(rng, lead_topic.metrics[:1]) if lead_topic else []
            effect = own[0].effect if own else ""
        write_patent(rng, patent, technology, lead_topic, product, effect, uses, titles)
        titles.append(patent.title)
        patent.applicant_names = applicants
        patent.inventors = inventors if position == 0 else team_change(rng, inventors)

    maturity = MATURITIES[seller.kind].draw(rng)
    terms = _terms(rng, seller, _price_yuan(rng, technology, maturity, patents), uses)
    asking_price_fen = _asking_price(rng, terms)
    status = _status(rng, skeleton, terms)
    if status == ListingStatus.CLOSED:
        for offer in terms:
            offer.is_open = False
    created_at, updated_at, submitted_at, published_at = _timeline(rng, status, patents)

    # Drafts are often unfinished: what the listing-quality advice is for.
    unfinished = status == ListingStatus.DRAFT
    benefits = [measurement.benefit for measurement in measurements]
    if unfinished and rng.random() < 0.3:
        benefits = []
    subject = lead_topic.subject if lead_topic else product
    summary = summary_text(rng, seller, technology, subject, patents, measurements, uses, terms, maturity)
    if unfinished and rng.random() < 0.2:
        summary = f"{subject}相关专利，欢迎洽谈。"
    comparison = comparison_text(rng, measurements, lead_topic)
    if rng.random() < (0.3 if unfinished else 0.05):
        comparison = ""
    if unfinished and rng.random() < 0.15:
        maturity = ""
    application_fields = "" if unfinished and rng.random() < 0.1 else "、".join(uses)

    listing = DemoListing(
        index=skeleton.index,
        seller_name=seller.name,
        field_key=technology.key,
        title=listing_title(rng, patents, lead_topic),
        summary=summary,
        status=status,
        close_reason=_close_reason(terms) if status == ListingStatus.CLOSED else "",
        asking_price_fen=asking_price_fen,
        price_negotiable=asking_price_fen is None or rng.random() < 0.8,
        maturity=maturity,
        application_fields=application_fields,
        comparison=comparison,
        moderation_note=pick(rng, MODERATION_NOTES) if unfinished and rng.random() < 0.3 else "",
        quality_score=0,
        created_at=created_at,
        updated_at=updated_at,
        submitted_at=submitted_at,
        published_at=published_at,
        patents=patents,
        terms=terms,
        benefits=benefits,
    )
    listing.quality_score = quality_score(listing)
    return listing


def _topic_for(rng: random.Random, technology: TechnologyField, patent_type: str) -> Topic | None:
    """What the patent protects: any topic for an invention, a device for a utility model, none for a design
    (a design protects a product's appearance, named in its title)."""
    if patent_type == PatentType.DESIGN:
        return None
    if patent_type == PatentType.UTILITY_MODEL:
        return pick(rng, technology.device_topics)
    return pick(rng, technology.topics)


def _applicants(rng: random.Random, seller: DemoSeller, technology: TechnologyField) -> list[str]:
    """The seller, and sometimes a partner that filed jointly: an enterprise for a university, or the reverse."""
    if rng.random() >= CO_APPLICANT_SHARE:
        return [seller.name]
    partners = ENTERPRISES_BY_FIELD if seller.is_research_body else UNIVERSITIES_BY_FIELD
    candidates = [name for name in partners[technology.key] if name != seller.name]
    return [seller.name, pick(rng, candidates)] if candidates else [seller.name]


def _price_yuan(rng: random.Random, technology: TechnologyField, maturity: str, patents: list[DemoPatent]) -> int:
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


def _terms(rng: random.Random, seller: DemoSeller, price_yuan: int, uses: list[str]) -> list[DemoTerms]:
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


def _asking_price(rng: random.Random, terms: list[DemoTerms]) -> int | None:
    """The headline price: the transfer price, else the licence fee; a quarter or so say 'negotiable' instead."""
    by_mode = {offer.mode: offer for offer in terms}
    if Mode.TRANSFER in by_mode and rng.random() < 0.7:
        return by_mode[Mode.TRANSFER].price_fen
    licence = by_mode.get(Mode.LICENCE)
    if licence is not None and licence.upfront_fee_fen and rng.random() < 0.5:
        return licence.upfront_fee_fen
    return None


def _close_reason(terms: list[DemoTerms]) -> str:
    if any(offer.mode == Mode.TRANSFER for offer in terms):
        return CloseReason.TRANSFERRED
    return CloseReason.EXCLUSIVELY_LICENSED


def _status(rng: random.Random, skeleton: Skeleton, terms: list[DemoTerms]) -> str:
    if skeleton.lapsed:
        return ListingStatus.EXPIRED  # the daily job took it off the market when its patent lapsed
    if skeleton.seller.name in UNVERIFIED:  # unverified sellers wait for the centre's checks
        return ListingStatus.SUBMITTED if rng.random() < 0.35 else ListingStatus.DRAFT
    status = STATUSES.draw(rng)
    if status == ListingStatus.CLOSED:
        # Only a transfer or an exclusive licence ends a listing.
        closable = any(offer.mode == Mode.TRANSFER or LicenceType.EXCLUSIVE in offer.licence_types for offer in terms)
        return status if closable else ListingStatus.PUBLISHED
    return status


def _moment(rng: random.Random, first: date, last: date) -> datetime:
    """A moment during office hours (Beijing time) on a day from `first` to `last`."""
    day = first + timedelta(days=between(rng, 0, max(0, (last - first).days)))
    seconds = between(rng, 9 * 3600, 18 * 3600 - 1)
    return datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=SHANGHAI)


def _days_before(rng: random.Random, moment: datetime, fewest: int, most: int) -> datetime:
    """A moment during office hours, `fewest` to `most` days before `moment`."""
    day = moment.date()
    return _moment(rng, day - timedelta(days=most), day - timedelta(days=fewest))


def _timeline(
    rng: random.Random, status: str, patents: list[DemoPatent]
) -> tuple[datetime, datetime, datetime | None, datetime | None]:
    """created, updated, submitted and published, in that order, after every patent was made public."""
    three_years_ago = DEMO_TODAY - timedelta(days=3 * 365)
    listable_from = max(max(patent.on_record_since for patent in patents), three_years_ago)
    yesterday = DEMO_TODAY - timedelta(days=1)
    if status == ListingStatus.EXPIRED:
        created = _moment(rng, three_years_ago, DEMO_TODAY - timedelta(days=60))
        return created, created + timedelta(days=between(rng, 1, 30)), None, None
    if status == ListingStatus.DRAFT or (status == ListingStatus.WITHDRAWN and rng.random() < 0.5):
        created = _moment(rng, max(listable_from, DEMO_TODAY - timedelta(days=365)), yesterday)
        updated = _moment(rng, created.date(), min(created.date() + timedelta(days=30), yesterday))
        return created, max(created, updated), None, None
    if status == ListingStatus.SUBMITTED:
        submitted = _moment(rng, max(listable_from, DEMO_TODAY - timedelta(days=30)), yesterday)
        created = _days_before(rng, submitted, 1, 45)
        return created, submitted, submitted, None
    # Published at least once: the moderation took a few days, and the listing had been prepared before that.
    published = _moment(rng, listable_from + timedelta(days=7), yesterday)
    submitted = _days_before(rng, published, 1, 10)
    created = _days_before(rng, submitted, 1, 45)
    if status == ListingStatus.PUBLISHED:
        return created, published, submitted, published
    # Paused, closed or withdrawn later on.
    left = max(_moment(rng, published.date(), yesterday), published + timedelta(hours=1))
    return created, left, submitted, published


def quality_score(listing: DemoListing) -> int:
    """The score listings.quality.assess_quality gives, computed without the database, as of DEMO_TODAY."""
    patents = listing.patents
    met = {
        "summary": len(listing.summary) >= 80,
        "abstract": all(patent.abstract for patent in patents),
        "benefits": bool(listing.benefits),
        "comparison": bool(listing.comparison),
        "maturity": bool(listing.maturity),
        "fields": bool(listing.application_fields),
        "price": listing.asking_price_fen is not None
        or any(offer.amounts_fen or offer.royalty_rate for offer in listing.terms),
        "attachments": False,
        "granted": all(patent.is_in_force for patent in patents),
        "term": min(patent.whole_years_left(DEMO_TODAY) for patent in patents) >= 5,
    }
    return sum(CRITERIA[key][0] for key, ok in met.items() if ok)
