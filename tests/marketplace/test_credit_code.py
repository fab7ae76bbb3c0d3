"""Tests for the unified social credit code validator (GB 32100-2015) and the demo organisations."""

from collections import Counter

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from marketplace.organisations.credit_code import (
    ALPHABET,
    MESSAGE_AUTHORITY,
    MESSAGE_CHARACTER,
    MESSAGE_CHECK,
    MESSAGE_EMPTY,
    MESSAGE_LENGTH,
    MESSAGE_REGION,
    REGISTRATION_AUTHORITIES,
    CreditCodeError,
    compute_check_character,
    normalise_credit_code,
    validate_credit_code,
)
from marketplace.organisations.models import EnterpriseSize
from portal.demo.organisations import CITIES, ORGANISATIONS

# Codes published on the business licences of well-known companies (National Enterprise Credit
# Information Publicity System). A real code is the best guard against a wrong weight or alphabet.
PUBLISHED_CODES = {
    "阿里巴巴（中国）有限公司": "91330100716105852F",
    "华为技术有限公司": "914403001922038216",
    "腾讯科技（深圳）有限公司": "9144030071526726XG",
    "小米科技有限责任公司": "91110108551385082Q",
    "北京百度网讯科技有限公司": "91110000802100433B",
    "贵州茅台酒股份有限公司": "91520000214434146R",
    "比亚迪股份有限公司": "91440300192317458F",
    "中国平安保险（集团）股份有限公司": "91440300100012316L",
}

ALIBABA = PUBLISHED_CODES["阿里巴巴（中国）有限公司"]

FORBIDDEN_LETTERS = "IOSVZ"

ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code_check_digit(first8: str) -> str:
    """GB 11714 check digit of an organisation code; only needed to vet the demo data."""
    values = [ALPHABET.index(character) for character in first8]
    check_value = 11 - sum(value * weight for value, weight in zip(values, ORGANISATION_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check_value, str(check_value))


def rejection(raw: str) -> CreditCodeError:
    with pytest.raises(CreditCodeError) as caught:
        validate_credit_code(raw)
    return caught.value


def expected_error_code(code: str) -> str:
    """Which check should catch ``code``, given that it differs from a valid code in one way."""
    if code[0] not in REGISTRATION_AUTHORITIES:
        return "authority"
    if not code[2:8].isdigit():
        return "region"
    return "check"


# Published codes


@pytest.mark.parametrize("company, code", PUBLISHED_CODES.items())
def test_published_codes_of_real_companies_are_accepted(company: str, code: str) -> None:
    assert validate_credit_code(code) == code


@pytest.mark.parametrize("code", PUBLISHED_CODES.values())
def test_the_check_character_of_a_published_code_is_recomputed_exactly(code: str) -> None:
    assert compute_check_character(code[:17]) == code[17]


def test_a_check_value_of_31_is_written_as_the_character_0() -> None:
    assert compute_check_character("91330106100000026") == "0"


def test_the_largest_check_value_30_is_written_as_the_character_y() -> None:
    assert compute_check_character("91330106100000016") == "Y"


# Demo organisations


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=lambda organisation: organisation["name_en"])
def test_every_demo_organisation_has_a_valid_credit_code(organisation: dict[str, str]) -> None:
    assert validate_credit_code(organisation["credit_code"]) == organisation["credit_code"]


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=lambda organisation: organisation["name_en"])
def test_every_demo_credit_code_embeds_a_valid_gb_11714_organisation_code(
    organisation: dict[str, str],
) -> None:
    organisation_code = organisation["credit_code"][8:17]
    assert organisation_code_check_digit(organisation_code[:8]) == organisation_code[8]


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=lambda organisation: organisation["name_en"])
def test_every_demo_credit_code_is_registered_in_its_city_or_at_province_level(
    organisation: dict[str, str],
) -> None:
    city_region = {slug: region for slug, _, _, region in CITIES}[organisation["city"]]
    region = organisation["credit_code"][2:8]
    assert region == "330000" or region[:4] == city_region[:4]


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=lambda organisation: organisation["name_en"])
def test_every_demo_credit_code_has_the_authority_and_type_of_its_kind(organisation: dict[str, str]) -> None:
    allowed_prefixes = {
        "university": {"12"},
        "institute": {"12"},
        "enterprise": {"91"},
        "agency": {"91", "52"},
        "financial": {"91"},
    }
    assert organisation["credit_code"][:2] in allowed_prefixes[organisation["kind"]]


def test_demo_credit_codes_and_names_are_all_distinct() -> None:
    assert len({organisation["credit_code"] for organisation in ORGANISATIONS}) == len(ORGANISATIONS)
    assert len({organisation["name"] for organisation in ORGANISATIONS}) == len(ORGANISATIONS)


def test_demo_organisations_cover_every_city_and_the_required_mix_of_kinds() -> None:
    assert len(ORGANISATIONS) >= 36
    assert {organisation["city"] for organisation in ORGANISATIONS} == {slug for slug, *_ in CITIES}
    kinds = Counter(organisation["kind"] for organisation in ORGANISATIONS)
    assert set(kinds) == {"university", "institute", "enterprise", "agency", "financial"}
    assert kinds["university"] >= 8
    assert kinds["institute"] >= 5
    assert kinds["enterprise"] >= 15
    assert kinds["agency"] >= 2
    assert kinds["financial"] >= 2


def test_every_demo_organisation_has_exactly_the_documented_fields() -> None:
    for organisation in ORGANISATIONS:
        # An enterprise states its size class too; nothing else does.
        extra = {"size"} if organisation["kind"] == "enterprise" else set()
        assert set(organisation) == {"name", "name_en", "kind", "city", "credit_code", "address", *extra}
        assert all(isinstance(value, str) and value for value in organisation.values())
        assert organisation.get("size", "micro") in EnterpriseSize.values


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=lambda organisation: organisation["name_en"])
def test_every_demo_organisation_has_a_registered_address_in_its_own_city(organisation: dict[str, str]) -> None:
    city_name = {slug: chinese for slug, chinese, _, _ in CITIES}[organisation["city"]]
    assert organisation["address"].startswith("浙江省")
    assert f"{city_name}市" in organisation["address"]


def test_demo_cities_are_the_eleven_prefecture_level_cities_in_the_conventional_order() -> None:
    assert [chinese for _, chinese, _, _ in CITIES] == [
        "杭州",
        "宁波",
        "温州",
        "嘉兴",
        "湖州",
        "绍兴",
        "金华",
        "衢州",
        "舟山",
        "台州",
        "丽水",
    ]
    assert [region for *_, region in CITIES] == [f"33{number:02d}00" for number in range(1, 12)]


# Normalisation


def test_normalisation_converts_full_width_digits_and_letters_to_ascii() -> None:
    assert normalise_credit_code("９１３３０１００７１６１０５８５２Ｆ") == ALIBABA
    assert normalise_credit_code("９１３３０１００７１６１０５８５２ｆ") == ALIBABA


def test_normalisation_upper_cases_lower_case_letters() -> None:
    assert normalise_credit_code("9144030071526726xg") == "9144030071526726XG"


def test_normalisation_removes_surrounding_whitespace_and_inner_spaces_and_hyphens() -> None:
    assert normalise_credit_code("  9133 0100 7161 0585 2F\n") == ALIBABA
    assert normalise_credit_code("\t91330100-716105852-F") == ALIBABA
    assert normalise_credit_code("91330100\u3000716105852－F") == ALIBABA  # ideographic space, full-width hyphen
    assert normalise_credit_code("91330100–716105852—F") == ALIBABA  # en and em dashes


def test_normalisation_does_not_remove_other_punctuation() -> None:
    assert normalise_credit_code("91330100.716105852F") == "91330100.716105852F"


def test_validation_returns_the_normalised_code() -> None:
    assert validate_credit_code(" ９１３３ ０１００ ７１６１ ０５８５ ２ｆ ") == ALIBABA


# Rejections: empty, length, characters, authority, region


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", " - "])
def test_empty_or_blank_input_is_rejected_as_empty(raw: str) -> None:
    error = rejection(raw)
    assert error.code == "empty"
    assert error.template == MESSAGE_EMPTY


def test_a_code_one_character_short_is_rejected_with_its_length_in_the_message() -> None:
    error = rejection(ALIBABA[:17])
    assert error.code == "length"
    assert str(error) == "A unified social credit code has 18 characters; this one has 17."
    assert error.params == {"length": 17}


@pytest.mark.parametrize("length", [1, 15, 19, 20])
def test_codes_of_any_other_wrong_length_are_rejected(length: int) -> None:
    raw = (ALIBABA * 2)[:length]
    error = rejection(raw)
    assert error.code == "length"
    assert f"this one has {length}." in str(error)


@pytest.mark.parametrize("letter", FORBIDDEN_LETTERS)
@pytest.mark.parametrize("position", [1, 5, 10, 18])
def test_forbidden_letters_are_rejected_with_their_position(letter: str, position: int) -> None:
    raw = ALIBABA[: position - 1] + letter + ALIBABA[position:]
    error = rejection(raw)
    assert error.code == "character"
    assert str(error) == (
        f"Character {position} ('{letter}') is not allowed: "
        "the code uses digits and capital letters except I, O, S, V and Z."
    )
    assert error.params == {"position": position, "char": letter}


def test_a_forbidden_letter_typed_in_lower_case_or_full_width_is_reported_as_a_capital() -> None:
    assert rejection("9133o100716105852F").params == {"position": 5, "char": "O"}
    assert rejection("9133Ｏ100716105852F").params == {"position": 5, "char": "O"}


def test_punctuation_inside_the_code_is_rejected_as_a_character_error() -> None:
    error = rejection("91330100.16105852F")
    assert error.code == "character"
    assert error.params == {"position": 9, "char": "."}


def test_the_first_offending_character_is_the_one_reported() -> None:
    assert rejection("9133O1007161S5852F").params["position"] == 5


@pytest.mark.parametrize("authority", ["0", "B", "C", "X"])
def test_an_unknown_registration_authority_is_rejected(authority: str) -> None:
    first17 = authority + ALIBABA[1:17]
    error = rejection(first17 + compute_check_character(first17))
    assert error.code == "authority"
    assert error.params == {"char": authority}
    assert str(error).startswith(f"Character 1 ('{authority}') is not a registration authority code")


@pytest.mark.parametrize("authority", sorted(REGISTRATION_AUTHORITIES))
def test_every_registration_authority_of_the_standard_is_accepted(authority: str) -> None:
    first17 = authority + ALIBABA[1:17]
    assert validate_credit_code(first17 + compute_check_character(first17)).startswith(authority)


def test_a_letter_in_the_region_code_is_rejected_with_the_region_in_the_message() -> None:
    first17 = "9133A100716105852"
    error = rejection(first17 + compute_check_character(first17))
    assert error.code == "region"
    assert str(error) == "Characters 3–8 must be a 6-digit region code (GB/T 2260); got '33A100'."


def test_a_wrong_check_character_is_rejected_with_the_expected_one_in_the_message() -> None:
    error = rejection("91330100716105852G")
    assert error.code == "check"
    assert str(error) == ("The check character should be 'F', not 'G': a character was probably mistyped.")
    assert error.params == {"expected": "F", "actual": "G"}


# Typing mistakes


@pytest.mark.parametrize("code", PUBLISHED_CODES.values())
def test_every_single_character_substitution_is_rejected(code: str) -> None:
    # All 18 positions x 30 substitutes: a weighted sum modulo the prime 31 catches every one.
    for index, original in enumerate(code):
        for substitute in ALPHABET:
            if substitute == original:
                continue
            mistyped = code[:index] + substitute + code[index + 1 :]
            error = rejection(mistyped)
            assert error.code == expected_error_code(mistyped), mistyped


@pytest.mark.parametrize("code", [*PUBLISHED_CODES.values(), *(o["credit_code"] for o in ORGANISATIONS[:8])])
def test_every_transposition_of_adjacent_different_characters_is_rejected(code: str) -> None:
    transposed_any = False
    for index in range(len(code) - 1):
        if code[index] == code[index + 1]:
            continue
        transposed = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
        error = rejection(transposed)
        assert error.code == expected_error_code(transposed), transposed
        transposed_any = True
    assert transposed_any


# Error objects


@pytest.mark.parametrize(
    "raw, template",
    [
        ("", MESSAGE_EMPTY),
        ("9133", MESSAGE_LENGTH),
        ("9133O100716105852F", MESSAGE_CHARACTER),
        ("B1330100716105852F", MESSAGE_AUTHORITY),
        ("9133A100716105852F", MESSAGE_REGION),
        ("91330100716105852G", MESSAGE_CHECK),
    ],
)
def test_every_error_message_is_its_template_filled_with_its_params(raw: str, template: str) -> None:
    error = rejection(raw)
    assert error.template is template
    assert str(error) == error.message == template % error.params
    assert isinstance(error, ValueError)


@pytest.mark.parametrize("first17", ["", "9133010071610585", "913301007161058520", "9133O100716105852"])
def test_computing_a_check_character_requires_17_characters_of_the_alphabet(first17: str) -> None:
    with pytest.raises(ValueError):
        compute_check_character(first17)


# Properties

alphabet_characters = st.sampled_from(ALPHABET)
digits = st.sampled_from("0123456789")


@st.composite
def valid_prefixes(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from(sorted(REGISTRATION_AUTHORITIES)))
    organisation_type = draw(alphabet_characters)
    region = "".join(draw(st.lists(digits, min_size=6, max_size=6)))
    organisation_code = "".join(draw(st.lists(alphabet_characters, min_size=9, max_size=9)))
    return authority + organisation_type + region + organisation_code


@given(prefix=valid_prefixes(), wrong_check=alphabet_characters)
def test_any_valid_prefix_with_its_computed_check_character_validates_and_no_other_does(
    prefix: str, wrong_check: str
) -> None:
    check = compute_check_character(prefix)
    assert validate_credit_code(prefix + check) == prefix + check

    assume(wrong_check != check)
    with pytest.raises(CreditCodeError) as caught:
        validate_credit_code(prefix + wrong_check)
    assert caught.value.code == "check"
