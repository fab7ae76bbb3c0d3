"""The public site's page types (Wagtail): home, policy news, the operation centres' news sections, plain pages.

The tree:

    root
    └── HomePage                      the site's root page, served at "/"
        ├── PolicyIndexPage           政策法规: policy news, filterable and searchable
        │   └── PolicyNewsPage
        ├── StandardPage              关于我们, 帮助中心
        └── CentreNewsIndexPage       one per operation centre ("1+X"), edited by that centre's staff only
            └── PolicyIndexPage
                └── PolicyNewsPage
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms import blocks
from cms.choices import PolicyCategory, PolicyLevel
from cms.forms import PolicyFilterForm, PolicyFilterOptions, PolicyFilters
from cms.policy_search import search_q, search_text_for
from marketplace.centres.models import OperationCentre

POLICY_NEWS_PER_PAGE = 10
# The policy feed lives at <main policy index>/feed/ (cms.urls); an article may not take that address.
RESERVED_ARTICLE_SLUGS = {"feed"}

# The reads the pages need are methods of their querysets, here beside the models; cms.selectors hands them to
# the rest of the app. Pages look the same to everyone: what anyone may read is a live page without a view
# restriction (`.live().public()`); previews and the admin go through Wagtail's own permission checks.


class HomePageQuerySet(PageQuerySet):
    def of_site(self, site: Site | None = None) -> "HomePage | None":
        """The HomePage at the root of the given (or the default) site, else the first one there is."""
        site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None and site.root_page.specific_class is HomePage:
            return site.root_page.specific
        return self.order_by("path").first()


class PolicyNewsPageQuerySet(PageQuerySet):
    def readable(self) -> "PolicyNewsPageQuerySet":
        """Every article anyone may read, newest first."""
        return self.live().public().order_by("-publish_date", "-first_published_at", "-pk")

    def newest(self, *, within: Page | None = None, limit: int = 5) -> list["PolicyNewsPage"]:
        """The newest readable articles of the whole site, or of one index or section."""
        news = self.readable()
        if within is not None:
            news = news.descendant_of(within)
        return list(news[:limit])

    def filtered(self, index: Page, filters: PolicyFilters | None = None) -> "PolicyNewsPageQuerySet":
        """The readable articles below an index page, filtered and searched (cms.policy_search)."""
        news = self.readable().descendant_of(index)
        if filters is None:
            return news
        if filters.level:
            news = news.filter(level=filters.level)
        if filters.category:
            news = news.filter(category=filters.category)
        if filters.year:
            news = news.filter(publish_date__year=filters.year)
        if filters.tag:
            news = news.filter(tags__slug=filters.tag)
        condition = search_q(filters.query)
        if condition is not None:
            news = news.filter(condition)
        return news.distinct()

    def filter_options(self, index: Page) -> PolicyFilterOptions:
        """The years and tags that the index's readable articles have, for the filter menus."""
        news = self.readable().descendant_of(index)
        years = sorted({day.year for day in news.dates("publish_date", "year")}, reverse=True)
        tags = list(
            Tag.objects.filter(cms_policynewspagetag_items__content_object__in=news).distinct().order_by("name")
        )
        return PolicyFilterOptions(years=years, tags=tags)


class HomePage(Page):
    body = StreamField(blocks.HomeStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.PolicyIndexPage", "cms.StandardPage", "cms.CentreNewsIndexPage"]

    objects = PageManager.from_queryset(HomePageQuerySet)()

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["has_hero"] = any(block.block_type == "hero" for block in self.body)
        return context

    # Reads for the blocks of the body, which get the page in their context and import no models.

    def latest_policy_news(self, *, limit: int) -> list["PolicyNewsPage"]:
        return PolicyNewsPage.objects.newest(within=self, limit=limit)

    def policy_index(self) -> "PolicyIndexPage | None":
        """The site-wide policy index (政策法规): the first live one directly below the home page."""
        return PolicyIndexPage.objects.child_of(self).live().order_by("path").first()


class PolicyIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage", "cms.CentreNewsIndexPage"]
    subpage_types = ["cms.PolicyNewsPage"]

    class Meta:
        verbose_name = _("policy news index")
        verbose_name_plural = _("policy news indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        options = PolicyNewsPage.objects.filter_options(self)
        form = PolicyFilterForm(request.GET, years=options.years, tags=options.tags)
        filters = form.filters()
        paginator = Paginator(PolicyNewsPage.objects.filtered(self, filters), POLICY_NEWS_PER_PAGE)
        context.update(
            {
                "filter_form": form,
                "filters": filters,
                "tags": options.tags,
                "page_obj": paginator.get_page(request.GET.get("page")),
            }
        )
        return context

    def latest_policy_news(self, *, limit: int) -> list["PolicyNewsPage"]:
        return PolicyNewsPage.objects.newest(within=self, limit=limit)


class PolicyNewsPageTag(TaggedItemBase):
    content_object = ParentalKey("cms.PolicyNewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class PolicyNewsPage(Page):
    """A policy document or a piece of news, summarised for the platform's users."""

    issuing_authority = models.CharField(_("issuing authority"), max_length=120, blank=True)
    document_number = models.CharField(
        _("document number"), max_length=80, blank=True, help_text=_("The official number (文号) of the document.")
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=PolicyLevel.choices,
        blank=True,
        help_text=_("Leave empty for news that is not a policy document."),
    )
    category = models.CharField(_("category"), max_length=20, choices=PolicyCategory.choices)
    publish_date = models.DateField(_("publish date"), default=timezone.localdate, db_index=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=600)
    body = StreamField(blocks.ArticleStreamBlock(), blank=True, verbose_name=_("body"))
    # Written by the editor, never machine-translated (marketplace.core.languages): the English site shows them where
    # they exist; the body stays in Chinese, and the English page says so.
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    summary_en = models.TextField(_("English summary"), max_length=600, blank=True)
    tags = ClusterTaggableManager(_("tags"), through=PolicyNewsPageTag, blank=True)
    # Segmented text for Chinese search (cms.policy_search), refreshed on every save.
    search_text = models.TextField(editable=False, blank=True, default="")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("category")]),
                FieldRowPanel([FieldPanel("issuing_authority"), FieldPanel("document_number")]),
                FieldRowPanel([FieldPanel("publish_date"), FieldPanel("effective_date")]),
            ],
            heading=_("Document"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("summary_en")],
            heading=_("English version (optional)"),
            classname="collapsed",
        ),
        FieldPanel("tags"),
        InlinePanel("attachments", label=_("Attachments")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.FilterField("level"),
        index.FilterField("category"),
        index.FilterField("publish_date"),
    ]

    parent_page_types = ["cms.PolicyIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(PolicyNewsPageQuerySet)()

    class Meta:
        verbose_name = _("policy news article")
        verbose_name_plural = _("policy news articles")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_ARTICLE_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; choose another slug.")})

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        # Saves of a few bookkeeping fields (Wagtail's revision pointers, locks) leave the content as it was.
        if update_fields is None or "search_text" in update_fields:
            self.search_text = search_text_for(self.searchable_texts())
        return super().save(*args, **kwargs)

    def searchable_texts(self) -> list[str]:
        body = self._meta.get_field("body").get_searchable_content(self.body)
        tag_names = [tag.name for tag in self.tags.all()]
        return [
            *(self.title, self.summary, self.title_en, self.summary_en, self.issuing_authority, self.document_number),
            *body,
            *tag_names,
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = [item for item in self.attachments.all() if item.document_id]
        context["index"] = self.get_parent().specific
        return context


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyNewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        get_document_model_string(), verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("Shown instead of the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def display_title(self) -> str:
        return self.title or self.document.title


class StandardPage(Page):
    """About, help and other plain pages."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(blocks.StandardStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class CentreNewsIndexPage(Page):
    """An operation centre's own news section. Created with its editors group by cms.services.centre_sections_sync()
    and edited by that centre's staff only; what they write is approved by the provincial centre."""

    centre = models.OneToOneField(
        OperationCentre,
        verbose_name=_("operation centre"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="cms_news_section",
        editable=False,
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editors group"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="cms_news_section",
        editable=False,
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.PolicyIndexPage"]
    # A section without its group and permissions would be editable by nobody: only the sync service makes them.
    is_creatable = False
    exclude_fields_in_copy = ["centre", "editors_group"]

    class Meta:
        verbose_name = _("centre news section")
        verbose_name_plural = _("centre news sections")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = PolicyNewsPage.objects.newest(within=self, limit=POLICY_NEWS_PER_PAGE)
        context["indexes"] = self.get_children().live().public().type(PolicyIndexPage).specific()
        return context
