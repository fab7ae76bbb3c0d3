"""The listing-quality score: what buyers say listings lack, turned into a score and concrete advice."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from listings.models import Listing

MIN_SUMMARY_CHARS = 80

# (points, advice when missing) per criterion; points add up to 100.
CRITERIA = {
    "summary": (
        15,
        _("Explain in plain words what the technology does and for whom (80 characters or more)."),
    ),
    "abstract": (10, _("Give every patent its abstract, so buyers can check the claims.")),
    "benefits": (20, _("Add at least one benefit in numbers, with what buyers use today as the baseline.")),
    "comparison": (10, _("Say how it compares with the technology buyers use today.")),
    "maturity": (10, _("State the technology maturity (laboratory, pilot, small batch, mass production).")),
    "fields": (10, _("Name the application fields: industries and products it serves.")),
    "price": (
        10,
        _("Give a price or the terms of at least one mode (fee, royalty, price or appraised value)."),
    ),
    "attachments": (5, _("Attach a drawing, a photo or a test report (PDF or image).")),
    "granted": (5, _("Granted patents sell better than pending applications; say when grant is expected.")),
    "term": (5, _("Less than five years of term remain: consider a lower price or a portfolio.")),
}


@dataclass(frozen=True)
class QualityReport:
    score: int
    missing: list[str]

    @property
    def advice(self) -> list[str]:
        return [str(CRITERIA[key][1]) for key in self.missing]


def assess_quality(listing: Listing) -> QualityReport:
    patents = list(listing.patents.all())
    terms = list(listing.terms.all())
    met = {
        "summary": len(listing.summary.strip()) >= MIN_SUMMARY_CHARS,
        "abstract": bool(patents) and all(patent.abstract.strip() for patent in patents),
        "benefits": listing.benefits.exists(),
        "comparison": bool(listing.comparison.strip()),
        "maturity": bool(listing.maturity),
        "fields": bool(listing.application_fields.strip()),
        "price": listing.asking_price_fen is not None
        or any(t.upfront_fee_fen or t.royalty_rate or t.price_fen or t.appraised_value_fen for t in terms),
        "attachments": listing.attachments.exists(),
        "granted": bool(patents) and all(patent.is_in_force for patent in patents),
        "term": bool(patents) and min(patent.remaining_term().years for patent in patents) >= 5,
    }
    score = sum(CRITERIA[key][0] for key, ok in met.items() if ok)
    return QualityReport(score=score, missing=[key for key, ok in met.items() if not ok])
