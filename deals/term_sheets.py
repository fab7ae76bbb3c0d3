"""Term sheets as people read them: the terms of each mode in order, shown in yuan and per cent, and what
changed from one version to the next. Pure functions over Offer objects: no queries, so a template can show
every version of a negotiation from one list of offers."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from deals.models import DisputeResolution, Offer, PaymentMode, RoyaltyBase, RoyaltyPeriod
from deals.services.negotiations import OFFER_FIELDS
from listings.models import LicenceType, Mode
from listings.templatetags.listing_tags import fen_to_yuan

TERM_LABELS = {
    "licence_type": _("Licence type"),
    "territory": _("Territory"),
    "field_of_use": _("Field of use"),
    "term_years": _("Term (years)"),
    "upfront_fee_fen": _("Upfront fee"),
    "royalty_rate": _("Royalty rate"),
    "minimum_annual_royalty_fen": _("Minimum annual royalty"),
    "payment_mode": _("Payment mode"),
    "royalty_base": _("Royalty base"),
    "royalty_period": _("Royalty reporting period"),
    "dispute_resolution": _("Disputes are resolved by"),
    "arbitration_commission": _("Arbitration commission"),
    "price_fen": _("Price"),
    "instalments": _("Instalments"),
    "appraised_value_fen": _("Appraised value"),
    "share_percent": _("Share"),
    "receiving_company": _("Receiving company"),
    "note": _("Note"),
}
PERCENT_FIELDS = ("royalty_rate", "share_percent")
CHOICE_LABELS = {
    "licence_type": LicenceType,
    "payment_mode": PaymentMode,
    "royalty_base": RoyaltyBase,
    "royalty_period": RoyaltyPeriod,
    "dispute_resolution": DisputeResolution,
}
EMPTY = "—"


@dataclass(frozen=True)
class TermRow:
    field: str
    label: str
    value: str


@dataclass(frozen=True)
class TermChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class OfferVersion:
    """One version for the page: the offer, its terms, and what changed since the version before it."""

    offer: Offer
    rows: list[TermRow]
    changes: list[TermChange] = field(default_factory=list)
    previous_version: int | None = None


def term_fields(mode: str) -> tuple[str, ...]:
    return (*OFFER_FIELDS[Mode(mode)], "note")


def _percent(value: Decimal) -> str:
    # Decimal("5.50") → "5.5 %", Decimal("10.00") → "10 %": normalize() alone would give "1E+1".
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} %"


def display_value(offer: Offer, name: str) -> str:
    """One term as a person reads it: money in yuan, rates in per cent, choices by their label."""
    value = getattr(offer, name)
    if value is None or value == "":
        return EMPTY
    if name.endswith("_fen"):
        return fen_to_yuan(value)
    if name in PERCENT_FIELDS:
        return _percent(value)
    if name in CHOICE_LABELS:
        choices = CHOICE_LABELS[name]
        return str(choices(value).label) if value in choices.values else str(value)
    return str(value)


def term_rows(offer: Offer, mode: str) -> list[TermRow]:
    """The terms of one version in the mode's order; an empty note is left out."""
    rows = []
    for name in term_fields(mode):
        if name == "note" and not offer.note:
            continue
        rows.append(TermRow(field=name, label=str(TERM_LABELS[name]), value=display_value(offer, name)))
    return rows


def _comparable(value):
    # A Decimal read back from the database ("5.00") equals the one just typed ("5"); "" and None both mean unset.
    return None if value == "" else value


def offer_changes(previous: Offer | None, current: Offer, mode: str) -> list[TermChange]:
    """What changed from `previous` to `current`: label, old value, new value. Empty for a first version."""
    if previous is None:
        return []
    changes = []
    for name in term_fields(mode):
        if _comparable(getattr(previous, name)) != _comparable(getattr(current, name)):
            changes.append(
                TermChange(
                    field=name,
                    label=str(TERM_LABELS[name]),
                    old=display_value(previous, name),
                    new=display_value(current, name),
                )
            )
    return changes


def offer_versions(offers: list[Offer], mode: str) -> list[OfferVersion]:
    """Every version, oldest first, each with its changes against the version just before it."""
    ordered = sorted(offers, key=lambda offer: offer.version)
    versions = []
    previous: Offer | None = None
    for offer in ordered:
        versions.append(
            OfferVersion(
                offer=offer,
                rows=term_rows(offer, mode),
                changes=offer_changes(previous, offer, mode),
                previous_version=previous.version if previous else None,
            )
        )
        previous = offer
    return versions
