"""Fixtures of the export tests."""

import json

import pytest
from django.utils import translation

from exports import portable
from tests.exports.cycle_builders import rich_cycle


@pytest.fixture
def dutch():
    """The test runs with Dutch active (messages are compared as the user reads them)."""
    with translation.override("nl"):
        yield


@pytest.fixture
def exported(alice, gemeente_a):
    """A rich cycle of gemeente A as the JSON an export writes."""
    cycle = rich_cycle(gemeente_a, user=alice)
    return json.loads(portable.dumps(portable.export_cycle(cycle)))
