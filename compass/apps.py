from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompassConfig(AppConfig):
    """The project package and the domain core: organisations, cycles, access."""

    name = "compass"
    verbose_name = _("Quality compass")

    def ready(self):
        from compass import (  # noqa: F401 - connects the receivers
            login_protection,
            session_timeout,
            signals,
            task_admin,
        )

        task_admin.register()  # after django_tasks_db's admin: superusers only
