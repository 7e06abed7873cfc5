"""`manage.py setup_demo` builds the demo and can run again without harm."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import HomePage
from compass.demo import ADMIN_PASSWORD, DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


def test_setup_demo_creates_dutch_home_page_as_site_root(client):
    call_command("setup_demo", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    response = client.get("/")
    assert response.status_code == 200
    assert "Kwaliteitskompas kindermishandeling en huiselijk geweld" in response.content.decode()


def test_setup_demo_is_idempotent_and_restores_passwords():
    call_command("setup_demo", verbosity=0)
    pages, users = Page.objects.count(), get_user_model().objects.count()
    alice = get_user_model().objects.get(username="alice")
    alice.set_password("changed-by-someone")
    alice.save()

    call_command("setup_demo", verbosity=0)

    assert Page.objects.count() == pages
    assert get_user_model().objects.count() == users
    assert HomePage.objects.count() == 1
    alice.refresh_from_db()
    assert alice.check_password(DEMO_PASSWORD)


def test_every_documented_demo_user_can_log_in(client):
    call_command("setup_demo", verbosity=0)
    for demo in DEMO_USERS:
        assert client.login(username=demo.username, password=demo.password), demo.username
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(ADMIN_PASSWORD)


def test_content_editor_gets_wagtail_editor_group_only():
    call_command("setup_demo", verbosity=0)
    erin = get_user_model().objects.get(username="erin")
    assert list(erin.groups.values_list("name", flat=True)) == ["Editors"]
    assert not erin.is_superuser and not erin.is_staff
    assert erin.has_perm("wagtailadmin.access_admin")


def test_readme_lists_every_demo_user_and_password():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for demo in DEMO_USERS:
        assert f"`{demo.username}`" in readme
        assert f"`{demo.password}`" in readme
