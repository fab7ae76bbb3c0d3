import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import override

from marketplace.centres.models import CentreKind, OperationCentre
from marketplace.centres.selectors import ancestor_ids, centres_with_depth, descendant_ids
from marketplace.centres.services import centre_create, centre_move

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_root_even_without_the_service(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OperationCentre.objects.create(
            name="另一个省中心", slug="second-root", kind=CentreKind.PROVINCIAL, is_root=True
        )


def test_the_database_refuses_a_root_flag_on_a_centre_with_a_parent(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OperationCentre.objects.create(
            name="假根", slug="fake-root", kind=CentreKind.CITY_EXCHANGE, parent=world.ningbo, is_root=True
        )


def test_the_database_refuses_a_non_root_centre_without_a_parent(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OperationCentre.objects.create(name="孤儿中心", slug="orphan", kind=CentreKind.CITY_EXCHANGE, is_root=False)


def test_the_database_refuses_a_bulk_update_that_would_make_two_roots(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OperationCentre.objects.filter(pk=world.hangzhou.pk).update(parent=None, is_root=True)


def test_creating_a_second_root_through_the_service_says_why_it_is_refused(world):
    with override("en"), pytest.raises(ValidationError, match="already a provincial centre"):
        centre_create(name="第二省中心", slug="second", kind=CentreKind.PROVINCIAL, parent=None)


def test_the_first_centre_without_a_parent_becomes_the_root(db):
    centre = centre_create(name="浙江省知识产权交易中心", slug="zj", kind=CentreKind.PROVINCIAL, parent=None)
    assert centre.is_root
    child = centre_create(name="温州中心", slug="wz", kind=CentreKind.CITY_EXCHANGE, parent=centre, city="wenzhou")
    assert not child.is_root and child.parent == centre


def test_a_centre_cannot_be_moved_below_its_own_sub_centre(world):
    with override("en"), pytest.raises(ValidationError, match="below itself"):
        centre_move(centre=world.ningbo, new_parent=world.ningbo_alliance)


def test_the_root_cannot_be_moved(world):
    with override("en"), pytest.raises(ValidationError, match="root"):
        centre_move(centre=world.root, new_parent=world.ningbo)


def test_moving_a_centre_re_hangs_its_whole_subtree(world):
    centre_move(centre=world.ningbo, new_parent=world.hangzhou)
    assert descendant_ids([world.hangzhou.id]) == {
        world.hangzhou.id,
        world.ningbo.id,
        world.ningbo_alliance.id,
    }


def test_descendants_and_ancestors_follow_the_tree(world):
    assert descendant_ids([world.ningbo.id]) == {world.ningbo.id, world.ningbo_alliance.id}
    assert descendant_ids([world.root.id]) == set(OperationCentre.objects.values_list("id", flat=True))
    assert ancestor_ids(world.ningbo_alliance) == [world.ningbo.id, world.root.id]


def test_the_tree_lists_the_root_first_and_children_below_their_parent(world):
    tree = [(centre.slug, depth) for centre, depth in centres_with_depth()]
    assert tree[0] == ("zhejiang", 0)
    assert tree.index(("ningbo", 1)) < tree.index(("nev", 2))


def test_the_network_page_shows_every_centre(world, client):
    response = client.get("/centres/")
    assert response.status_code == 200
    for centre in OperationCentre.objects.all():
        assert centre.name in response.text


# --- The tree kept in each process (selectors._centres_by_name) --------------------------------------------------


def test_the_kept_tree_costs_no_query_until_a_centre_changes(world, django_assert_num_queries):
    centres_with_depth()
    with django_assert_num_queries(0):
        assert [centre for centre, _depth in centres_with_depth()][0] == world.root
        assert world.ningbo_alliance.id in descendant_ids([world.ningbo.id])
    moved = centre_move(centre=world.ningbo_alliance, new_parent=world.hangzhou)
    assert moved.parent_id == world.hangzhou.id
    assert world.ningbo_alliance.id not in descendant_ids([world.ningbo.id])
    assert world.ningbo_alliance.id in descendant_ids([world.hangzhou.id])


def test_a_change_made_by_another_process_is_seen_once_the_shared_version_moves(world, monkeypatch):
    from marketplace.centres import selectors

    centres_with_depth()
    # Another process renames a centre: this process's copy stays, the shared version moves.
    OperationCentre.objects.filter(pk=world.hangzhou.pk).update(name="杭州市知识产权运营中心")
    kept = selectors._tree
    selectors._forget_tree()
    selectors._tree = kept
    monkeypatch.setattr(selectors, "TREE_CHECK_SECONDS", 0)
    assert "杭州市知识产权运营中心" in [centre.name for centre, _depth in centres_with_depth()]
