"""Signal receivers of the project package."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

# The session key that tells the header to show the link to the Wagtail admin.
MAY_MANAGE_CONTENT = "may_manage_content"


@receiver(user_logged_in)
def remember_content_management(sender, request, user, **kwargs):
    """Decide once, at login, whether the header links to the Wagtail admin.

    Asking `perms.wagtailadmin.access_admin` on every page costs two permission queries per
    request; the session is read anyway. The admin checks access itself on every request, so a
    link that is out of date after a change of rights opens nothing.
    """
    if request is not None and hasattr(request, "session"):
        request.session[MAY_MANAGE_CONTENT] = user.has_perm("wagtailadmin.access_admin")


def _connect_demo_flag():
    """Forget the cached demo flag when an editor changes the installation setting."""
    from django.db.models.signals import post_save

    from cms.models import InstallationSettings
    from compass.demodata import forget

    post_save.connect(forget, sender=InstallationSettings, dispatch_uid="compass-demo-flag")


_connect_demo_flag()


def _connect_mail_reaper():
    """A worker that starts a task first fails and retries mail tasks a dead worker left
    "running" (compass/mail.py)."""
    from django_tasks.signals import task_started

    from compass.mail import reap_on_task_start

    task_started.connect(reap_on_task_start, dispatch_uid="compass-reap-stalled-mail")


_connect_mail_reaper()
