"""The site's URLs plus the trivial view of the benchmark (benchmarks/settings.py)."""

from django.http import HttpResponse
from django.urls import path

from compass.urls import urlpatterns as site


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site]
