"""The task results in the Django admin (/django-admin/), for superusers only.

django-tasks-db registers its read-only `DBTaskResult` admin for any staff user with the view
permission; failed tasks carry tracebacks with e-mail addresses and subjects, so only
superusers may see the list (filter "status: Failed" shows what went wrong).
"""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class TaskResultAdmin(SuperuserOnly, DBTaskResultAdmin):
    list_display = (*DBTaskResultAdmin.list_display, "worker_ids")


def register():
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, TaskResultAdmin)
