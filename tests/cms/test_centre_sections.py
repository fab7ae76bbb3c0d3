""" "1+X" in the CMS: one news section per operation centre, edited by that centre's staff only."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page, Workflow, WorkflowPage

from cms.models import CentreNewsIndexPage, PolicyIndexPage
from cms.services import HomePageMissing, centre_sections_sync
from marketplace.centres.models import CentreStaff
from tests.cms.conftest import make_index
from tests.factories import CentreStaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def main_index(home):
    return make_index(home)


@pytest.fixture
def sections(world, home, main_index):
    return {section.centre.slug: section for section in centre_sections_sync(home=home)}


def news_index(section) -> PolicyIndexPage:
    return PolicyIndexPage.objects.child_of(section.page).get()


def snapshot():
    return (
        sorted(Page.objects.values_list("path", "title", "live", "content_type__model")),
        sorted(
            (group.name, tuple(sorted(group.user_set.values_list("pk", flat=True)))) for group in Group.objects.all()
        ),
        sorted(GroupPagePermission.objects.values_list("group__name", "page__path", "permission__codename")),
        sorted(
            GroupCollectionPermission.objects.values_list("group__name", "collection__name", "permission__codename")
        ),
        sorted(WorkflowPage.objects.values_list("page__path", "workflow__name")),
        Workflow.objects.count(),
    )


def test_every_centre_gets_one_published_section_with_a_news_index_and_a_group_of_its_staff(world, home, sections):
    assert set(sections) == {"zhejiang", "ningbo", "nev", "hangzhou"}
    for slug, section in sections.items():
        assert section.page.live and section.page.get_parent().pk == home.pk
        assert section.page.centre.slug == slug and section.page.editors_group == section.group
        assert news_index(section).live
        assert section.group.permissions.filter(codename="access_admin").exists()
    assert list(sections["ningbo"].group.user_set.all()) == [world.ningbo_broker]
    assert list(sections["nev"].group.user_set.all()) == [world.alliance_broker]
    assert list(sections["zhejiang"].group.user_set.all()) == [world.root_staff]
    assert sections["ningbo"].page.title == "宁波知识产权交易中心"


def test_the_sync_is_idempotent(world, home, sections):
    first = snapshot()
    centre_sections_sync(home=home)
    assert snapshot() == first


def test_the_sync_needs_a_home_page(world):
    with pytest.raises(HomePageMissing):
        centre_sections_sync()
    with pytest.raises(CommandError):
        call_command("sync_centre_sections")


def test_the_sync_command_reports_every_centre(world, sections):
    output = StringIO()
    call_command("sync_centre_sections", stdout=output)
    assert "ningbo: " in output.getvalue() and "4 centre sections in step." in output.getvalue()


def test_a_centre_s_staff_edit_their_own_section_and_no_other(world, sections, main_index):
    ningbo, hangzhou = news_index(sections["ningbo"]), news_index(sections["hangzhou"])
    broker = world.ningbo_broker
    assert ningbo.permissions_for_user(broker).can_add_subpage()
    assert ningbo.permissions_for_user(broker).can_edit()
    assert sections["ningbo"].page.permissions_for_user(broker).can_edit()
    assert not hangzhou.permissions_for_user(broker).can_add_subpage()
    assert not sections["hangzhou"].page.permissions_for_user(broker).can_edit()
    # A sub-centre's section is its own staff's, not its parent centre's.
    assert not news_index(sections["nev"]).permissions_for_user(broker).can_edit()
    assert not main_index.permissions_for_user(broker).can_add_subpage()


def test_centre_editors_submit_and_only_the_provincial_centre_publishes(world, sections, main_index):
    assert not news_index(sections["ningbo"]).permissions_for_user(world.ningbo_broker).can_publish()
    provincial = world.root_staff
    assert news_index(sections["zhejiang"]).permissions_for_user(provincial).can_publish()
    assert main_index.permissions_for_user(provincial).can_publish()
    # Approving publishes: the provincial centre may publish in other sections, but not change their pages.
    assert news_index(sections["ningbo"]).permissions_for_user(provincial).can_publish()
    assert not sections["ningbo"].page.permissions_for_user(provincial).can_edit()
    assert not news_index(sections["ningbo"]).permissions_for_user(provincial).can_add_subpage()


def test_people_outside_a_centre_cannot_edit_any_section(world, sections):
    for person in (world.stranger, world.seller, world.buyer):
        for section in sections.values():
            assert not news_index(section).permissions_for_user(person).can_add_subpage()
            assert not section.page.permissions_for_user(person).can_edit()


def test_in_the_admin_a_centre_editor_reaches_only_their_own_section(client_for, world, sections):
    client = client_for(world.ningbo_broker)
    own = news_index(sections["ningbo"])
    other = news_index(sections["hangzhou"])
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:add", args=("cms", "policynewspage", own.pk))).status_code == 200
    refused = client.get(reverse("wagtailadmin_pages:add", args=("cms", "policynewspage", other.pk)))
    assert refused.status_code in (302, 403)
    assert client.get(reverse("wagtailadmin_pages:edit", args=(sections["hangzhou"].page.pk,))).status_code in (
        302,
        403,
    )


def test_signed_in_people_without_a_centre_do_not_get_into_the_cms(client_for, world, sections):
    response = client_for(world.stranger).get(reverse("wagtailadmin_home"))
    assert response.status_code == 302 and "/cms/login/" in response["Location"]


def test_new_staff_join_their_centre_s_group_at_once_and_leave_it_with_the_centre(
    world, sections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = CentreStaffFactory(centre=world.hangzhou).user
    group = sections["hangzhou"].group
    assert group.user_set.filter(pk=newcomer.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        CentreStaff.objects.filter(user=newcomer).delete()
    assert not group.user_set.filter(pk=newcomer.pk).exists()


def test_the_sync_removes_people_no_longer_on_a_centre_s_staff(world, home, sections):
    CentreStaff.objects.filter(user=world.ningbo_broker).delete()  # (no on-commit callbacks run in this test)
    assert sections["ningbo"].group.user_set.filter(pk=world.ningbo_broker.pk).exists()
    centre_sections_sync(home=home)
    assert not sections["ningbo"].group.user_set.exists()


def test_a_section_can_not_be_copied_onto_its_centre_again(sections):
    copy = sections["ningbo"].page.copy(update_attrs={"slug": "ningbo-copy"}, keep_live=False)
    assert copy.centre is None and copy.editors_group is None
    assert CentreNewsIndexPage.objects.get(centre=sections["ningbo"].centre).pk == sections["ningbo"].page.pk
