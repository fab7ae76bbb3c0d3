"""Where each page type may be created, and that every one of them routes and renders (in Chinese by default)."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import CentreNewsIndexPage, HomePage, PolicyIndexPage, PolicyNewsPage, StandardPage
from cms.services import centre_sections_sync
from marketplace.accounts.models import User
from tests.cms.conftest import make_article, make_home, make_index, make_standard_page
from tests.factories import CentreFactory, RootCentreFactory, sign_in


class PageCreationRulesTests(WagtailPageTestCase):
    def test_a_home_page_goes_only_directly_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        for parent in (HomePage, PolicyIndexPage, StandardPage, CentreNewsIndexPage, PolicyNewsPage):
            self.assertCanNotCreateAt(parent, HomePage)

    def test_a_policy_index_goes_under_the_home_page_or_a_centre_section(self):
        self.assertAllowedParentPageTypes(PolicyIndexPage, {HomePage, CentreNewsIndexPage})
        self.assertCanCreateAt(HomePage, PolicyIndexPage)
        self.assertCanCreateAt(CentreNewsIndexPage, PolicyIndexPage)
        for parent in (Page, StandardPage, PolicyIndexPage, PolicyNewsPage):
            self.assertCanNotCreateAt(parent, PolicyIndexPage)

    def test_a_policy_article_goes_only_under_a_policy_index(self):
        self.assertAllowedParentPageTypes(PolicyNewsPage, {PolicyIndexPage})
        self.assertCanCreateAt(PolicyIndexPage, PolicyNewsPage)
        for parent in (Page, HomePage, StandardPage, CentreNewsIndexPage, PolicyNewsPage):
            self.assertCanNotCreateAt(parent, PolicyNewsPage)

    def test_a_standard_page_goes_under_the_home_page(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertAllowedSubpageTypes(StandardPage, set())

    def test_centre_sections_live_under_the_home_page_and_are_made_by_the_sync_only(self):
        self.assertAllowedParentPageTypes(CentreNewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CentreNewsIndexPage, {PolicyIndexPage})
        self.assertFalse(CentreNewsIndexPage.is_creatable)


class PageRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = RootCentreFactory()
        ningbo = CentreFactory(name="宁波知识产权交易中心", slug="ningbo", parent=root)
        cls.home = make_home()
        cls.home.body = [
            {"type": "hero", "value": {"heading": "让浙江的专利用起来", "lead": "", "image": None, "actions": []}},
            {"type": "rich_text", "value": "<p>欢迎。</p>"},
        ]
        cls.home.save_revision().publish()
        cls.policy = make_index(cls.home)
        cls.article = make_article(cls.policy, title="高校专利以许可方式转化", tags=["许可"])
        cls.about = make_standard_page(cls.home)
        sections = {section.centre: section.page for section in centre_sections_sync(home=cls.home)}
        cls.section = sections[ningbo]
        cls.superuser = User.objects.create_superuser(email="editor@example.cn", password="x")

    def test_every_page_type_is_routable_and_renderable(self):
        for page in (self.home, self.policy, self.article, self.about, self.section):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)

    def test_pages_render_in_chinese_by_default_within_the_site_layout(self):
        for page, text in (
            (self.home, "让浙江的专利用起来"),
            (self.policy, "高校专利以许可方式转化"),
            (self.article, "高校专利以许可方式转化"),
            (self.about, "我们做什么"),
            (self.section, "宁波知识产权交易中心"),
        ):
            response = self.client.get(page.url)
            self.assertContains(response, text)
            self.assertContains(response, '<html lang="zh-Hans">')
            self.assertContains(response, 'role="banner"')
            self.assertContains(response, "首页")

    def test_the_article_shows_its_document_facts_and_tags(self):
        response = self.client.get(self.article.url)
        self.assertContains(response, "政策摘要。")
        self.assertContains(response, "<h1")
        self.assertContains(response, f'href="{self.policy.url}?tag=')

    def test_the_admin_can_create_an_article_with_the_editor_form(self):
        sign_in(self.client, self.superuser)
        self.assertCanCreate(
            self.policy,
            PolicyNewsPage,
            nested_form_data(
                {
                    "title": "专利开放许可解读",
                    "slug": "open-licence",
                    "level": "national",
                    "category": "operation",
                    "publish_date": "2024-06-01",
                    "summary": "开放许可的要点。",
                    "body": streamfield([("paragraph", rich_text("<p>书面通知并付费即可实施。</p>"))]),
                    "tags": "许可, 开放许可",
                    "attachments": inline_formset([]),
                    "comments": inline_formset([]),
                }
            ),
        )
        article = PolicyNewsPage.objects.get(slug="open-licence")
        self.assertIn(" 许可 ", article.search_text)
        self.assertEqual(sorted(article.tags.names()), ["开放许可", "许可"])

    def test_an_article_may_not_take_the_feed_address(self):
        sign_in(self.client, self.superuser)
        response = self.client.post(
            f"/cms/pages/add/cms/policynewspage/{self.policy.pk}/",
            nested_form_data(
                {
                    "title": "订阅",
                    "slug": "feed",
                    "category": "news",
                    "publish_date": "2024-06-01",
                    "summary": "摘要",
                    "body": streamfield([]),
                    "tags": "",
                    "attachments": inline_formset([]),
                    "comments": inline_formset([]),
                    "action-publish": "publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PolicyNewsPage.objects.filter(slug="feed").exists())
