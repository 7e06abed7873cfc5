"""Business rules of the annual cycle: starting (and later copying forward and closing) a cycle.

Views stay thin and call these functions; access is checked by the caller through
`compass.access` before anything here runs.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from compass.models import Cycle, Municipality

POLICY_PERIOD_YEARS = 4


@transaction.atomic
def start_cycle(
    municipality: Municipality,
    year: int,
    user=None,
    policy_start_year: int | None = None,
    policy_end_year: int | None = None,
) -> Cycle:
    """Start an empty cycle for (municipality, year), linked to the latest earlier cycle.

    Without a policy period, the previous cycle's period is kept while it still covers the
    year; otherwise a new period of four years starts in this year.
    """
    if not municipality.is_active:
        raise ValidationError(_("A merged municipality cannot start a new annual cycle."))
    if Cycle.objects.filter(municipality=municipality, year=year).exists():
        raise ValidationError(
            _("%(municipality)s already has an annual cycle for %(year)s.")
            % {"municipality": municipality, "year": year}
        )
    previous = (
        Cycle.objects.filter(municipality=municipality, year__lt=year).order_by("-year").first()
    )
    if policy_start_year is None:
        if previous and previous.policy_start_year <= year <= previous.policy_end_year:
            policy_start_year, policy_end_year = (
                previous.policy_start_year,
                previous.policy_end_year,
            )
        else:
            policy_start_year = year
    if policy_end_year is None:
        policy_end_year = policy_start_year + POLICY_PERIOD_YEARS - 1
    cycle = Cycle(
        municipality=municipality,
        year=year,
        policy_start_year=policy_start_year,
        policy_end_year=policy_end_year,
        previous=previous,
        created_by=user,
    )
    cycle.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        # Two people starting the same cycle at once: the second one loses cleanly.
        raise ValidationError(
            _("%(municipality)s already has an annual cycle for %(year)s.")
            % {"municipality": municipality, "year": year}
        ) from None
    return cycle
