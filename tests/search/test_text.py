"""The tokenizer: what the index stores and how a query is read."""

from search.text import (
    Match,
    highlight,
    ipc_prefixes,
    ipc_tokens,
    parse_query,
    segment,
    stem,
    subwords,
)
from tests.factories import make_application_number


def alternatives(text: str) -> list[tuple[Match, ...]]:
    return [clause.alternatives for clause in parse_query(text)]


def test_chinese_is_segmented_precisely_with_search_mode_subwords_kept_apart():
    assert segment("一种高效锂电池正极材料") == ["一种", "高效", "锂电池", "正极材料"]
    assert {"锂电", "电池", "正极", "材料"} <= set(subwords("一种高效锂电池正极材料"))


def test_domain_words_are_not_split():
    assert segment("石墨烯") == ["石墨烯"]
    assert segment("固态电解质和钙钛矿") == ["固态电解质", "和", "钙钛矿"]


def test_english_is_lower_cased_and_stemmed():
    assert segment("Lithium Batteries, coated") == ["lithium", "battery", "coat"]
    assert stem("batteries") == stem("battery") == "battery"
    assert stem("processes") == stem("processing") == "process"
    assert stem("gas") == "gas"


def test_full_width_text_is_read_as_ascii():
    assert segment("ＬＥＤ　３００Ｗｈ") == ["led", "300wh"]


def test_an_application_number_in_any_writing_becomes_one_token():
    number = make_application_number(42)  # 201910000042.8
    digits, check = number.split(".")
    expected = (Match((f"{digits}{check}",)),)
    for written in (
        number,
        f"CN{number}",
        f"ZL{digits}{check}",
        f"{digits}{check}",
        f"ZL {digits[:4]} 1 {digits[5:]}.{check}",
    ):
        assert alternatives(written) == [expected], written


def test_a_partial_number_is_searched_as_a_prefix():
    assert Match(("2019100000",), prefix=True) in alternatives("2019100000")[0]


def test_ipc_codes_are_indexed_with_every_prefix_level():
    assert ipc_prefixes("H01M 4/525") == ["H", "H01", "H01M", "H01M 4/"]
    assert ipc_tokens("H01M 4/525") == ["ipch", "ipch01", "ipch01m", "ipch01m4g", "ipch01m4g525"]


def test_ipc_queries_match_the_prefix_level_typed():
    assert Match(("ipch01m",)) in alternatives("h01m")[0]
    assert alternatives("H01M 4/525") == [(Match(("ipch01m4g525",), prefix=True),)]
    assert alternatives("H01M 4/") == [(Match(("ipch01m4g",)),)]


def test_a_query_word_of_several_tokens_is_one_phrase():
    assert alternatives("锂电池正极材料") == [(Match(("锂电池", "正极材料")),)]
    assert len(alternatives("锂电池 battery")) == 2


def test_highlighting_escapes_user_text_and_marks_matches():
    marked = highlight("<b>锂电池</b> & Batteries", "battery 锂电池")
    assert marked == "&lt;b&gt;<mark>锂电池</mark>&lt;/b&gt; &amp; <mark>Batteries</mark>"


def test_a_long_text_is_cut_to_a_window_around_the_first_match():
    text = "前言" * 100 + "锂电池" + "结尾" * 100
    snippet = highlight(text, "锂电池", max_chars=40)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>锂电池</mark>" in snippet
