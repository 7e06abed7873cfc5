"""Wagtail hooks of the questionnaire app (Wagtail loads this module from every app)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from cms.models import BLOCK_PAGE_LINKS_HOOK
from compass import exchange


@hooks.register(BLOCK_PAGE_LINKS_HOOK)
def exchange_link(request, block_code):
    """On a compass block page, the practice exchange of that block for the people in it."""
    if not exchange.may_take_part(request.user):
        return []
    url = reverse("questionnaire:exchange") + f"?blok={int(block_code)}"
    return [(url, _("Questions and experience of other municipalities about this block"))]
