from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompassConfig(AppConfig):
    """The project package and the domain core: organisations, cycles, access."""

    name = "compass"
    verbose_name = _("Quality compass")

    def ready(self):
        from compass import login_protection, session_timeout, signals  # noqa: F401 - receivers
