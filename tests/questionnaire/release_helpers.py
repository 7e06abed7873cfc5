"""Publishing benchmark releases in tests: each call makes the next release, with everything
submitted so far (the demo's cutoff), on a date after the previous release."""

import datetime as dt

from django.utils import timezone

from compass.models import BenchmarkRelease
from questionnaire.benchmarking import publish_release


def publish():
    latest = BenchmarkRelease.objects.order_by("-reference_date").first()
    day = (
        timezone.localdate() - dt.timedelta(days=100)
        if latest is None
        else latest.reference_date + dt.timedelta(days=1)
    )
    return publish_release(day, cutoff=timezone.now())
