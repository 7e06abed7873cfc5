"""E-mail goes through the task queue: the request never waits for SMTP; failures are retried."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compass.mail import reap_stalled_mail, retry_delay, send_mail_task
from compass.models import Invitation
from tests.tasks import flaky_mail
from tests.tasks_helpers import (
    kill,
    read_outbox,
    run_worker_until_empty,
    running_worker,
    wait_for,
)


def invite(client, municipality, email):
    return client.post(
        reverse("questionnaire:team_add", args=[municipality.code]),
        {"email": email, "role": "reader"},
    )


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_invitation_is_queued_not_sent_in_the_request_and_a_worker_sends_it(
    client_for, alice, gemeente_a, settings, tmp_path
):
    # The mail server would block the request for a minute: it is never reached from it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "192.0.2.1", 25, 60
    started = time.monotonic()
    response = invite(client_for(alice), gemeente_a, "noor@utrecht.example")
    assert response.status_code == 302 and time.monotonic() - started < 10
    task = DBTaskResult.objects.get()
    assert (task.status, task.queue_name, task.task_path) == (
        "READY",
        "mail",
        "compass.mail.send_mail_task",
    )
    assert task.args_kwargs["args"][2] == "noor@utrecht.example"

    outbox = tmp_path / "mail"
    run_worker_until_empty(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=outbox,
    )
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "sent"
    sent = "".join(path.read_text() for path in outbox.iterdir())
    assert "To: noor@utrecht.example" in sent and "/uitnodiging/" in sent
    assert Invitation.objects.get().email == "noor@utrecht.example"


@pytest.mark.django_db
def test_a_mail_server_that_fails_twice_is_tried_again_and_the_mail_arrives_once(
    client_for, alice, gemeente_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.tasks.flaky_mail.FlakyBackend"
    flaky_mail.attempts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client_for(alice), gemeente_a, "noor@utrecht.example").status_code == 302
    assert flaky_mail.attempts == [[["noor@utrecht.example"]]] * 3  # one message, three tries
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["noor@utrecht.example"]


@pytest.mark.django_db
def test_a_mail_that_keeps_failing_fails_its_task_after_the_last_try(settings, caplog):
    settings.EMAIL_BACKEND = "tests.tasks.flaky_mail.FlakyBackend"
    settings.MAIL_TASK_ATTEMPTS = 2
    flaky_mail.attempts.clear()
    result = send_mail_task.enqueue("Onderwerp", "Tekst", "noor@utrecht.example")
    assert result.return_value == "retry"  # try 1 failed, try 2 was enqueued (and failed)
    assert len(flaky_mail.attempts) == 2 and mail.outbox == []
    assert any("could not be sent after 2 tries" in r.getMessage() for r in caplog.records)


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_waits_in_the_database_queue_until_its_time(settings):
    settings.EMAIL_BACKEND = "tests.tasks.flaky_mail.FlakyBackend"
    flaky_mail.attempts.clear()
    result = send_mail_task.enqueue("Onderwerp", "Tekst", "noor@utrecht.example")
    send_mail_task.call("Onderwerp", "Tekst", "noor@utrecht.example")  # a worker's first try
    retry = DBTaskResult.objects.exclude(id=result.id).get()
    assert retry.args_kwargs["args"][3] == 2
    waited = (retry.run_after - retry.enqueued_at).total_seconds()
    assert abs(waited - retry_delay(1).total_seconds()) < 5
    assert [delay.total_seconds() for delay in map(retry_delay, (1, 2, 3))] == [60, 240, 540]


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_password_reset_is_queued_not_sent_in_the_request_and_a_worker_sends_it(
    client, alice, settings, tmp_path
):
    # A mail server that never answers would hold the request for 20 s: it is never reached.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "192.0.2.1", 25, 20
    started = time.monotonic()
    known = client.post("/accounts/password/reset/", {"email": alice.email})
    unknown = client.post("/accounts/password/reset/", {"email": "niemand@example.nl"})
    assert time.monotonic() - started < 10
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.status_code == 302
    task = DBTaskResult.objects.get()  # one: the unknown address gets no mail
    assert (task.status, task.queue_name, task.task_path) == (
        "READY",
        "mail",
        "compass.mail.send_mail_task",
    )
    assert task.args_kwargs["args"][2] == alice.email

    outbox = tmp_path / "mail"
    run_worker_until_empty(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=outbox
    )
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == "sent"
    [message] = read_outbox(outbox)
    assert message["To"] == alice.email
    assert message["Subject"] == "Nieuw wachtwoord instellen voor het Kwaliteitskompas"
    assert "/accounts/password/reset/" in message.get_body(("plain",)).get_content()


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_send_leaves_the_mail_retried_never_stuck_running(tmp_path):
    stuck = send_mail_task.enqueue("Onderwerp", "Tekst", "noor@utrecht.example")
    marker = tmp_path / "sending"
    with running_worker(
        tmp_path / "worker.log",
        EMAIL_BACKEND="tests.tasks.slow_mail.HangingBackend",
        HANGING_MAIL_MARKER=marker,
    ) as worker:
        wait_for(marker.exists, timeout=60, message="the worker to start sending")
        kill(worker)  # the machine dies mid-send: no chance to record anything
    row = DBTaskResult.objects.get(id=stuck.id)
    assert row.status == "RUNNING"  # what the kill leaves behind
    # Within MAIL_STALL_SECONDS a running mail may be a live worker's: left alone.
    assert reap_stalled_mail() == 0
    DBTaskResult.objects.filter(id=stuck.id).update(
        started_at=row.started_at - timedelta(seconds=301)  # MAIL_STALL_SECONDS (300) pass
    )

    # The next worker to start any task (here another mail) fails the stalled one and retries it.
    send_mail_task.enqueue("Ander onderwerp", "Tekst", "bas@utrecht.example")
    outbox = tmp_path / "mail"
    run_worker_until_empty(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=outbox
    )
    row.refresh_from_db()
    assert row.status == "FAILED" and row.finished_at
    assert row.exception_class_path == "compass.mail.MailTaskInterrupted"
    assert "stopped while sending" in row.traceback and "try 2 enqueued" in row.traceback
    retry = DBTaskResult.objects.exclude(id=stuck.id).get(args_kwargs__args__3=2)
    assert retry.status == "SUCCESSFUL" and retry.args_kwargs["args"][2] == "noor@utrecht.example"
    assert not DBTaskResult.objects.filter(status__in=["RUNNING", "READY"]).exists()
    assert sorted(message["To"] for message in read_outbox(outbox)) == [
        "bas@utrecht.example",
        "noor@utrecht.example",
    ]


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_stalled_mail_is_failed_after_its_last_try_and_the_health_check_reaps_it(
    client, settings
):
    settings.MAIL_TASK_ATTEMPTS = 2
    result = send_mail_task.enqueue("Onderwerp", "Tekst", "noor@utrecht.example", 2)
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1), worker_ids=["dood"]
    )
    assert client.get(reverse("healthz_queue")).status_code in (200, 503)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "FAILED" and "that was the last try" in row.traceback
    assert DBTaskResult.objects.count() == 1  # no further try
    assert reap_stalled_mail() == 0  # reaped once
