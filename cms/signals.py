"""Purge the public page cache whenever published content changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from cms.cache import purge_page_cache
from cms.snippets import Tip

page_published.connect(purge_page_cache, dispatch_uid="cms-purge-page-published")
page_unpublished.connect(purge_page_cache, dispatch_uid="cms-purge-page-unpublished")
published.connect(purge_page_cache, dispatch_uid="cms-purge-snippet-published")
unpublished.connect(purge_page_cache, dispatch_uid="cms-purge-snippet-unpublished")
post_page_move.connect(purge_page_cache, dispatch_uid="cms-purge-page-moved")
post_save.connect(purge_page_cache, sender=Tip, dispatch_uid="cms-purge-tip-saved")
post_delete.connect(purge_page_cache, sender=Tip, dispatch_uid="cms-purge-tip-deleted")


def _purge_on_page_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge_page_cache()


post_delete.connect(_purge_on_page_delete, dispatch_uid="cms-purge-page-deleted")
