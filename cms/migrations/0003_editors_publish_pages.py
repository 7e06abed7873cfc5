"""Let Wagtail's Editors group publish pages while the moderation workflow is off.

`manage.py cms_moderation on` takes this right away again and assigns the workflow
'Redactionele goedkeuring' (see cms/moderation.py and docs/content.md).
"""

from django.db import migrations


def grant_publish(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    editors = Group.objects.filter(name="Editors").first()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if editors is None or root is None:
        return
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish any page"}
    )
    GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=publish)


def revoke_publish(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name="Editors", permission__codename="publish_page", page__depth=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_compass_pages_and_snippets"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant_publish, revoke_publish)]
