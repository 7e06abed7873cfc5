from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The Wagtail content site and the definitions content editors maintain."""

    name = "cms"
    verbose_name = _("Content site")
