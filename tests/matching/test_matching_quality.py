"""Matching quality on the judged set (tests/matching/judged_demands.json): demands written as firms describe their
problems, against the demo's 500 listings. Precision@5 of what a demand page shows must reach 0.9 and beat a plain
TF-IDF keyword baseline computed in the same run; demands with nothing relevant on the platform show nothing (every
pair scores under the shown threshold). One setup for the whole module: seeding the demo takes ~20 s."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from bench.matching import evaluate, load_judged

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures():
    call_command("seed_demo", "--listings", "500", stdout=StringIO())
    call_command("search_index", "rebuild", stdout=StringIO())
    return evaluate()


def test_the_judged_set_is_big_enough_and_written_apart_from_the_listings():
    judged = load_judged()
    assert len(judged["demands"]) >= 40 and len(judged["nothing_relevant"]) >= 8
    assert all(entry["relevant"] for entry in judged["demands"])


def test_matching_shows_relevant_patents_first_better_than_keywords_and_nothing_for_unanswerable_needs(figures):
    assert figures["precision_at_5"] >= 0.9, figures["details"]
    assert figures["precision_at_5"] > figures["baseline_precision_at_5"]
    assert figures["recall_at_20"] >= 0.8
    for item in figures["nothing_relevant"]:
        assert item["shown"] == 0 and item["best"] < settings.MATCHING_MIN_SCORE, item
