from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Council report (HTML and PDF), tabular and JSON exports of a cycle."""

    name = "exports"
    verbose_name = _("Exports")
