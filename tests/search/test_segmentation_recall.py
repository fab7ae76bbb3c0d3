"""Part of the contract suite (the `backend` fixture of test_contract runs every configured backend): what
segmentation alone would miss must still be found.

- A word the segmenter cuts differently inside a text than on its own (污水处理 is one word; 污水处理厂 is 污水 /
  处理厂). The cases are real: demo texts and the words buyers would type, as the segmenter cuts them today.
- A single character, which segmentation keeps inside longer words (锂 in 锂电池, 膜 in 隔膜).

Both are found through the gram fallback (`search.text.grams`), which ranks below the words themselves.
"""

import pytest

from bench.search import COMPOUNDS
from search.backends.base import SearchQuery
from search.text import segment, subwords_of
from tests.factories import make_application_number
from tests.search.factories import make_listing
from tests.search.test_contract import backend, found, index, publish  # noqa: F401 - the contract's fixture

pytestmark = pytest.mark.django_db


def is_phrase_of(tokens: list[str], text_tokens: list[str]) -> bool:
    n = len(tokens)
    return any(text_tokens[i : i + n] == tokens for i in range(len(text_tokens) - n + 1))


def test_the_compound_cases_are_real_segmentation_differences():
    """Each case's word, segmented on its own, is neither a phrase of its text's tokens nor one of their sub-words:
    without the fallback no backend reading our tokens would find it."""
    assert len(COMPOUNDS) >= 10
    for word, text in COMPOUNDS.items():
        assert word in text
        text_tokens = segment(text)
        assert not is_phrase_of(segment(word), text_tokens), word
        assert word not in subwords_of(text_tokens), word


@pytest.fixture
def compound_listings(world, backend):  # noqa: F811 - the contract's fixture
    texts = list(dict.fromkeys(COMPOUNDS.values()))
    listings = {}
    for n, text in enumerate(texts):
        # Half of them in the title, half in the summary only.
        title, summary = (text, "一种技术。") if n % 2 else ("一种技术", text)
        listings[text] = make_listing(
            world.university,
            title=title,
            summary=summary,
            number=make_application_number(200 + n),
            ipc=["C02F 1/44"],
            inventors=["钱程"],
        )
        publish(listings[text], days_ago=n)
    index(backend, *listings.values())
    return listings


@pytest.mark.parametrize("word", list(COMPOUNDS))
def test_a_word_cut_differently_in_the_text_still_finds_it(backend, compound_listings, word):  # noqa: F811
    expected = {listing.pk for text, listing in compound_listings.items() if word in text}
    assert expected <= set(found(backend, word))
    assert len(expected) >= 1


def test_a_compound_with_another_word_finds_the_listings_with_both(backend, compound_listings):  # noqa: F811
    assert found(backend, "污水处理 工业园区") == [compound_listings[COMPOUNDS["污水处理"]].pk]
    assert found(backend, "显示屏 污水处理") == []


def test_exact_word_matches_rank_above_matches_found_by_the_fallback_only(backend, world):  # noqa: F811
    """Newer listings where 污水处理 was cut into 污水 / 处理厂 come after the listings with the word itself, whether
    the word is in their title or only in their summary."""
    texts = [
        ("城市污水处理厂提标改造技术", "适用于污水处理厂和工业园区。"),  # fallback only, newest
        ("一种污水处理方法", "一种方法。"),  # the word in the title
        ("生物膜反应器", "用于污水处理的生物膜。"),  # the word in the summary
        ("污水处理厂污泥干化装置", "一种装置。"),  # fallback only
    ]
    listings = [
        make_listing(
            world.university,
            title=title,
            summary=summary,
            number=make_application_number(230 + n),
            ipc=["C02F 3/28"],
            inventors=["钱程"],
        )
        for n, (title, summary) in enumerate(texts)
    ]
    for days_ago, listing in enumerate(listings):
        publish(listing, days_ago)
    index(backend, *listings)
    fallback_only, in_title, in_summary, older_fallback_only = listings
    ranked = found(backend, "污水处理")
    assert ranked[:2] == [in_title.pk, in_summary.pk]
    assert set(ranked[2:]) == {fallback_only.pk, older_fallback_only.pk}
    pages = [backend.search(SearchQuery(text="污水处理", page=page, page_size=1)) for page in (1, 2, 3, 4, 5)]
    assert [pk for page in pages for pk in page.ids] == ranked
    assert {page.total for page in pages} == {4}


SINGLE_CHARACTER_TEXTS = {
    "锂": ["高能量密度锂电池正极材料", "磷酸铁锂正极材料的制备方法", "单质锂负极保护层", "锂离子电池隔膜"],
    "膜": ["陶瓷涂覆隔膜", "反渗透膜组件", "膜分离浓缩装置", "锂离子电池隔膜", "石墨烯导热膜"],
}
OTHER_TEXTS = ["钠离子电池正极", "天然石墨提纯工艺"]


@pytest.mark.parametrize("character", list(SINGLE_CHARACTER_TEXTS))
def test_a_single_character_finds_every_listing_that_contains_it(backend, world, character):  # noqa: F811
    titles = list(dict.fromkeys([*(t for texts in SINGLE_CHARACTER_TEXTS.values() for t in texts), *OTHER_TEXTS]))
    listings = {
        title: make_listing(
            world.enterprise,
            title=title,
            summary="一种技术。",
            number=make_application_number(250 + n),
            ipc=["H01M 4/525"],
            inventors=["钱程"],
        )
        for n, title in enumerate(titles)
    }
    for days_ago, listing in enumerate(listings.values()):
        publish(listing, days_ago)
    index(backend, *listings.values())
    assert set(found(backend, character)) == {listing.pk for title, listing in listings.items() if character in title}
