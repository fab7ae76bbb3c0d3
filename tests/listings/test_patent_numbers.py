from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listings.patents.numbers import (
    DESIGN,
    INVENTION,
    UTILITY_MODEL,
    ApplicationNumber,
    ApplicationNumberError,
    check_declared_type,
    compute_check_digit,
    parse_application_number,
)

TODAY = date(2025, 6, 30)


def parse(raw: str) -> ApplicationNumber:
    return parse_application_number(raw, today=TODAY)


def error_code_of(raw: str) -> str:
    with pytest.raises(ApplicationNumberError) as excinfo:
        parse(raw)
    return excinfo.value.code


# --- check digit -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        # Real numbers with a published check digit.
        ("201710601862", "3"),  # worked example in CNIPA explanations of the check digit
        ("200310102344", "5"),  # example number of the 2003 numbering standard
        ("97101765", "4"),  # old 8-digit example: 97 10 1765.4
        # Remainder 10 is written X: 2·2+0·3+1·4+9·5+1·6+0·7+0·8+0·9+1·2+0·3+0·4+3·5 = 76 = 6·11 + 10.
        ("201910001003", "X"),
        # 9·2+9·3+1·4+0·5+0·6+1·7+0·8+1·9 = 65 = 5·11 + 10.
        ("99100101", "X"),
    ],
)
def test_check_digit_is_the_weighted_sum_modulo_eleven(digits, check):
    assert compute_check_digit(digits) == check


def test_domain_brief_example_number_does_not_pass_the_check():
    # The project's domain brief gave 201510123456.7 as an example; the weighted sum is 133 = 12·11 + 1, so the real
    # check digit is 1 (docs/listings.md).
    assert compute_check_digit("201510123456") == "1"
    assert error_code_of("201510123456.7") == "check"
    assert parse("201510123456.1").normalised == "201510123456.1"


@pytest.mark.parametrize("digits", ["", "20151012345a", "２０１５"])
def test_check_digit_needs_ascii_digits(digits):
    with pytest.raises(ValueError):
        compute_check_digit(digits)


# --- accepted writings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "201710601862.3",
        "2017106018623",
        "CN201710601862.3",
        "ZL201710601862.3",
        "cn201710601862.3",
        "zl201710601862.3",
        "Zl 201710601862.3",
        "CN 2017106018623",
        "ZL 2017 1 0601862.3",
        "2017 1 0601862.3",
        "20171 0601862.3",
        "2017 10601862.3",
        "  ZL201710601862.3\n",
        "２０１７１０６０１８６２．３",
        "ＺＬ２０１７１０６０１８６２．３",
        "ｃｎ　２０１７　１　０６０１８６２．３",
        "201710601862。3",
    ],
)
def test_every_common_writing_of_a_new_number_parses_to_the_same_number(raw):
    number = parse(raw)
    assert number == ApplicationNumber(year=2017, type_digit=1, serial="0601862", check="3", is_old_format=False)
    assert number.normalised == "201710601862.3"


@pytest.mark.parametrize(
    "raw",
    ["201910001003.X", "201910001003.x", "201910001003x", "CN201910001003X", "２０１９１０００１００３．ｘ"],
)
def test_an_x_check_digit_is_accepted_in_either_case(raw):
    number = parse(raw)
    assert number.check == "X"
    assert number.normalised == "201910001003.X"


@pytest.mark.parametrize(
    "raw",
    ["97101765.4", "971017654", "CN97101765.4", "ZL 97 1 01765.4", "zl97101765.4", "９７１０１７６５．４"],
)
def test_old_eight_digit_numbers_are_accepted(raw):
    number = parse(raw)
    assert number == ApplicationNumber(year=1997, type_digit=1, serial="01765", check="4", is_old_format=True)
    assert number.normalised == "97101765.4"
    assert number.digits == "97101765"


@pytest.mark.parametrize(
    ("raw", "year"),
    [("85100001.0", 1985), ("99100101.X", 1999), ("02100001.8", 2002), ("03200002.2", 2003)],
)
def test_old_two_digit_years_run_from_1985_to_2003(raw, year):
    assert parse(raw).year == year


def test_the_prefix_is_chosen_by_the_caller():
    number = parse("201710601862.3")
    assert number.with_prefix() == "CN201710601862.3"
    assert number.with_prefix("ZL") == "ZL201710601862.3"
    assert str(number) == "201710601862.3"


def test_today_defaults_to_the_current_date():
    assert parse_application_number("201710601862.3").year == 2017


# --- patent type ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "patent_type", "is_pct"),
    [
        ("201710601862.3", INVENTION, False),
        ("201820123456.0", UTILITY_MODEL, False),
        ("201930234567.9", DESIGN, False),
        ("201680012345.6", INVENTION, True),
        ("201790012345.6", UTILITY_MODEL, True),
        ("03200002.2", UTILITY_MODEL, False),
    ],
)
def test_the_type_digit_gives_the_patent_type_and_pct_origin(raw, patent_type, is_pct):
    number = parse(raw)
    assert number.patent_type == patent_type
    assert number.is_pct is is_pct


def test_a_declared_type_that_matches_the_number_is_accepted():
    assert check_declared_type(parse("201680012345.6"), INVENTION).is_pct
    assert check_declared_type("201930234567.9", DESIGN).patent_type == DESIGN


def test_a_declared_type_that_contradicts_the_number_is_a_type_error():
    with pytest.raises(ApplicationNumberError) as excinfo:
        check_declared_type(parse("201820123456.0"), INVENTION)
    error = excinfo.value
    assert error.code == "type"
    assert error.params["actual_type"] == UTILITY_MODEL
    assert error.params["declared_type"] == INVENTION
    assert str(error) == (
        "Application number 201820123456.0 is a utility model application, but the patent was declared as an invention."
    )


def test_an_unknown_declared_type_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown patent type"):
        check_declared_type(parse("201710601862.3"), "trademark")


# --- rejected writings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("CN", "empty"),
        ("201710601862.4", "check"),  # bad check digit
        ("201710601862.X", "check"),
        ("201710601863.3", "check"),  # one mistyped digit
        ("201710610862.3", "check"),  # two neighbouring serial digits swapped
        ("97101765.5", "check"),
        ("20171060186.3", "format"),  # 11 digits
        ("2017106018622.3", "format"),  # 13 digits
        ("9710176.4", "format"),  # 7 digits
        ("2017106O1862.3", "format"),  # letter O instead of zero
        ("US201710601862.3", "format"),  # not a Chinese prefix
        ("CN-201710601862.3", "format"),
        ("2017-1-0601862.3", "format"),
        ("2017  1 0601862.3", "format"),  # two spaces
        ("201 71 0601862.3", "format"),  # space inside the year
        ("201710601862 .3", "format"),  # space before the dot
        ("201710601862..3", "format"),
        ("20171060186X.3", "format"),  # X only as the check digit
        ("201540123456.8", "type"),  # 4 is not a type digit
        ("201500123456.6", "type"),  # type digit 0
        ("04100001.3", "year"),  # old number with year 2004
        ("84100001.8", "year"),  # old number before the Patent Law
        ("200210000001.3", "year"),  # 12-digit numbers start in 2003
        ("202610000001.9", "year"),  # after TODAY
        ("209910000001.8", "year"),
    ],
)
def test_invalid_numbers_are_rejected_with_the_right_error_code(raw, code):
    assert error_code_of(raw) == code


def test_an_error_carries_a_translatable_template_and_its_parameters():
    with pytest.raises(ApplicationNumberError) as excinfo:
        parse("CN201710601862.4")
    error = excinfo.value
    assert isinstance(error, ValueError)
    assert error.code == "check"
    assert error.params == {"number": "201710601862", "expected": "3", "given": "4"}
    assert error.template % error.params == str(error)
    assert "should be 3, not 4" in str(error)


def test_a_length_error_says_how_many_digits_were_given():
    with pytest.raises(ApplicationNumberError) as excinfo:
        parse("20171060186.3")
    assert excinfo.value.params["length"] == 12
    assert "has 12 digits" in str(excinfo.value)


# --- properties ------------------------------------------------------------------------------------------

new_format_digits = st.builds(
    lambda year, type_digit, serial: f"{year}{type_digit}{serial:07d}",
    st.integers(min_value=2003, max_value=TODAY.year),
    st.sampled_from([1, 2, 3, 8, 9]),
    st.integers(min_value=0, max_value=9_999_999),
)
old_format_digits = st.builds(
    lambda year, type_digit, serial: f"{year % 100:02d}{type_digit}{serial:05d}",
    st.integers(min_value=1985, max_value=2003),
    st.sampled_from([1, 2, 3, 8, 9]),
    st.integers(min_value=0, max_value=99_999),
)
any_format_digits = st.one_of(new_format_digits, old_format_digits)

FULL_WIDTH = str.maketrans("0123456789.XCNZL ", "０１２３４５６７８９．ＸＣＮＺＬ　")


def writings_of(digits: str, check: str) -> list[str]:
    year_length = 4 if len(digits) == 12 else 2
    year, type_digit, serial = digits[:year_length], digits[year_length], digits[year_length + 1 :]
    dotted = f"{digits}.{check}"
    return [
        dotted,
        f"{digits}{check}",
        f"CN{dotted}",
        f"ZL{dotted}".lower(),
        f"ZL {year} {type_digit} {serial}.{check}",
        f" CN {digits}{check.lower()} ",
        f"ZL {year} {type_digit} {serial}.{check}".translate(FULL_WIDTH),
    ]


@given(any_format_digits)
def test_a_number_built_with_its_check_digit_parses_the_same_in_every_writing(digits):
    check = compute_check_digit(digits)
    for raw in writings_of(digits, check):
        assert parse(raw).normalised == f"{digits}.{check}", raw


@given(any_format_digits, st.data())
def test_changing_any_single_character_of_a_valid_number_is_rejected(digits, data):
    written = digits + compute_check_digit(digits)
    position = data.draw(st.integers(min_value=0, max_value=len(written) - 1), label="position")
    # The check position may also hold an X; every other position only digits.
    alphabet = "0123456789X" if position == len(written) - 1 else "0123456789"
    replacement = data.draw(st.sampled_from(alphabet).filter(lambda c: c != written[position]), label="new")
    changed = written[:position] + replacement + written[position + 1 :]
    with pytest.raises(ApplicationNumberError):
        parse(changed)
