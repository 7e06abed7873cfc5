"""Content editors hold Wagtail and cms permissions only; moderation can be switched on."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.models import CompassBlockPage
from cms.moderation import WORKFLOW_NAME, moderation_enabled, set_moderation

pytestmark = pytest.mark.django_db

ALLOWED_APPS = {
    "cms",
    "wagtailadmin",
    "wagtailcore",
    "wagtaildocs",
    "wagtailimages",
    "wagtailsnippets",
    "wagtailsearch",
    "wagtailredirects",
    "wagtailforms",
    "wagtailsearchpromotions",
    "wagtailembeds",
    "wagtailusers",
    "wagtailsettings",
    "taggit",
}


def permissions_of(user):
    group_permissions = Permission.objects.filter(group__user=user)
    return {
        f"{app}.{codename}"
        for app, codename in group_permissions.values_list("content_type__app_label", "codename")
    } | {
        f"{app}.{codename}"
        for app, codename in user.user_permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_content_editor_holds_no_permission_outside_the_content_apps(erin):
    permissions = permissions_of(erin)
    assert "wagtailadmin.access_admin" in permissions
    outside = sorted(p for p in permissions if p.split(".")[0] not in ALLOWED_APPS)
    assert outside == []
    assert not erin.is_staff and not erin.is_superuser


def test_content_editor_holds_every_snippet_permission_editors_need(erin):
    permissions = permissions_of(erin)
    for needed in [
        "cms.publish_tip",
        "cms.change_tip",
        "cms.add_measureset",
        "cms.publish_measureset",
        "cms.change_measure",
        "cms.change_indicator",
        "cms.change_knowledgeresource",
        "cms.change_prevalencerate",
    ]:
        assert needed in permissions, needed


def test_content_editor_cannot_open_the_django_admin(client, erin):
    client.force_login(erin)
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]
    assert client.get("/django-admin/auth/user/").status_code == 302


def test_content_editor_cannot_open_the_wagtail_user_and_group_admin(client, erin):
    client.force_login(erin)
    assert client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)
    assert client.get(reverse("wagtailusers_groups:index")).status_code in (302, 403)


def publish_block_page_as(client, user, parent):
    client.force_login(user)
    data = nested_form_data(
        {
            "comments": inline_formset([]),
            "title": "Samenwerking",
            "slug": "samenwerking",
            "block_code": "0",
            "guiding_question": "Wie?",
            "intro": "Over samenwerken.",
            "body-count": "0",
            "action-submit": "action-submit",
            "action-publish": "action-publish",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["cms", "compassblockpage", parent.pk])
    return client.post(url, data)


def test_moderation_is_off_by_default_and_editors_publish_directly(client, erin, compass_index):
    assert not moderation_enabled()
    publish_block_page_as(client, erin, compass_index)
    assert CompassBlockPage.objects.get().live


def test_with_moderation_on_an_editors_publish_goes_to_approval(client, erin, compass_index):
    set_moderation(True)
    assert moderation_enabled()

    publish_block_page_as(client, erin, compass_index)

    page = CompassBlockPage.objects.get()
    assert not page.live
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.current_task_state.task.specific.groups.filter(name="Moderators").exists()


def test_switching_moderation_off_again_restores_direct_publishing(client, erin, compass_index):
    set_moderation(True)
    set_moderation(False)
    assert not moderation_enabled()
    publish_block_page_as(client, erin, compass_index)
    assert CompassBlockPage.objects.get().live


def test_moderation_command_switches_and_reports(capsys, home):
    call_command("cms_moderation", "on")
    assert "is on" in capsys.readouterr().out
    assert moderation_enabled()
    call_command("cms_moderation", "off")
    assert "is off" in capsys.readouterr().out
    assert not moderation_enabled()
