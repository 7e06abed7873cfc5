"""The figures of a municipality ("Cijfers"): imported CBS figures against its Veilig Thuis
region and the Netherlands, per indicator a trend chart with a data table, and the prevalence
estimate. Readable for everyone who may view the municipality's cycles; outsiders get a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cms.snippets import Indicator
from compass import access, charts, figures, prevalence


def _indicators():
    return list(Indicator.objects.exclude(cbs_table_id="").order_by("name"))


@require_GET
@login_required
def overview(request, code):
    municipality = access.get_municipality_for(request.user, code, access.VIEW_CYCLE)
    items = figures.figures_for(municipality, _indicators())
    return render(
        request,
        "questionnaire/figures.html",
        {
            "municipality": municipality,
            "items": items,
            "places": figures.places_of(municipality),
            "estimates": prevalence.estimates_for(municipality),
        },
    )


@require_GET
@login_required
def indicator_detail(request, code, indicator):
    municipality = access.get_municipality_for(request.user, code, access.VIEW_CYCLE)
    found = Indicator.objects.filter(code=indicator).exclude(cbs_table_id="").first()
    if found is None:
        raise Http404
    (item,) = figures.figures_for(municipality, [found])
    return render(
        request,
        "questionnaire/figure_detail.html",
        {
            "municipality": municipality,
            "item": item,
            "chart": charts.figure_chart(item),
        },
    )
