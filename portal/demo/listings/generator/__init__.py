"""Demo listing number `index`, generated from `random.Random(DEMO_SEED + index)` alone.

First a skeleton (seller, field, the patents' types, dates and numbers), cheap enough to compute for every index of
a batch when the loader looks for the listings that are missing; then the rest: texts, terms, status and dates.
"""

import random

from listings.models import ListingStatus
from listings.quality import CRITERIA
from portal.demo.listings.draws import pick, sample
from portal.demo.listings.english import english_texts
from portal.demo.listings.generator.skeleton import Skeleton, build_skeleton, first_application_number
from portal.demo.listings.generator.terms import close_reason_for, draw_asking_price, draw_terms, offer_value_yuan
from portal.demo.listings.generator.timeline import draw_status, draw_timeline
from portal.demo.listings.records import DemoListing
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
    DEMO_TODAY,
    ENTERPRISES_BY_FIELD,
    MATURITIES,
    UNIVERSITIES_BY_FIELD,
    DemoSeller,
)
from portal.demo.technologies import TechnologyField

__all__ = ["Skeleton", "build_skeleton", "demo_listing", "first_application_number", "flesh_out", "quality_score"]


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
    technique = ""
    for position, patent in enumerate(patents):
        if position == 0:
            effect = measurements[0].effect if measurements else ""
        else:  # the other patents of a portfolio state a result of their own
            own = measure(rng, lead_topic.metrics[:1]) if lead_topic else []
            effect = own[0].effect if own else ""
        named = write_patent(rng, patent, technology, lead_topic, product, effect, uses, titles)
        if position == 0:
            technique = named  # the lead patent's, which the English title names
        titles.append(patent.title)
        patent.applicant_names = applicants
        patent.inventors = inventors if position == 0 else team_change(rng, inventors)

    maturity = MATURITIES[seller.kind].draw(rng)
    terms = draw_terms(rng, seller, offer_value_yuan(rng, technology, maturity, patents), uses)
    asking_price_fen = draw_asking_price(rng, terms)
    status = draw_status(rng, skeleton, terms)
    if status == ListingStatus.CLOSED:
        for offer in terms:
            offer.is_open = False
    created_at, updated_at, submitted_at, published_at = draw_timeline(rng, status, patents)

    # Drafts are often unfinished: what the listing-quality advice is for.
    unfinished = status == ListingStatus.DRAFT
    benefits = [measurement.benefit for measurement in measurements]
    if unfinished and rng.random() < 0.3:
        benefits = []
    subject = lead_topic.subject if lead_topic else product
    summary = summary_text(rng, seller, technology, subject, patents, measurements, uses, terms, maturity)
    placeholder = unfinished and rng.random() < 0.2
    if placeholder:
        summary = f"{subject}相关专利，欢迎洽谈。"
    # From a generator of its own: the Chinese above and below draws what it drew before there was English.
    title_en, summary_en = english_texts(
        skeleton.index,
        technology,
        lead_topic,
        product,
        patents,
        measurements,
        uses,
        terms,
        maturity,
        technique,
        placeholder=placeholder,
    )
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
        title_en=title_en,
        summary_en=summary_en,
        status=status,
        close_reason=close_reason_for(terms) if status == ListingStatus.CLOSED else "",
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


def _applicants(rng: random.Random, seller: DemoSeller, technology: TechnologyField) -> list[str]:
    """The seller, and sometimes a partner that filed jointly: an enterprise for a university, or the reverse."""
    if rng.random() >= CO_APPLICANT_SHARE:
        return [seller.name]
    partners = ENTERPRISES_BY_FIELD if seller.is_research_body else UNIVERSITIES_BY_FIELD
    candidates = [name for name in partners[technology.key] if name != seller.name]
    return [seller.name, pick(rng, candidates)] if candidates else [seller.name]


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
