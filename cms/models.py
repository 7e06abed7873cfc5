"""Wagtail page types of the public content site; the snippets live in cms/snippets.py."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import GuidanceStreamBlock
from cms.cache import CachedPageMixin
from cms.choices import Block

# Django finds models in cms.models: the snippets are imported here so they register.
from cms.family_profiles import FamilyProfile, FamilyProfileSet, HelpKind  # noqa: F401
from cms.snippets import (  # noqa: F401
    Indicator,
    KnowledgeResource,
    Measure,
    MeasureSet,
    PrevalenceRate,
    Suggestion,
    Theme,
    Tip,
)

BLOCK_PAGE_LINKS_HOOK = "cms_block_page_links"


def block_page_links(request, block_code: int) -> list[tuple[str, str]]:
    """Links other apps add to a block page for the person reading it, as (url, text).

    An app registers a function ``(request, block_code) -> [(url, text), ...]`` under the
    Wagtail hook ``cms_block_page_links`` (the cms imports no app of ours). Never for anonymous
    visitors: their page is cached and served to every anonymous visitor alike (cms/cache.py).
    """
    if request is None or not request.user.is_authenticated:
        return []
    return [
        link
        for hook in hooks.get_hooks(BLOCK_PAGE_LINKS_HOOK)
        for link in hook(request, block_code) or ()
    ]


class ContentLanguageMixin:
    """Mark editor-written text with its language, which can differ from the interface's."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content_language"] = settings.LANGUAGE_CODE
        return context


class HomePage(CachedPageMixin, Page):
    """The start page of the content site, at the root of the site."""

    intro = models.CharField(
        _("introduction"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences under the title that say what this site is for."),
    )
    body = RichTextField(
        _("body"),
        blank=True,
        help_text=_("The text of the home page: who the site is for and how to start."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.CompassIndexPage", "cms.TopicPage", "cms.SearchPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = (
            Page.objects.live().public().child_of(self).in_menu().specific().order_by("path")
        )
        return context


class CompassIndexPage(CachedPageMixin, ContentLanguageMixin, Page):
    """The overview of the Kwaliteitskompas: one place that lists the six blocks and
    collaboration, the base under them."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("What the Kwaliteitskompas is and how a team uses it, in a few sentences."),
    )
    body = StreamField(
        GuidanceStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Further explanation below the list of blocks."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CompassBlockPage"]
    max_count = 1

    class Meta:
        verbose_name = _("compass overview page")
        verbose_name_plural = _("compass overview pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["blocks"] = (
            CompassBlockPage.objects.live().public().child_of(self).order_by("block_code")
        )
        return context


class CompassBlockPage(CachedPageMixin, ContentLanguageMixin, Page):
    """One block (0-6) of the compass: its guiding question, guidance and tips."""

    block_code = models.PositiveSmallIntegerField(
        _("block"),
        choices=Block.choices,
        help_text=_(
            "Which block of the compass this page explains (0-6). Each block has one page."
        ),
    )
    guiding_question = models.TextField(
        _("guiding question"),
        help_text=_("The central question of the block, as the team asks it of itself."),
    )
    intro = models.TextField(
        _("introduction"),
        help_text=_("Two or three sentences: what the block is about and what it delivers."),
    )
    body = StreamField(
        GuidanceStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The guidance: text, tips, examples, checklists and links to sources."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("block_code"),
        FieldPanel("guiding_question"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("guiding_question"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("block_code"),
    ]

    parent_page_types = ["cms.CompassIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("compass block page")
        verbose_name_plural = _("compass block pages")

    def clean(self):
        super().clean()
        if self.block_code is None:
            return
        others = CompassBlockPage.objects.filter(block_code=self.block_code)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if others.exists():
            raise ValidationError(
                {"block_code": _("Another page already explains this block. Edit that page.")}
            )

    @property
    def block_label(self) -> str:
        return Block(self.block_code).label

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        siblings = list(
            CompassBlockPage.objects.live()
            .public()
            .sibling_of(self, inclusive=True)
            .order_by("block_code")
            .only("id", "title", "slug", "url_path", "path", "depth", "block_code")
        )
        position = next((i for i, p in enumerate(siblings) if p.pk == self.pk), None)
        context["block_pages"] = siblings
        if position is not None:
            context["previous_block"] = siblings[position - 1] if position > 0 else None
            context["next_block"] = siblings[position + 1] if position + 1 < len(siblings) else None
        context["tips"] = list(Tip.objects.live_for_block(self.block_code))
        context["block_links"] = block_page_links(request, self.block_code)
        return context


class TopicPage(CachedPageMixin, ContentLanguageMixin, Page):
    """General guidance beside the blocks: data sources, risk factors, the meldcode."""

    intro = models.TextField(
        _("introduction"), help_text=_("Two or three sentences: what the reader learns here.")
    )
    body = StreamField(
        GuidanceStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("The guidance: text, tips, examples, checklists and links to sources."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("topic page")
        verbose_name_plural = _("topic pages")


def search_terms(query: str) -> str:
    """Return the words of a visitor's query, without any search syntax.

    The database search backends hand the query to the database's full-text syntax (FTS5
    MATCH on SQLite, tsquery on PostgreSQL), where quotes, parentheses, AND/OR/NOT, `*` or
    `-` mean something or are an error. Visitors type words: keep only the words.
    """
    return " ".join(re.findall(r"\w+", query))


class SearchPage(Page):
    """Search over the published pages and tips (not cached: every query differs)."""

    intro = models.CharField(
        _("introduction"),
        max_length=300,
        blank=True,
        help_text=_("A sentence above the search box, e.g. what can be found."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("search page")
        verbose_name_plural = _("search pages")

    MAX_QUERY_LENGTH = 200
    MAX_RESULTS = 50

    def serve(self, request, *args, **kwargs):
        query = request.GET.get("q", "").strip()[: self.MAX_QUERY_LENGTH]
        terms = search_terms(query)
        pages, tips = [], []
        if terms:
            pages = list(
                Page.objects.live()
                .public()
                .descendant_of(self.get_site().root_page, inclusive=True)
                .not_type(SearchPage)
                .specific()
                .search(terms)[: self.MAX_RESULTS]
            )
            tips = list(Tip.objects.filter(live=True).search(terms)[: self.MAX_RESULTS])
        context = self.get_context(request, *args, **kwargs)
        block_urls = {}
        if tips:
            block_urls = {
                block_page.block_code: block_page.get_url(request)
                for block_page in CompassBlockPage.objects.live().public()
            }
        for tip in tips:
            tip.block_url = block_urls.get(tip.block)
        context.update(
            {"query": query, "pages": pages, "tips": tips, "result_count": len(pages) + len(tips)}
        )
        return TemplateResponse(request, self.get_template(request), context)


@register_setting(icon="warning")
class InstallationSettings(BaseGenericSetting):
    """Site-wide facts about this installation that every page must show."""

    demo = models.BooleanField(
        _("demo installation"),
        default=False,
        help_text=_(
            "Tick on a demonstration installation: every page and every report then says that "
            "it shows demo data (invented figures and generated comparisons). `manage.py "
            "setup_demo` ticks it; the DEMO_MODE environment variable turns it on as well."
        ),
    )

    panels = [FieldPanel("demo")]

    class Meta:
        verbose_name = _("installation")
