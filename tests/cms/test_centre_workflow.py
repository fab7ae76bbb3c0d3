"""A centre's news goes live when the provincial centre approves it, not before."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import PolicyIndexPage, PolicyNewsPage
from cms.services import centre_sections_sync
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ningbo_news(world, home):
    sections = {section.centre.slug: section for section in centre_sections_sync(home=home)}
    return PolicyIndexPage.objects.child_of(sections["ningbo"].page).get()


def submit_article(client, index, *, slug="ningbo-matchmaking"):
    """Fill in the admin's "add article" form as an editor would, and submit it for moderation."""
    add_url = reverse("wagtailadmin_pages:add", args=("cms", "policynewspage", index.pk))
    form = querydict_from_html(client.get(add_url).text, form_id="page-edit-form")
    form["title"] = "宁波中心举办新材料专利许可对接会"
    form["slug"] = slug
    form["category"] = "news"
    form["publish_date"] = "2026-04-01"
    form["summary"] = "二十余项新材料专利现场对接，三项达成普通许可意向。"
    form["body-count"] = "0"  # the StreamField widget is drawn by JavaScript: an empty body
    form["action-submit"] = "Submit for moderation"
    return client.post(add_url, form)


def test_a_centre_editor_s_article_stays_in_moderation_until_the_provincial_centre_approves(client, world, ningbo_news):
    sign_in(client, world.ningbo_broker)
    response = submit_article(client, ningbo_news)
    assert response.status_code == 302

    article = PolicyNewsPage.objects.get(slug="ningbo-matchmaking")
    assert not article.live
    state = article.current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task = task_state.task.specific
    assert list(task.groups.all()) == [world.root_staff.groups.get()]

    client.logout()
    assert client.get(f"{ningbo_news.url}ningbo-matchmaking/").status_code == 404
    assert "宁波中心举办" not in client.get(ningbo_news.url).text

    # Neither the author nor another centre's editor may approve.
    for person in (world.ningbo_broker, world.hangzhou_broker):
        assert task.get_actions(article, person) == []
        sign_in(client, person)
        approve = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
        assert client.post(approve, {"comment": ""}).status_code in (302, 403)
        article.refresh_from_db()
        assert not article.live

    sign_in(client, world.root_staff)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk)), {"comment": ""}
    )
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.live
    assert article.current_workflow_state is None
    client.logout()
    page = client.get(article.url)
    assert page.status_code == 200 and "宁波中心举办新材料专利许可对接会" in page.text
    assert "宁波中心举办新材料专利许可对接会" in client.get(ningbo_news.url).text


def test_a_rejected_article_goes_back_to_its_author_unpublished(client, world, ningbo_news):
    sign_in(client, world.ningbo_broker)
    submit_article(client, ningbo_news, slug="to-reject")
    article = PolicyNewsPage.objects.get(slug="to-reject")
    task_state = article.current_workflow_state.current_task_state

    sign_in(client, world.root_staff)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "reject", task_state.pk)),
        {"comment": "请补充对接会的成交数据。"},
    )
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == "needs_changes"
