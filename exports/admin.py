"""The PDF renders in the Django admin: read-only, superusers only (docs/exports.md)."""

from django.contrib import admin

from compass.task_admin import SuperuserOnly
from exports.models import PdfRender


@admin.register(PdfRender)
class PdfRenderAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = (
        "pk",
        "cycle",
        "language",
        "status",
        "requested_at",
        "started_at",
        "finished_at",
        "render_seconds",
        "size",
    )
    list_filter = ("status", "language")
    exclude = ("html",)
    list_select_related = ("cycle__municipality",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
