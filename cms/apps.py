from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The Wagtail content site and the definitions content editors maintain."""

    name = "cms"
    verbose_name = _("Content site")

    def ready(self):
        from cms import signals  # noqa: F401 - connects the cache purge
        from cms.permissions import grant_on_migrate

        post_migrate.connect(grant_on_migrate, sender=self)
