"""The automatic IP review (知识产权评议) run when a listing is submitted, and again before it is published.

Each check yields an outcome — pass, warn or fail — with a message code and parameters; the message is
translated when shown, so a broker reading in English and a seller reading in Chinese see the same review.
A listing with any failed check cannot be published.
"""

from dataclasses import asdict, dataclass
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from listings.models import EncumbranceKind, LegalStatus, Listing, ListingStatus, Patent
from listings.patents import terms as patent_terms

PASS, WARN, FAIL = "pass", "warn", "fail"
SHORT_REMAINING_YEARS = 3

MESSAGES = {
    "applicant_ok": _("%(number)s: the seller %(seller)s is among the applicants."),
    "applicant_missing": _(
        "%(number)s: the seller %(seller)s is not among the applicants (%(applicants)s); "
        "ownership must be shown before listing."
    ),
    "status_granted": _("%(number)s is granted and in force."),
    "status_pending": _(
        "%(number)s is a pending application (%(status)s): it will be shown clearly marked as not yet granted."
    ),
    "status_dead": _("%(number)s is not in force (%(status)s) and cannot be offered."),
    "term_ok": _("%(number)s has %(years)s years and %(months)s months of its term left (until %(expiry)s)."),
    "term_short": _("%(number)s has only %(years)s years and %(months)s months left (until %(expiry)s)."),
    "term_over": _("%(number)s expired on %(expiry)s."),
    "conflict_none": _("%(number)s: no exclusive licence, sole licence or transfer is registered."),
    "conflict_encumbrance": _("%(number)s: %(kind)s registered (%(counterparty)s), which conflicts with this offer."),
    "conflict_listing": _("%(number)s is already on the market in listing #%(listing)s by %(seller)s."),
    "pledge_none": _("%(number)s: no pledge is registered."),
    "pledge_active": _("%(number)s is pledged to %(counterparty)s: the pledgee must consent before any deal."),
}

CHECK_TITLES = {
    "applicant": _("The seller is among the applicants"),
    "legal_status": _("The patent is in force"),
    "remaining_term": _("Remaining term"),
    "conflicts": _("No conflicting exclusive licence or transfer"),
    "pledge": _("No pledge"),
}


@dataclass(frozen=True)
class Finding:
    check: str
    outcome: str
    message: str
    params: dict

    def text(self) -> str:
        params = dict(self.params)
        # Codes are stored; labels are translated at display time.
        if "kind" in params:
            params["kind"] = EncumbranceKind(params["kind"]).label
        if "status" in params:
            params["status"] = LegalStatus(params["status"]).label
        return gettext(MESSAGES[self.message]) % params

    @property
    def title(self) -> str:
        return str(CHECK_TITLES[self.check])


def review_listing(listing: Listing, today: date | None = None) -> dict:
    """Run every check on every patent of the listing; return a JSON-ready report."""
    today = today or date.today()
    findings: list[Finding] = []
    for patent in listing.patents.prefetch_related("applicants", "encumbrances"):
        findings.extend(_review_patent(listing, patent, today))
    outcomes = {finding.outcome for finding in findings}
    overall = FAIL if FAIL in outcomes else WARN if WARN in outcomes else PASS
    return {"date": today.isoformat(), "overall": overall, "findings": [asdict(f) for f in findings]}


def findings_of(report: dict) -> list[Finding]:
    return [Finding(**finding) for finding in report.get("findings", [])]


def _review_patent(listing: Listing, patent: Patent, today: date) -> list[Finding]:
    number = patent.display_number
    seller = listing.seller
    findings = []

    applicant_ids = {organisation.id for organisation in patent.applicants.all()}
    if seller.id in applicant_ids or seller.name in patent.applicant_names:
        findings.append(Finding("applicant", PASS, "applicant_ok", {"number": number, "seller": seller.name}))
    else:
        applicants = "、".join(patent.applicant_names) or "—"
        findings.append(
            Finding(
                "applicant",
                FAIL,
                "applicant_missing",
                {"number": number, "seller": seller.name, "applicants": applicants},
            )
        )

    if patent.legal_status in patent_terms.IN_FORCE:
        findings.append(Finding("legal_status", PASS, "status_granted", {"number": number}))
    elif patent.legal_status in patent_terms.PENDING:
        findings.append(
            Finding("legal_status", WARN, "status_pending", {"number": number, "status": patent.legal_status})
        )
    else:
        findings.append(Finding("legal_status", FAIL, "status_dead", {"number": number, "status": patent.legal_status}))

    remaining = patent.remaining_term(today)
    term_params = {
        "number": number,
        "years": remaining.years,
        "months": remaining.months,
        "expiry": patent.expiry_date.isoformat(),
    }
    if remaining.total_days <= 0:
        findings.append(Finding("remaining_term", FAIL, "term_over", term_params))
    elif remaining.years < SHORT_REMAINING_YEARS:
        findings.append(Finding("remaining_term", WARN, "term_short", term_params))
    else:
        findings.append(Finding("remaining_term", PASS, "term_ok", term_params))

    encumbrances = [e for e in patent.encumbrances.all() if e.active]
    conflicting = [e for e in encumbrances if e.kind != EncumbranceKind.PLEDGE]
    for encumbrance in conflicting:
        findings.append(
            Finding(
                "conflicts",
                FAIL,
                "conflict_encumbrance",
                {"number": number, "kind": encumbrance.kind, "counterparty": encumbrance.counterparty or "—"},
            )
        )
    competing = (
        patent.listings.exclude(pk=listing.pk)
        .filter(status__in=[ListingStatus.PUBLISHED, ListingStatus.PAUSED, ListingStatus.SUBMITTED])
        .select_related("seller")
        .first()
    )
    if competing is not None:
        outcome = WARN if competing.seller_id == seller.id else FAIL
        findings.append(
            Finding(
                "conflicts",
                outcome,
                "conflict_listing",
                {"number": number, "listing": competing.pk, "seller": competing.seller.name},
            )
        )
    if not conflicting and competing is None:
        findings.append(Finding("conflicts", PASS, "conflict_none", {"number": number}))

    pledges = [e for e in encumbrances if e.kind == EncumbranceKind.PLEDGE]
    if pledges:
        for pledge in pledges:
            findings.append(
                Finding(
                    "pledge",
                    FAIL,
                    "pledge_active",
                    {"number": number, "counterparty": pledge.counterparty or "—"},
                )
            )
    else:
        findings.append(Finding("pledge", PASS, "pledge_none", {"number": number}))
    return findings


def has_failures(report: dict) -> bool:
    return report.get("overall") == FAIL
