"""Writes of the CMS: the operation centres' news sections, their editors groups, permissions and workflow."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.models import CentreNewsIndexPage, HomePage, PolicyIndexPage
from cms.selectors import site_home_page
from marketplace.centres.models import OperationCentre
from marketplace.centres.selectors import centres_with_depth

# Names of what the sync creates. They are data (editable in the admin afterwards), written in the platform's
# content language like the rest of the site's content.
GROUP_NAME = "{centre} · 编辑"
SECTION_NEWS_TITLE = "中心动态"
SECTION_NEWS_SLUG = "news"
WORKFLOW_NAME = "运营中心动态审核"
TASK_NAME = "省知识产权交易中心审核"

# A centre's editors write and change pages of their section; publishing is the provincial centre's approval.
CENTRE_PAGE_ACTIONS = ("add", "change")
# The provincial centre's editors also publish in their own section and the platform's policy index ...
PROVINCIAL_PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock")
# ... and approve the other centres' news, which publishes it: the right to publish there, not to change.
APPROVER_PAGE_ACTIONS = ("publish",)
COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
)


class HomePageMissing(Exception):
    """The centre sections go below the site's HomePage; create it first (cms.demo.seed_cms_demo does)."""


@dataclass(frozen=True)
class CentreSection:
    centre: OperationCentre
    page: CentreNewsIndexPage
    group: Group


def wagtail_tree_ensure() -> Page:
    """The page tree's root node, with the default locale and the root collection.

    Wagtail's migrations create all three; a database emptied since (a test run's flush) lacks them.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
    return root


def page_publish(page: Page) -> None:
    """Save the page's current state as a revision and publish it."""
    page.save_revision().publish()


# --- Centre sections ---------------------------------------------------------------------------------------


@transaction.atomic
def centre_sections_sync(*, home: HomePage | None = None) -> list[CentreSection]:
    """Give every operation centre its news section below the home page, edited by a group of its staff only.

    For each centre (root first), creates or updates: a CentreNewsIndexPage linked to the centre, with a policy
    index for its news; a Wagtail group named after the centre, with admin access, add/change permission on the
    section (the provincial centre's group may also publish) and a collection for its documents and images; and
    the group's members, set to the centre's staff exactly (people who left the centre leave the group).
    Every section then gets one moderation workflow whose only task is approval by the provincial centre's
    group (which may publish, not change, in the other sections), so a centre's news goes live once the
    provincial centre approves it. Running it again changes nothing that is already right; run it after adding
    centres (staff changes follow by signal, cms.receivers).
    """
    home = home or site_home_page()
    if home is None:
        raise HomePageMissing("Create the site's HomePage before the centre sections.")
    wagtail_tree_ensure()
    sections = [_section_sync(centre, home) for centre, _depth in centres_with_depth()]
    _orphan_sections_close()
    provincial = next((section for section in sections if section.centre.is_root), None)
    if provincial is not None:
        _provincial_rights_grant(provincial.group, home, sections)
        workflow = _workflow_sync(provincial.group)
        for section in sections:
            WorkflowPage.objects.update_or_create(page=section.page, defaults={"workflow": workflow})
    return sections


def _section_sync(centre: OperationCentre, home: HomePage) -> CentreSection:
    page = CentreNewsIndexPage.objects.filter(centre=centre).first()
    if page is None:
        page = CentreNewsIndexPage(title=centre.name, slug=_free_slug(home, f"{centre.slug}-news"), centre=centre)
        home.add_child(instance=page)
        page_publish(page)
        news = PolicyIndexPage(title=SECTION_NEWS_TITLE, slug=SECTION_NEWS_SLUG)
        page.add_child(instance=news)
        page_publish(news)
    group = _group_sync(page, centre)
    actions = PROVINCIAL_PAGE_ACTIONS if centre.is_root else CENTRE_PAGE_ACTIONS
    _page_permissions_set(group, page, actions)
    _collection_sync(group, centre)
    staff = get_user_model().objects.filter(centre_roles__centre=centre)
    group.user_set.set(staff)
    return CentreSection(centre=centre, page=page, group=group)


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _group_sync(page: CentreNewsIndexPage, centre: OperationCentre) -> Group:
    name = GROUP_NAME.format(centre=centre.name)
    group = page.editors_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=name)
        page.editors_group = group
        # The link is not content: save it on the page row without a new revision.
        page.save(update_fields=["editors_group"], clean=False)
    elif group.name != name and not Group.objects.filter(name=name).exists():
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    return group


def _page_permission(action: str) -> Permission:
    return Permission.objects.get(content_type=ContentType.objects.get_for_model(Page), codename=f"{action}_page")


def _page_permissions_set(group: Group, page: Page, actions: tuple[str, ...]) -> None:
    """Exactly these actions for the group on this page (and so on its subtree)."""
    wanted = {_page_permission(action) for action in actions}
    existing = GroupPagePermission.objects.filter(group=group, page=page)
    existing.exclude(permission__in=wanted).delete()
    have = set(existing.values_list("permission_id", flat=True))
    for permission in wanted:
        if permission.pk not in have:
            GroupPagePermission.objects.create(group=group, page=page, permission=permission)


def _collection_sync(group: Group, centre: OperationCentre) -> None:
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=centre.name).first() or root.add_child(name=centre.name)
    for app_label, codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _orphan_sections_close() -> None:
    """A section whose centre was deleted keeps its pages; its former editors lose access."""
    for page in CentreNewsIndexPage.objects.filter(centre__isnull=True).exclude(editors_group=None):
        page.editors_group.user_set.clear()


def _provincial_rights_grant(group: Group, home: HomePage, sections: list[CentreSection]) -> None:
    """The provincial centre publishes the platform's own policy news (the indexes directly below home), and
    approves the other centres' news: approving publishes, and Wagtail checks the approver's right to publish.
    It gets no right to change those sections' pages."""
    for index in PolicyIndexPage.objects.child_of(home):
        _page_permissions_set(group, index, PROVINCIAL_PAGE_ACTIONS)
    for section in sections:
        if section.group != group:
            _page_permissions_set(group, section.page, APPROVER_PAGE_ACTIONS)


def _workflow_sync(approvers: Group) -> Workflow:
    task = GroupApprovalTask.objects.filter(groups=approvers).order_by("pk").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([approvers])
    workflow = Workflow.objects.filter(workflow_tasks__task=task).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    if not workflow.active or not task.active:
        Workflow.objects.filter(pk=workflow.pk).update(active=True)
        GroupApprovalTask.objects.filter(pk=task.pk).update(active=True)
        workflow.refresh_from_db()
    return workflow


# --- Staff changes -----------------------------------------------------------------------------------------


def centre_editor_add(*, centre_id: int, user_id: int) -> None:
    """A new staff member of a centre joins its editors group (if the centre has a section)."""
    group = Group.objects.filter(cms_news_section__centre_id=centre_id).first()
    if group is not None:
        group.user_set.add(user_id)


def centre_editor_remove(*, centre_id: int, user_id: int) -> None:
    group = Group.objects.filter(cms_news_section__centre_id=centre_id).first()
    if group is not None:
        group.user_set.remove(user_id)
