"""Snippet admin: every editable definition in one 'Kompasinhoud' menu."""

import django_filters
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.active_filters import BaseFilterAdapter, register_filter_adapter_class
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.family_profiles import FamilyProfileSet, HelpKind
from cms.snippets import Indicator, KnowledgeResource, Measure, MeasureSet, PrevalenceRate, Tip


class YesNoFilterAdapter(BaseFilterAdapter):
    """Show an active yes/no filter as "Ja"/"Nee", not Python's True/False."""

    def get_active_filters(self):
        for active in super().get_active_filters():
            yield active._replace(value=gettext("Yes") if self.value else gettext("No"))


register_filter_adapter_class(django_filters.BooleanFilter, adapter_class=YesNoFilterAdapter)


class YesNoColumn(Column):
    """A yes/no field as "Ja"/"Nee" in the listing, not Python's True/False."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if value is None:
            return ""
        return gettext("Yes") if value else gettext("No")


class TipFilterSet(WagtailFilterSet):
    class Meta:
        model = Tip
        fields = ["block", "live"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["live"].label = _("Published")


class TipViewSet(SnippetViewSet):
    model = Tip
    icon = "help"
    menu_order = 100
    list_display = ["text", "block", "source", LiveStatusTagColumn(label=_("Status"))]
    filterset_class = TipFilterSet
    search_fields = ["text", "source"]


class MeasureSetViewSet(SnippetViewSet):
    model = MeasureSet
    icon = "list-ol"
    menu_order = 200
    list_display = [
        "name",
        "version",
        YesNoColumn("is_example", label=_("example set")),
        LiveStatusTagColumn(label=_("Status")),
    ]
    list_filter = ["is_example"]


class MeasureViewSet(SnippetViewSet):
    model = Measure
    icon = "tasks"
    menu_order = 300
    list_display = ["code", "title", "theme", "weight"]
    list_filter = ["theme__measure_set", "theme"]
    search_fields = ["code", "title", "explanation"]

    def get_queryset(self, request):
        # The theme column names its set: fetch both with the measures, not once per row.
        return Measure.objects.select_related("theme__measure_set")


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    menu_order = 400
    list_display = ["code", "name", "unit", "cbs_table_id"]
    search_fields = ["code", "name", "cbs_table_id"]


class KnowledgeResourceViewSet(SnippetViewSet):
    model = KnowledgeResource
    icon = "link"
    menu_order = 500
    list_display = ["title", "kind", "url"]
    list_filter = ["kind"]


class PrevalenceRateViewSet(SnippetViewSet):
    model = PrevalenceRate
    icon = "form"
    menu_order = 600
    list_display = ["label", "low_rate", "high_rate", "year", "source"]


class FamilyProfileSetViewSet(SnippetViewSet):
    model = FamilyProfileSet
    icon = "group"
    menu_order = 700
    list_display = [
        "name",
        "version",
        "source_year",
        YesNoColumn("is_example", label=_("example set")),
        LiveStatusTagColumn(label=_("Status")),
    ]


class HelpKindViewSet(SnippetViewSet):
    model = HelpKind
    icon = "tag"
    menu_order = 800
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class CompassContentGroup(SnippetViewSetGroup):
    menu_label = _("Compass content")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (
        TipViewSet,
        MeasureSetViewSet,
        MeasureViewSet,
        IndicatorViewSet,
        KnowledgeResourceViewSet,
        PrevalenceRateViewSet,
        FamilyProfileSetViewSet,
        HelpKindViewSet,
    )


register_snippet(CompassContentGroup)


@hooks.register("insert_global_admin_js")
def csp_admin_js():
    """Start Wagtail's widgets and panels whose inline scripts our CSP forbids (admin_csp.js)."""
    return format_html('<script src="{}"></script>', static("cms/js/admin_csp.js"))
