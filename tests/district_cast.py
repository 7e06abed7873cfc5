"""Districts for the tests: Utrecht (Gemeente A) with two districts, its municipal cycle 2026 and
a district cycle of each, and members limited to one district.

Import the fixtures into a test module (`from tests.district_cast import *`-style, by name):

- `districts`: Binnenstad (WK034401) and Noordoost (WK034402) of Gemeente A.
- `district_cycles`: a namespace with `municipal` (a rich cycle, with a self-assessment),
  `own` (the cycle of Binnenstad, with figures and a target group of its own) and `other` (the
  cycle of Noordoost).
- `dina` (editor limited to Binnenstad), `rita` (reader limited to Binnenstad), `otto` (editor
  limited to Noordoost).
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from compass import access
from compass.district_cycles import start_district_cycle
from compass.models import District
from tests.exports.cycle_builders import rich_cycle
from tests.factories import SituationFigureFactory, TargetGroupFactory, UserFactory

BINNENSTAD = "WK034401"
NOORDOOST = "WK034402"


@pytest.fixture
def districts(gemeente_a):
    return SimpleNamespace(
        own=District.objects.create(
            municipality=gemeente_a, code=BINNENSTAD, name="Binnenstad", youth_population=3100
        ),
        other=District.objects.create(municipality=gemeente_a, code=NOORDOOST, name="Noordoost"),
    )


@pytest.fixture
def district_cycles(gemeente_a, alice, districts):
    municipal = rich_cycle(gemeente_a, user=alice)
    own = start_district_cycle(districts.own, 2026, alice)
    SituationFigureFactory(
        cycle=own, label="Meldingen Binnenstad", period="2025", value=Decimal("7.5")
    )
    TargetGroupFactory(cycle=own, name="Jonge ouders in de Binnenstad")
    other = start_district_cycle(districts.other, 2026, alice)
    return SimpleNamespace(municipal=municipal, own=own, other=other)


def limited(username, municipality, role, district):
    user = UserFactory(username=username, first_name=username.title(), last_name="Wijk")
    access.grant(user, municipality, role, district=district)
    return user


@pytest.fixture
def dina(gemeente_a, districts):
    return limited("dina", gemeente_a, "editor", districts.own)


@pytest.fixture
def rita(gemeente_a, districts):
    return limited("rita", gemeente_a, "reader", districts.own)


@pytest.fixture
def otto(gemeente_a, districts):
    return limited("otto", gemeente_a, "editor", districts.other)
