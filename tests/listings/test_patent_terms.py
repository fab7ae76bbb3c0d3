from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listings.patents.numbers import DESIGN, INVENTION, PATENT_TYPES, UTILITY_MODEL
from listings.patents.terms import (
    FINAL,
    IN_FORCE,
    LEGAL_STATUS_LABELS,
    PENDING,
    LegalStatus,
    RemainingTerm,
    is_expired,
    is_listable,
    is_pending,
    patent_expiry,
    remaining_term,
    term_years,
)

# --- expiry ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patent_type", "filing_date", "expiry"),
    [
        (INVENTION, date(2015, 3, 10), date(2035, 3, 9)),
        (UTILITY_MODEL, date(2015, 3, 10), date(2025, 3, 9)),
        (DESIGN, date(2015, 3, 10), date(2025, 3, 9)),
        # Example of CNIPA's examination guidelines: utility model filed 1999-09-06, term until 2009-09-05.
        (UTILITY_MODEL, date(1999, 9, 6), date(2009, 9, 5)),
        (INVENTION, date(2001, 1, 1), date(2020, 12, 31)),
        (INVENTION, date(2015, 3, 1), date(2035, 2, 28)),
        (INVENTION, date(2016, 3, 1), date(2036, 2, 29)),  # the day before falls on a leap day
        (UTILITY_MODEL, date(2016, 3, 1), date(2026, 2, 28)),
    ],
)
def test_the_term_ends_the_day_before_the_anniversary_of_the_filing_date(patent_type, filing_date, expiry):
    assert patent_expiry(patent_type, filing_date) == expiry


@pytest.mark.parametrize(
    ("filing_date", "years", "expiry"),
    [
        (date(2021, 5, 31), 10, date(2031, 5, 30)),  # last day of the old law
        (date(2021, 6, 1), 15, date(2036, 5, 31)),  # first day of the fourth amendment
        (date(2008, 1, 15), 10, date(2018, 1, 14)),
        (date(2024, 7, 1), 15, date(2039, 6, 30)),
    ],
)
def test_designs_filed_from_1_june_2021_get_15_years_instead_of_10(filing_date, years, expiry):
    assert term_years(DESIGN, filing_date) == years
    assert patent_expiry(DESIGN, filing_date) == expiry


def test_the_2021_design_change_does_not_touch_inventions_or_utility_models():
    for filing_date in (date(2021, 5, 31), date(2021, 6, 1)):
        assert term_years(INVENTION, filing_date) == 20
        assert term_years(UTILITY_MODEL, filing_date) == 10


@pytest.mark.parametrize(
    ("patent_type", "filing_date", "expiry"),
    [
        (INVENTION, date(2016, 2, 29), date(2036, 2, 28)),  # anniversary exists (2036 is a leap year)
        (UTILITY_MODEL, date(2016, 2, 29), date(2026, 2, 28)),  # no 29 February in 2026
        (DESIGN, date(2016, 2, 29), date(2026, 2, 28)),
        (DESIGN, date(2024, 2, 29), date(2039, 2, 28)),
        (INVENTION, date(2024, 2, 29), date(2044, 2, 28)),
    ],
)
def test_a_29_february_filing_expires_on_28_february(patent_type, filing_date, expiry):
    assert patent_expiry(patent_type, filing_date) == expiry


def test_an_unknown_patent_type_is_refused():
    with pytest.raises(ValueError, match="Unknown patent type"):
        patent_expiry("trademark", date(2020, 1, 1))


def test_a_patent_is_still_in_force_on_its_expiry_date_and_expired_the_day_after():
    filing_date = date(2015, 3, 10)
    assert not is_expired(INVENTION, filing_date, today=date(2035, 3, 9))
    assert is_expired(INVENTION, filing_date, today=date(2035, 3, 10))
    assert not is_expired(INVENTION, filing_date, today=date(2015, 3, 10))


# --- remaining term --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patent_type", "filing_date", "today", "remaining"),
    [
        # Ten whole years left on the tenth anniversary; 2028 and 2032 add a leap day each.
        (INVENTION, date(2015, 3, 10), date(2025, 3, 10), RemainingTerm(10, 0, 0, 3652)),
        (UTILITY_MODEL, date(2015, 3, 10), date(2024, 12, 25), RemainingTerm(0, 2, 13, 75)),
        # From 31 January one month reaches 28 February, the last day of that month.
        (UTILITY_MODEL, date(2015, 3, 1), date(2025, 1, 31), RemainingTerm(0, 1, 1, 29)),
        (INVENTION, date(2015, 3, 10), date(2035, 3, 9), RemainingTerm(0, 0, 1, 1)),  # last day
        (INVENTION, date(2015, 3, 10), date(2035, 3, 10), RemainingTerm(0, 0, 0, 0)),  # expired
        (DESIGN, date(2010, 6, 1), date(2026, 1, 1), RemainingTerm(0, 0, 0, 0)),
        # 15-year design: ten years left after five, with leap days in 2028, 2032 and 2036.
        (DESIGN, date(2021, 6, 1), date(2026, 6, 1), RemainingTerm(10, 0, 0, 3653)),
    ],
)
def test_remaining_term_counts_years_months_and_days_to_the_end_of_the_term(patent_type, filing_date, today, remaining):
    result = remaining_term(patent_type, filing_date, today=today)
    assert result == remaining
    assert result.is_zero is (remaining.total_days == 0)


@given(
    patent_type=st.sampled_from(PATENT_TYPES),
    filing_date=st.dates(min_value=date(1985, 4, 1), max_value=date(2030, 12, 31)),
    days_later=st.integers(min_value=0, max_value=25 * 366),
)
def test_remaining_term_agrees_with_expiry_for_any_day(patent_type, filing_date, days_later):
    today = filing_date + timedelta(days=days_later)
    remaining = remaining_term(patent_type, filing_date, today=today)
    expiry = patent_expiry(patent_type, filing_date)
    assert remaining.total_days == max(0, (expiry - today).days + 1)
    assert (remaining.total_days == 0) is is_expired(patent_type, filing_date, today=today)
    assert 0 <= remaining.months < 12
    assert 0 <= remaining.days < 31


# --- legal status ----------------------------------------------------------------------------------------


def test_every_legal_status_has_a_chinese_and_an_english_label():
    assert LEGAL_STATUS_LABELS[LegalStatus.LAPSED_FEE] == (
        "未缴年费终止",
        "Terminated for unpaid annual fees",
    )
    assert LEGAL_STATUS_LABELS[LegalStatus.DEEMED_WITHDRAWN][0] == "视为撤回"
    assert set(LEGAL_STATUS_LABELS) == {
        "published",
        "examination",
        "granted",
        "expired",
        "lapsed_fee",
        "withdrawn",
        "deemed_withdrawn",
        "rejected",
        "abandoned",
        "deemed_abandoned",
        "revoked",
        "invalidated",
    }


def test_in_force_pending_and_final_statuses_split_all_statuses_without_overlap():
    assert {"granted"} == IN_FORCE
    assert {"published", "examination"} == PENDING
    assert set(LEGAL_STATUS_LABELS) == IN_FORCE | PENDING | FINAL
    assert not (IN_FORCE & PENDING) and not (IN_FORCE & FINAL) and not (PENDING & FINAL)
    assert {"expired", "lapsed_fee", "invalidated"} <= FINAL


@pytest.mark.parametrize(
    ("status", "listable", "pending"),
    [
        (LegalStatus.GRANTED, True, False),
        (LegalStatus.PUBLISHED, True, True),
        (LegalStatus.EXAMINATION, True, True),
        (LegalStatus.EXPIRED, False, False),
        (LegalStatus.LAPSED_FEE, False, False),
        (LegalStatus.WITHDRAWN, False, False),
        (LegalStatus.DEEMED_WITHDRAWN, False, False),
        (LegalStatus.REJECTED, False, False),
        (LegalStatus.ABANDONED, False, False),
        (LegalStatus.DEEMED_ABANDONED, False, False),
        (LegalStatus.REVOKED, False, False),
        (LegalStatus.INVALIDATED, False, False),
    ],
)
def test_only_patents_in_force_or_pending_applications_may_be_listed(status, listable, pending):
    assert is_listable(status) is listable
    assert is_pending(status) is pending


def test_an_unknown_legal_status_is_an_error_not_a_silent_no():
    with pytest.raises(ValueError, match="Unknown legal status"):
        is_listable("Granted")
