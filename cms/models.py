"""Wagtail page types of the public content site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
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

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
