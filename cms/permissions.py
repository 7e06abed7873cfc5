"""The content editors' group: Wagtail permissions and the cms snippets, nothing else."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS

CONTENT_EDITORS_GROUP = "Editors"  # Wagtail's own group; the demo user erin is in it
MODERATORS_GROUP = "Moderators"

# Which actions editors may take on each snippet: drafts and publishing where the model has them.
EDITOR_SNIPPET_ACTIONS = {
    "tip": ["view", "add", "change", "delete", "publish"],
    "measureset": ["view", "add", "change", "delete", "publish", "lock", "unlock"],
    "measure": ["view", "add", "change", "delete"],
    "indicator": ["view", "add", "change", "delete"],
    "knowledgeresource": ["view", "add", "change", "delete"],
    "prevalencerate": ["view", "add", "change", "delete"],
    "familyprofileset": ["view", "add", "change", "delete", "publish", "lock", "unlock"],
    "helpkind": ["view", "add", "change", "delete"],
}


def _ensure_permissions(using: str) -> None:
    """Create the cms model permissions now, including Wagtail's publish/lock extras."""
    cms = global_apps.get_app_config("cms")
    create_permissions(cms, verbosity=0, using=using)
    for model_name, actions in EDITOR_SNIPPET_ACTIONS.items():
        model = cms.get_model(model_name)
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        for action in actions:
            Permission.objects.using(using).get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
            )


def grant_editor_permissions(using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the editors' group the snippet permissions they need; add-only and idempotent."""
    group = Group.objects.using(using).filter(name=CONTENT_EDITORS_GROUP).first()
    if group is None:
        return
    _ensure_permissions(using)
    wanted = [
        f"{action}_{model_name}"
        for model_name, actions in EDITOR_SNIPPET_ACTIONS.items()
        for action in actions
    ]
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="cms", codename__in=wanted
    )
    group.permissions.add(*permissions)


def grant_on_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: run after the cms migrations so every fresh database has them."""
    grant_editor_permissions(using=using)
