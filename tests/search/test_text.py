"""The tokenizer: what the index stores and how a query is read."""

import logging

import pytest

from search.text import (
    _RUN,
    DOMAIN_WORDS,
    Match,
    _is_cjk,
    _jieba,
    _normalise,
    grams,
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


def demo_chinese_runs(listings: int) -> list[str]:
    """Every run of Chinese in the first demo listings' texts, the bench's queries and the domain words."""
    from bench.search import CHINESE
    from portal.demo.listings.generator import demo_listing

    texts = [*DOMAIN_WORDS, *CHINESE]
    for index in range(listings):
        demo = demo_listing(index)
        texts += [demo.title, demo.summary, demo.application_fields, demo.comparison, demo.seller_name]
        for patent in demo.patents:
            texts += [patent.title, patent.abstract, patent.first_claim]
    runs = (run for text in texts for run in _RUN.findall(_normalise(text)) if _is_cjk(run))
    return list(dict.fromkeys(runs))


def test_rjieba_segments_the_demo_vocabulary_exactly_as_jieba_does():
    """rjieba (jieba-rs) replaced jieba for speed; it must cut every text the same way, domain words included, or
    listings indexed by one would not be found by queries read by the other. jieba stays a dev dependency for
    this comparison only."""
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    reference.initialize()
    for word in DOMAIN_WORDS:
        reference.add_word(word)
    runs = demo_chinese_runs(5000)
    assert len(runs) > 12_000  # distinct runs
    ours = _jieba()
    assert [ours.cut(run) for run in runs] == [reference.lcut(run) for run in runs]
    assert [ours.cut_for_search(run) for run in runs] == [reference.lcut_for_search(run) for run in runs]


def test_grams_cover_every_character_of_each_chinese_run():
    assert grams("污水处理厂 and 锂") == ["g污水", "g水处", "g处理", "g理厂", "g厂", "g锂"]
    assert grams("LiFePO4") == []


def test_a_chinese_word_falls_back_to_adjacent_grams_and_a_character_to_a_gram_prefix():
    [clause] = parse_query("污水处理")
    assert clause.fallback == (Match(("g污水", "g水处", "g处理")),)
    [clause] = parse_query("锂")
    assert clause.fallback == (Match(("g锂",), prefix=True),)
    assert [clause.fallback for clause in parse_query("battery H01M")] == [(), ()]
