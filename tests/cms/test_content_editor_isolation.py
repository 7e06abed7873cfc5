"""A content editor maintains the guidance and never sees a municipality's data."""

import pytest
from django.urls import reverse

from compass import access
from compass.models import Municipality
from compass.services import start_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_erin(demo_db, django_user_model):
    return django_user_model.objects.get(username="erin")


def test_content_editor_holds_no_municipal_permission(demo_erin):
    assert not access.municipalities_for(demo_erin).exists()
    assert not access.cycles_for(demo_erin).exists()
    assert not any(perm.startswith("compass.") for perm in demo_erin.get_all_permissions())


def test_content_editor_cannot_open_municipal_pages(client, demo_erin):
    utrecht = Municipality.objects.get(code="GM0344")
    start_cycle(utrecht, 2030)
    client.force_login(demo_erin)
    start = client.get(reverse("questionnaire:start"))
    assert start.status_code == 200
    assert "Utrecht" not in start.content.decode()
    assert client.get(reverse("questionnaire:team", args=["GM0344"])).status_code == 404
    assert client.get("/django-admin/compass/municipality/").status_code == 302  # to login


def test_content_editor_can_still_work_in_the_wagtail_admin(client, demo_erin):
    client.force_login(demo_erin)
    assert client.get("/cms-admin/").status_code == 200
    assert client.get("/cms-admin/snippets/cms/tip/").status_code == 200
