"""Patent terms (保护期限) and legal status (法律状态) of Chinese patents.

Terms run from the filing date (Patent Law art. 42): invention 20 years, utility model 10 years, design
10 years — 15 years for designs filed on or after 2021-06-01, when the fourth amendment of the Patent Law took
effect (it applies to applications filed from that day, not to older ones). For a PCT application entering
China the filing date is the international filing date.

Not modelled: patent term compensation (专利权期限补偿) for unreasonable grant delays or drug approvals, which
the 2021 amendment introduced for some inventions; a compensated expiry has to be recorded explicitly.

Pure Python on purpose: the Django layer builds model choices and translated labels from these constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from listings.patents.numbers import DESIGN, INVENTION, PATENT_TYPES, UTILITY_MODEL

DESIGN_15_YEAR_TERM_START = date(2021, 6, 1)

_TERM_YEARS = {INVENTION: 20, UTILITY_MODEL: 10}


def term_years(patent_type: str, filing_date: date) -> int:
    if patent_type == DESIGN:
        return 15 if filing_date >= DESIGN_15_YEAR_TERM_START else 10
    if patent_type in _TERM_YEARS:
        return _TERM_YEARS[patent_type]
    raise ValueError(f"Unknown patent type {patent_type!r}; expected one of {PATENT_TYPES}")


def _anniversary(filing_date: date, years: int) -> date:
    try:
        return filing_date.replace(year=filing_date.year + years)
    except ValueError:
        # Filed on 29 February and the anniversary falls in a common year: the anniversary is taken to be
        # 1 March, so the term still covers all of February and its last day is 28 February.
        return date(filing_date.year + years, 3, 1)


def _term_end_exclusive(patent_type: str, filing_date: date) -> date:
    """The first day on which the patent is no longer in force: the anniversary of the filing date."""
    return _anniversary(filing_date, term_years(patent_type, filing_date))


def patent_expiry(patent_type: str, filing_date: date) -> date:
    """The last day of the term.

    The term counts the filing date itself as its first day, so it ends on the day before the anniversary.
    CNIPA's Guidelines for Patent Examination (part V, ch. 9, 2.1): a utility model filed 1999-09-06 has the
    term 1999-09-06 to 2009-09-05, and terminates on 2009-09-06, the anniversary (not postponed for
    holidays). So an invention filed 2015-03-10 expires 2035-03-09. A 29 February filing ends on
    28 February of the final year.
    """
    return _term_end_exclusive(patent_type, filing_date) - timedelta(days=1)


def is_expired(patent_type: str, filing_date: date, today: date | None = None) -> bool:
    """True once the term is over; the patent is still in force on its expiry date itself."""
    today = today or date.today()
    return today > patent_expiry(patent_type, filing_date)


@dataclass(frozen=True)
class RemainingTerm:
    """Time left from ``today`` (included) to the end of the term (the expiry date included)."""

    years: int
    months: int
    days: int
    total_days: int

    @property
    def is_zero(self) -> bool:
        return self.total_days == 0


def _add_months(start: date, months: int) -> date:
    """``start`` moved by whole months; a day that does not exist in the target month becomes its last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    next_month_first = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month_first - timedelta(days=1)).day
    return date(year, month, min(start.day, last_day))


def remaining_term(patent_type: str, filing_date: date, today: date | None = None) -> RemainingTerm:
    """Years, months and days left in the term, and the total number of days; all zero once expired.

    Counted up to the anniversary (the day after expiry), so a patent filed on 10 March has exactly
    whole years left on any 10 March within its term.
    """
    today = today or date.today()
    end = _term_end_exclusive(patent_type, filing_date)
    if today >= end:
        return RemainingTerm(years=0, months=0, days=0, total_days=0)
    whole_months = (end.year - today.year) * 12 + end.month - today.month
    if _add_months(today, whole_months) > end:
        whole_months -= 1
    days = (end - _add_months(today, whole_months)).days
    return RemainingTerm(
        years=whole_months // 12,
        months=whole_months % 12,
        days=days,
        total_days=(end - today).days,
    )


class LegalStatus:
    """Legal status values (plain strings, ready for model choices)."""

    PUBLISHED = "published"
    EXAMINATION = "examination"
    GRANTED = "granted"
    EXPIRED = "expired"
    LAPSED_FEE = "lapsed_fee"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    REJECTED = "rejected"
    ABANDONED = "abandoned"
    DEEMED_ABANDONED = "deemed_abandoned"
    REVOKED = "revoked"
    INVALIDATED = "invalidated"


# status -> (Chinese label, English label), in the order a patent's life usually runs.
LEGAL_STATUS_LABELS: dict[str, tuple[str, str]] = {
    LegalStatus.PUBLISHED: ("公开", "Published"),
    LegalStatus.EXAMINATION: ("实质审查", "Under substantive examination"),
    LegalStatus.GRANTED: ("授权", "Granted, in force"),
    LegalStatus.EXPIRED: ("届满", "Expired"),
    LegalStatus.LAPSED_FEE: ("未缴年费终止", "Terminated for unpaid annual fees"),
    LegalStatus.WITHDRAWN: ("撤回", "Withdrawn"),
    LegalStatus.DEEMED_WITHDRAWN: ("视为撤回", "Deemed withdrawn"),
    LegalStatus.REJECTED: ("驳回", "Rejected"),
    LegalStatus.ABANDONED: ("放弃", "Abandoned"),
    LegalStatus.DEEMED_ABANDONED: ("视为放弃", "Deemed abandoned"),
    LegalStatus.REVOKED: ("撤销", "Revoked"),
    LegalStatus.INVALIDATED: ("无效", "Invalidated"),
}

IN_FORCE = frozenset({LegalStatus.GRANTED})
PENDING = frozenset({LegalStatus.PUBLISHED, LegalStatus.EXAMINATION})
FINAL = frozenset(LEGAL_STATUS_LABELS) - IN_FORCE - PENDING


def _require_known_status(status: str) -> None:
    # An unknown value is a programming or import error; answering False would hide it.
    if status not in LEGAL_STATUS_LABELS:
        raise ValueError(f"Unknown legal status {status!r}; expected one of {sorted(LEGAL_STATUS_LABELS)}")


def is_listable(status: str) -> bool:
    """Only a patent in force or a pending application may be listed (pending ones clearly marked)."""
    _require_known_status(status)
    return status in IN_FORCE or status in PENDING


def is_pending(status: str) -> bool:
    """A pending application: listable, but the listing must say that no right has been granted yet."""
    _require_known_status(status)
    return status in PENDING
