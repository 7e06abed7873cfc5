"""/healthz/ reports the queue; failed tasks in the admin for superusers only; the settings
switch between the database, RQ and immediate backends."""

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compass.mail import send_mail_task
from exports.models import PdfRender
from tests.tasks_helpers import ROOT

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf", "mail"]}
}


@pytest.fixture
def database_backend(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db
def test_healthz_reports_an_empty_queue_as_ok(client, database_backend):
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert body["queue"] == {
        "backend": "database",
        "status": "ok",
        "oldest_waiting_seconds": 0.0,
        "max_waiting_seconds": 300,
        "waiting": 0,
        "running": 0,
    }
    assert client.get(reverse("healthz_queue")).status_code == 200


@pytest.mark.django_db
def test_a_stalled_queue_is_a_503_for_the_monitor_but_not_for_the_load_balancer(
    client, database_backend
):
    send_mail_task.enqueue("Onderwerp", "Tekst", "noor@utrecht.example")
    fresh = client.get(reverse("healthz_queue"))
    assert fresh.status_code == 200 and fresh.json()["waiting"] == 1
    # Nobody ran it for ten minutes: no worker runs.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    stalled = client.get(reverse("healthz_queue"))
    assert stalled.status_code == 503
    assert stalled.json()["status"] == "stalled"
    assert 590 < stalled.json()["oldest_waiting_seconds"] < 700
    web = client.get(reverse("healthz"))
    assert web.status_code == 200 and web.json()["queue"]["status"] == "stalled"


@pytest.mark.django_db
def test_a_deferred_retry_counts_from_its_due_time_not_from_when_it_was_enqueued(
    client, database_backend
):
    due = timezone.now() - timedelta(seconds=30)
    send_mail_task.using(run_after=timezone.now() + timedelta(minutes=5)).enqueue(
        "O", "T", "a@b.nl"
    )
    DBTaskResult.objects.update(enqueued_at=due - timedelta(hours=1), run_after=due)
    body = client.get(reverse("healthz_queue")).json()
    assert body["status"] == "ok" and 25 < body["oldest_waiting_seconds"] < 120


@pytest.mark.django_db
def test_healthz_with_another_backend_says_so(client):
    assert client.get(reverse("healthz")).json()["queue"] == {
        "backend": "ImmediateBackend",
        "status": "unknown",
    }


@pytest.mark.django_db
def test_failed_tasks_and_pdf_renders_are_listed_for_superusers_only(
    client_for, admin_user, database_backend
):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status="FAILED",
        task_path="compass.mail.send_mail_task",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="mail",
        backend_name="default",
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    tasks_url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    renders_url = reverse("admin:exports_pdfrender_changelist")
    admin = client_for(admin_user)
    page = admin.get(tasks_url + "?status__exact=FAILED")
    assert page.status_code == 200 and "send_mail_task" in page.content.decode()
    assert admin.get(renders_url).status_code == 200
    staff = UserFactory(username="staff", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_dbtaskresult"))
    assert client_for(staff).get(tasks_url).status_code == 403
    assert client_for(staff).get(renders_url).status_code == 403
    assert PdfRender._meta.default_permissions == ()


def settings_in_a_fresh_process(**environment):
    """The TASKS settings a process started with this environment gets."""
    env = {key: value for key, value in os.environ.items() if key not in ("TASKS_BACKEND",)}
    env.update(environment, DJANGO_SETTINGS_MODULE="compass.settings")
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "from django_tasks import task_backends;"
        "print(json.dumps({'tasks': settings.TASKS, 'apps': settings.INSTALLED_APPS,"
        "'backend': type(task_backends['default']).__name__,"
        "'queues': getattr(settings, 'RQ_QUEUES', None)}))"
    )
    done = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done


def test_the_database_backend_is_the_default():
    done = settings_in_a_fresh_process()
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["tasks"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert result["backend"] == "DatabaseBackend" and "django_tasks_db" in result["apps"]


def test_tasks_backend_rq_switches_to_redis_queues():
    done = settings_in_a_fresh_process(TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/15")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["tasks"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert result["backend"] == "RQBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(result["apps"])
    assert result["queues"]["pdf"]["URL"] == "redis://127.0.0.1:6379/15"
    assert set(result["queues"]) == {"default", "pdf", "mail"}


def test_rq_without_redis_or_an_unknown_backend_is_refused_with_a_clear_message():
    no_redis = settings_in_a_fresh_process(TASKS_BACKEND="rq", REDIS_URL="")
    assert no_redis.returncode != 0 and "TASKS_BACKEND=rq needs REDIS_URL" in no_redis.stderr
    unknown = settings_in_a_fresh_process(TASKS_BACKEND="celery")
    assert unknown.returncode != 0
    assert "TASKS_BACKEND='celery': use one of database, immediate, rq" in unknown.stderr


def test_a_task_enqueued_with_the_rq_backend_lands_in_redis():
    """Redis runs on 127.0.0.1:6379 here: the job really goes into the "mail" queue."""
    code = (
        "import django; django.setup();"
        "from compass.mail import send_mail_task;"
        "result = send_mail_task.enqueue('Onderwerp', 'Tekst', 'a@b.nl');"
        "import django_rq; queue = django_rq.get_queue('mail');"
        "print(result.id in queue.job_ids, result.status); queue.empty()"
    )
    env = {
        **os.environ,
        "TASKS_BACKEND": "rq",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "DJANGO_SETTINGS_MODULE": "compass.settings",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "READY"]
