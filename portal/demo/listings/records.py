"""What the generator hands to the loader: a listing with its patents, terms and benefits, as plain data."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from listings.patents.terms import IN_FORCE, patent_expiry


@dataclass(slots=True)
class DemoPatent:
    application_number: str
    patent_type: str
    legal_status: str
    filing_date: date
    publication_date: date | None
    grant_date: date | None
    expiry_date: date = date.min
    title: str = ""
    abstract: str = ""
    first_claim: str = ""
    ipc_codes: list[str] = field(default_factory=list)
    applicant_names: list[str] = field(default_factory=list)
    inventors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.expiry_date = patent_expiry(self.patent_type, self.filing_date)

    @property
    def is_in_force(self) -> bool:
        return self.legal_status in IN_FORCE

    @property
    def on_record_since(self) -> date:
        """The first day the public could know of it: its publication (designs and utility models: the grant)."""
        return self.publication_date or self.grant_date or self.filing_date

    def whole_years_left(self, today: date) -> int:
        """Whole years from `today` to the end of the term, as listings.patents.terms.remaining_term counts them."""
        end = self.expiry_date + timedelta(days=1)
        if today >= end:
            return 0
        return end.year - today.year - ((end.month, end.day) < (today.month, today.day))


@dataclass(slots=True)
class DemoTerms:
    mode: str
    is_open: bool = True
    licence_types: list[str] = field(default_factory=list)
    territory: str = ""
    field_of_use: str = ""
    term_years: int | None = None
    upfront_fee_fen: int | None = None
    royalty_rate: Decimal | None = None
    price_fen: int | None = None
    appraised_value_fen: int | None = None

    @property
    def amounts_fen(self) -> list[int]:
        amounts = (self.upfront_fee_fen, self.price_fen, self.appraised_value_fen)
        return [amount for amount in amounts if amount is not None]


@dataclass(slots=True)
class DemoBenefit:
    metric: str
    value: str
    unit: str
    baseline: str


@dataclass(slots=True)
class DemoListing:
    index: int
    seller_name: str
    field_key: str
    title: str
    summary: str
    title_en: str  # the seller's English version; both empty for the listings in Chinese only
    summary_en: str
    status: str
    close_reason: str
    asking_price_fen: int | None
    price_negotiable: bool
    maturity: str
    application_fields: str
    comparison: str
    moderation_note: str
    quality_score: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    patents: list[DemoPatent]
    terms: list[DemoTerms]
    benefits: list[DemoBenefit]
