"""Snippet admin: every editable definition in one 'Kompasinhoud' menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.snippets import Indicator, KnowledgeResource, Measure, MeasureSet, PrevalenceRate, Tip


class TipViewSet(SnippetViewSet):
    model = Tip
    icon = "help"
    menu_order = 100
    list_display = ["text", "block", "source", "live"]
    list_filter = ["block", "live"]
    search_fields = ["text", "source"]


class MeasureSetViewSet(SnippetViewSet):
    model = MeasureSet
    icon = "list-ol"
    menu_order = 200
    list_display = ["name", "version", "is_example", "live"]
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
    )


register_snippet(CompassContentGroup)
