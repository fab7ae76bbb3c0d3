import pytest

from listings.patents.ipc import IPC_SECTIONS, IpcCode, IpcCodeError, parse_ipc, parse_ipc_prefix


@pytest.mark.parametrize(
    "raw",
    [
        "H01M 4/525",
        "H01M4/525",
        "h01m 4/525",
        "H01M   4/525",
        "H01M 4 / 525",
        "  H01M 4/525  ",
        "H01M 0004/525",  # zero-padded main group
        "Ｈ０１Ｍ　４／５２５",  # full width, ideographic space
        "ｈ０１ｍ４／５２５",
        "H01M 4/525 (2010.01)",  # IPC version as printed on patent documents
        "H01M4/525(2010.01)I",
    ],
)
def test_every_common_writing_of_an_ipc_code_normalises_to_the_canonical_form(raw):
    code = parse_ipc(raw)
    assert code == IpcCode(section="H", class_="01", subclass="M", main_group=4, subgroup="525")
    assert code.normalised == "H01M 4/525"
    assert str(code) == "H01M 4/525"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("G06F 16/33", "G06F 16/33"),
        ("g06f16/33", "G06F 16/33"),
        ("A61K 31/00", "A61K 31/00"),
        ("C07D 401/04", "C07D 401/04"),
        ("B01J 2523/845", "B01J 2523/845"),
        ("H04L 9/083217", "H04L 9/083217"),  # six-digit subgroup
    ],
)
def test_main_groups_and_subgroups_keep_their_significant_digits(raw, normalised):
    assert parse_ipc(raw).normalised == normalised


def test_an_ipc_code_exposes_its_section_class_and_subclass():
    code = parse_ipc("G06F 16/33")
    assert code.section == "G"
    assert code.class_code == "G06"
    assert code.subclass_code == "G06F"
    assert code.main_group_prefix == "G06F 16/"
    assert IPC_SECTIONS[code.section] == ("物理", "Physics")


def test_the_eight_sections_have_chinese_and_english_titles():
    assert list(IPC_SECTIONS) == list("ABCDEFGH")
    assert IPC_SECTIONS["A"] == ("人类生活必需", "Human necessities")
    assert IPC_SECTIONS["F"][0] == "机械工程；照明；加热；武器；爆破"
    assert IPC_SECTIONS["H"] == ("电学", "Electricity")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("I01M 4/525", "section"),  # no section I
        ("101M 4/525", "section"),
        ("HXXM 4/525", "class"),
        ("H1M 4/525", "class"),
        ("H01 4/525", "subclass"),
        ("H011 4/525", "subclass"),
        ("H01M /525", "main_group"),
        ("H01M 0/52", "main_group"),
        ("H01M 12345/52", "main_group"),
        ("H01M 4/5", "subgroup"),  # one digit: 4/50? 4/05? ambiguous
        ("H01M 4/1234567", "subgroup"),
        ("H01M 4/52a", "subgroup"),
        ("H01M 4/ab", "subgroup"),
        ("H01M", "incomplete"),  # a subclass is not a full code
        ("H01", "incomplete"),
        ("H", "incomplete"),
        ("H01M 4", "incomplete"),
        ("H01M 4/", "incomplete"),
        ("H01MA 4/525", "format"),
        ("H01M 4-525", "format"),
        ("H01M 4/525 (2010)", "subgroup"),
    ],
)
def test_invalid_ipc_codes_are_rejected_with_the_part_that_is_wrong(raw, code):
    with pytest.raises(IpcCodeError) as excinfo:
        parse_ipc(raw)
    assert excinfo.value.code == code


def test_an_ipc_error_names_the_wrong_part_with_a_translatable_template():
    with pytest.raises(IpcCodeError) as excinfo:
        parse_ipc("h01 4/525")
    error = excinfo.value
    assert isinstance(error, ValueError)
    assert error.params == {"value": "H01 4/525", "class_code": "H01"}
    assert error.template % error.params == str(error)
    assert "class H01 must be followed by a subclass letter" in str(error)


def test_a_subclass_alone_is_reported_as_incomplete():
    with pytest.raises(IpcCodeError, match="only part of an IPC code"):
        parse_ipc("H01M")


@pytest.mark.parametrize(
    ("raw", "prefix"),
    [
        ("h", "H"),
        ("H01", "H01"),
        ("ｈ０１", "H01"),
        ("h01m", "H01M"),
        ("H01M 4", "H01M 4/"),
        ("H01M4", "H01M 4/"),
        ("H01M 4/", "H01M 4/"),
        ("H01M 004", "H01M 4/"),
        ("G06F16", "G06F 16/"),
        ("h01m4/525", "H01M 4/525"),
        ("H01M 4/52", "H01M 4/52"),
    ],
)
def test_any_leading_part_of_a_code_gives_a_search_prefix(raw, prefix):
    assert parse_ipc_prefix(raw) == prefix


def test_a_main_group_prefix_ends_with_a_slash_so_it_does_not_match_longer_groups():
    prefix = parse_ipc_prefix("H01M 4")
    assert parse_ipc("H01M 4/525").normalised.startswith(prefix)
    assert not parse_ipc("H01M 40/00").normalised.startswith(prefix)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("", "empty"), ("Z", "section"), ("H0", "class"), ("H01 M", "subclass"), ("H01M 4/5", "subgroup")],
)
def test_an_invalid_prefix_is_rejected(raw, code):
    with pytest.raises(IpcCodeError) as excinfo:
        parse_ipc_prefix(raw)
    assert excinfo.value.code == code
