"""The moderation workflow 'Redactionele goedkeuring': ready, but off until switched on.

Off (the default): editors publish pages themselves. On: the workflow is assigned to the home
page (and so to every page below it) and editors lose their publish right, so 'Publish' becomes
'Submit to Redactionele goedkeuring' and a moderator approves.
Switch with `manage.py cms_moderation on|off` or by hand in the admin (docs/content.md).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.permissions import CONTENT_EDITORS_GROUP, MODERATORS_GROUP

WORKFLOW_NAME = "Redactionele goedkeuring"
TASK_NAME = "Goedkeuring door moderatoren"


def _publish_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")


@transaction.atomic
def ensure_workflow() -> Workflow:
    """Create the workflow and its approval task for Moderators, without assigning it."""
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    moderators = Group.objects.filter(name=MODERATORS_GROUP).first()
    if moderators is not None:
        task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def _site_root():
    from cms.models import HomePage

    return HomePage.objects.first() or Page.get_first_root_node()


@transaction.atomic
def set_moderation(enabled: bool) -> None:
    """Switch approval before publishing on or off for every content page."""
    workflow = ensure_workflow()
    root = _site_root()
    editors = Group.objects.get(name=CONTENT_EDITORS_GROUP)
    tree_root = Page.get_first_root_node()
    if enabled:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
        GroupPagePermission.objects.filter(group=editors, permission=_publish_permission()).delete()
    else:
        WorkflowPage.objects.filter(workflow=workflow).delete()
        GroupPagePermission.objects.get_or_create(
            group=editors, page=tree_root, permission=_publish_permission()
        )


def moderation_enabled() -> bool:
    return WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).exists()
