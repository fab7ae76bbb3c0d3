"""The English title and summary that some demo sellers write: how many, in what words, and that adding them left the
Chinese demo data as it was."""

import dataclasses
import re

import pytest

from listings.models import Listing
from portal.demo import technologies_en
from portal.demo.listings import demo_listing, seed_listings
from portal.demo.listings import english as english_module
from portal.demo.seed import seed_core
from portal.demo.technologies import FIELDS

LISTINGS = 1000
# Chinese characters, and the full-width punctuation that comes with them ("（", "，", "。").
CHINESE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def demos():
    return [demo_listing(index) for index in range(LISTINGS)]


def is_english(text: str) -> bool:
    """No Chinese, and ASCII but for a few units and symbols ("°C", "μm", "m²")."""
    ascii_share = sum(character.isascii() for character in text) / len(text)
    return not CHINESE.search(text) and ascii_share >= 0.9


def test_about_three_in_five_demo_listings_have_english_and_the_rest_none_at_all(demos):
    with_english = [demo for demo in demos if demo.title_en]
    assert 0.4 <= len(with_english) / len(demos) <= 0.8
    for demo in demos:
        assert bool(demo.title_en) == bool(demo.summary_en), demo.index


def test_english_titles_and_summaries_are_english_and_fit_the_listing(demos):
    title_length = Listing._meta.get_field("title_en").max_length
    for demo in demos:
        if demo.title_en:
            assert is_english(demo.title_en), demo.title_en
            assert is_english(demo.summary_en), demo.summary_en
            assert len(demo.title_en) <= title_length
            assert not demo.title_en[0].islower() and not demo.summary_en[0].islower()  # "3D …" is fine
            assert demo.summary_en.endswith(".")


def test_english_search_words_find_demo_listings_on_graphene_and_lithium_batteries(demos):
    titles = [demo.title_en.lower() for demo in demos]
    assert any("graphene" in title for title in titles)
    assert any("lithium" in title and "battery" in title for title in titles)


def test_the_english_summary_states_the_numbers_of_the_chinese_one(demos):
    checked = 0
    for demo in demos:
        if demo.summary_en and demo.benefits and "欢迎洽谈" not in demo.summary:
            benefit = demo.benefits[0]
            number = f"{float(benefit.value):,.{len(benefit.value.partition('.')[2])}f}"
            if benefit.unit in technologies_en.UNIT_SCALES:
                continue
            assert number in demo.summary_en, (benefit, demo.summary_en)
            checked += 1
    assert checked > 100


def test_every_topic_and_every_word_the_demo_draws_has_its_english():
    topics = [topic for technology in FIELDS for topic in technology.topics]
    for technology in FIELDS:
        assert is_english(technology.buyers_en), technology.key
        for product, uses in technology.design_products:
            assert is_english(technologies_en.PRODUCTS[product])
            assert all(is_english(technologies_en.USES[use]) for use in uses)
    for topic in topics:
        assert is_english(topic.subject_en), topic.subject
        assert topic.subject_en == topic.subject_en.strip()
        for use in topic.uses:
            assert is_english(technologies_en.USES[use]), use
        for metric in topic.metrics:
            assert is_english(technologies_en.METRICS[metric.name]), metric.name
            assert is_english(technologies_en.BASELINES[metric.baseline_tech]), metric.baseline_tech
            assert not CHINESE.search(technologies_en.UNITS.get(metric.unit, metric.unit)), metric.unit
        if topic.analysis:
            for technique in topic.analysis.techniques:
                assert is_english(technologies_en.TECHNIQUES[technique]), technique
    graphene = [topic for topic in topics if "石墨烯" in topic.subject]
    assert graphene and all("graphene" in topic.subject_en for topic in graphene)
    lithium = [topic for topic in topics if "锂电池" in topic.subject or "锂离子" in topic.subject]
    assert lithium and all("lithium" in topic.subject_en and "batter" in topic.subject_en for topic in lithium)


def test_the_english_draws_leave_the_chinese_data_as_it_was(monkeypatch):
    """The English comes from a generator of its own: with or without it, every listing is the same in Chinese."""

    def chinese(share: float) -> list[dict]:
        monkeypatch.setattr(english_module, "ENGLISH_SHARE", share)
        rows = []
        for index in range(300):
            row = dataclasses.asdict(demo_listing(index))
            assert bool(row.pop("title_en")) == bool(row.pop("summary_en")) == (share == 1.0)
            rows.append(row)
        return rows

    assert chinese(0.0) == chinese(1.0)


@pytest.mark.django_db
def test_seeding_stores_the_english_with_the_listing():
    seed_core()
    seed_listings(30)
    stored = dict(Listing.objects.values_list("listing_patents__patent__application_number", "title_en"))
    for index in range(30):
        demo = demo_listing(index)
        assert stored[demo.patents[0].application_number] == demo.title_en
    summaries = set(Listing.objects.values_list("summary_en", flat=True))
    assert {demo_listing(index).summary_en for index in range(30)} == summaries
