"""The council PDF through the database queue and real `db_worker` processes.

Supersession and the one-waiting-render rule, two workers never rendering one content twice, a
worker killed mid-render, the limits of a render, and the status view reading one row.
"""

import io
import subprocess
import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from compass import services
from compass.models import ImprovementAction
from exports import pdf_tasks
from exports.models import PdfRender
from exports.views.report import _print_html
from tests.tasks_helpers import (
    ROOT,
    kill,
    run_worker_until_empty,
    running_worker,
    wait_for,
    worker_command,
    worker_environment,
)

queue = pytest.mark.real_worker  # the database backend, not the immediate one


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def cycle(gemeente_a, alice):
    cycle = services.start_cycle(gemeente_a, 2026, alice)
    ImprovementAction.objects.create(
        cycle=cycle, what="Routekaart herzien", who="Beleidsadviseur jeugd", due="2026-10-01"
    )
    return cycle


def pdf_url(cycle, render=None):
    path = reverse("exports:report_pdf", args=[cycle.pk])
    return f"{path}?opdracht={render.pk}" if render else path


def status_url(cycle, render):
    return reverse("exports:report_pdf_status", args=[cycle.pk]) + f"?opdracht={render.pk}"


def edit(cycle, text):
    ImprovementAction.objects.filter(cycle=cycle).update(who=text)


@queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_enqueues_and_answers_at_once_then_a_worker_renders_it(client_for, bob, cycle):
    client = client_for(bob)
    started = time.monotonic()
    response = client.get(pdf_url(cycle))
    assert response.status_code == 202 and time.monotonic() - started < 10
    render = PdfRender.objects.get()
    assert render.status == "pending" and render.task_id
    task = DBTaskResult.objects.get(id=render.task_id)
    assert (task.status, task.queue_name) == ("READY", "pdf")
    assert client.get(status_url(cycle, render)).json() == {"status": "pending"}

    run_worker_until_empty()

    render.refresh_from_db()
    assert render.status == "ready" and render.size > 1000 and render.render_seconds > 0
    assert render.error == "" and render.html == ""
    assert DBTaskResult.objects.get(id=render.task_id).status == "SUCCESSFUL"
    assert client.get(status_url(cycle, render)).json() == {"status": "ready"}
    response = client.get(pdf_url(cycle, render))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert "Routekaart herzien" in PdfReader(io.BytesIO(body)).pages[-1].extract_text()


@queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_quick_edits_leave_one_waiting_render_per_cycle_and_language(client_for, bob, alice, cycle):
    """25 quick edits: each request supersedes the waiting one; one render runs, the newest."""
    client = client_for(bob)
    for number in range(25):
        edit(cycle, f"Versie {number}")
        assert client.get(pdf_url(cycle)).status_code == 202
        assert PdfRender.objects.filter(status="pending").count() == 1
    english = client_for(alice)
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert english.get(pdf_url(cycle)).status_code == 202  # another language waits apart
    counts = dict(PdfRender.objects.values_list("status").annotate(Count("pk")))
    assert counts == {"pending": 2, "superseded": 24}
    newest = PdfRender.objects.get(status="pending", language="nl")
    oldest = PdfRender.objects.filter(status="superseded").order_by("pk").first()
    assert client.get(status_url(cycle, oldest)).json() == {"status": "superseded"}
    # Following a superseded render leads to the newest request, not a new one.
    assert client.get(pdf_url(cycle, oldest)).status_code == 202
    assert PdfRender.objects.filter(status="pending").count() == 2

    run_worker_until_empty()

    results = list(DBTaskResult.objects.values_list("return_value", flat=True))
    assert results.count("ready") == 2  # the newest Dutch and the English one
    assert results.count("skipped: superseded") == 24
    newest.refresh_from_db()
    assert newest.status == "ready"
    body = b"".join(client.get(pdf_url(cycle)).streaming_content)
    assert "Versie 24" in PdfReader(io.BytesIO(body)).pages[-1].extract_text()


@pytest.mark.django_db
def test_the_database_allows_one_waiting_render_per_cycle_language_and_one_active_per_content(
    cycle,
):
    PdfRender.objects.create(cycle=cycle, language="nl", content_key="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        PdfRender.objects.create(cycle=cycle, language="nl", content_key="b" * 64)
    PdfRender.objects.create(
        cycle=cycle, language="en", content_key="c" * 64, status=PdfRender.Status.RUNNING
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PdfRender.objects.create(cycle=cycle, language="en", content_key="c" * 64)


@queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_never_render_the_same_content_twice(client_for, bob, alice, cycle):
    """The same render task delivered twice (and more work beside it), two workers at once."""
    client = client_for(bob)
    client.get(pdf_url(cycle))
    render = PdfRender.objects.get()
    for _ in range(3):  # a backend that delivers a task more than once
        pdf_tasks.render_pdf.enqueue(render.pk)
    # The same content asked again while it waits: no second row, no second task.
    client_for(alice).get(pdf_url(cycle))
    assert PdfRender.objects.count() == 1 and DBTaskResult.objects.count() == 4

    first = run_worker_in_background()
    second = run_worker_in_background()
    for process in (first, second):
        assert process.wait(timeout=240) == 0, process.stdout.read()

    results = sorted(DBTaskResult.objects.values_list("return_value", flat=True))
    assert results.count("ready") == 1, results
    assert all(result.startswith("skipped") for result in results if result != "ready")
    workers = {tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)}
    assert all(len(ids) == 1 for ids in workers)  # each task was claimed by one worker
    render.refresh_from_db()
    assert render.status == "ready"


def run_worker_in_background():
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        worker_command("--batch"),
        cwd=ROOT,
        env=worker_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@queue
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_render_leaves_a_failed_render_with_a_message_never_stuck(
    client_for, bob, cycle, tmp_path, settings
):
    client = client_for(bob)
    assert client.get(pdf_url(cycle)).status_code == 202
    render = PdfRender.objects.get()
    with running_worker(tmp_path / "worker.log") as worker:
        wait_for(
            lambda: PdfRender.objects.filter(pk=render.pk, status="running").exists(),
            message="the worker to start the render",
        )
        kill(worker)  # the machine dies: no chance to clean up
    render.refresh_from_db()
    assert render.status == "running"  # nobody can know yet
    assert client.get(status_url(cycle, render)).json() == {"status": "pending"}

    # Once the render is older than the time limit plus the margin, its worker is gone.
    PdfRender.objects.filter(pk=render.pk).update(
        started_at=render.started_at - pdf_tasks.stall_deadline()
    )
    assert client.get(status_url(cycle, render)).json() == {"status": "failed"}
    render.refresh_from_db()
    assert render.status == "failed"
    assert "onderbroken" in render.error and "Probeer het opnieuw" in render.error
    response = client.get(pdf_url(cycle, render))  # the page the script goes to: a new try
    assert response.status_code == 202
    retry = PdfRender.objects.get(status="pending")
    run_worker_until_empty()
    retry.refresh_from_db()
    assert retry.status == "ready"


@pytest.mark.django_db
def test_a_render_over_the_time_limit_fails_with_a_dutch_message(settings, cycle):
    settings.PDF_RENDERING = "process"
    settings.PDF_TIME_LIMIT_SECONDS = 1  # a child process cannot even start Django in 1 s
    with translation.override("nl"):
        html = _print_html(cycle)
    with pytest.raises(pdf_tasks.RenderFailed) as failure:
        pdf_tasks.run_render(html, "nl")
    assert "duurde langer dan 1 seconden en is gestopt" in failure.value.message
    assert "lees het als webpagina" in failure.value.message


@pytest.mark.django_db
def test_a_render_over_the_memory_limit_fails_with_a_dutch_message(settings, cycle):
    settings.PDF_RENDERING = "process"
    settings.PDF_MEMORY_LIMIT_MB = 256
    with translation.override("nl"):
        html = _print_html(cycle)
    # A document far larger than 256 MB allows: 400,000 table rows.
    rows = "".join(f"<tr><td>rij {n}</td><td>{n}</td></tr>" for n in range(400_000))
    html = html.replace("</body>", f"<table>{rows}</table></body>")
    with pytest.raises(pdf_tasks.RenderFailed) as failure:
        pdf_tasks.run_render(html, "nl")
    assert "meer dan 256 MB geheugen nodig en is gestopt" in failure.value.message


@pytest.mark.django_db
def test_a_failed_render_task_is_failed_in_the_task_list_with_the_dutch_reason_on_the_row(
    settings, client_for, bob, cycle
):
    settings.PDF_RENDERING = "process"
    settings.PDF_TIME_LIMIT_SECONDS = 1
    response = client_for(bob).get(pdf_url(cycle))
    assert response.status_code == 503
    assert "duurde langer dan 1 seconden" in response.content.decode()
    assert PdfRender.objects.get().status == "failed"


def _status_queries(client, cycle, render):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(status_url(cycle, render)).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_status_view_reads_one_row_in_a_small_constant_number_of_queries(
    client_for, bob, cycle, gemeente_a, alice
):
    client = client_for(bob)
    small = PdfRender.objects.create(cycle=cycle, language="nl", content_key="a" * 64)
    # A much larger cycle (many actions) costs the status view nothing more.
    big_cycle = services.start_cycle(gemeente_a, 2027, alice)
    ImprovementAction.objects.bulk_create(
        ImprovementAction(cycle=big_cycle, what=f"Actie {n}", who="Team", due="2027-10-01")
        for n in range(300)
    )
    big = PdfRender.objects.create(
        cycle=big_cycle, language="nl", content_key="b" * 64, status=PdfRender.Status.RUNNING
    )
    PdfRender.objects.filter(pk=big.pk).update(started_at=pdf_tasks.now())
    _status_queries(client, cycle, small)  # warm the session and the content type caches
    counts = {_status_queries(client, cycle, small), _status_queries(client, big_cycle, big)}
    assert len(counts) == 1 and counts.pop() <= 8


@pytest.mark.django_db
def test_the_status_of_a_render_of_another_cycle_or_no_render_is_404(
    client_for, bob, alice, cycle, gemeente_b, carol
):
    other = services.start_cycle(gemeente_b, 2026, carol)
    theirs = PdfRender.objects.create(cycle=other, language="nl", content_key="a" * 64)
    client = client_for(bob)
    assert client.get(status_url(cycle, theirs)).status_code == 404
    assert client.get(reverse("exports:report_pdf_status", args=[cycle.pk])).status_code == 404
    path = reverse("exports:report_pdf_status", args=[cycle.pk]) + "?opdracht=abc"
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_prune_pdfs_removes_old_pdfs_that_are_not_current(client_for, bob, cycle, settings):
    from django.core.management import call_command

    client = client_for(bob)
    old_key = None
    for text in ("Eerste versie", "Tweede versie"):
        edit(cycle, text)
        assert client.get(pdf_url(cycle)).status_code == 200
        old_key = old_key or PdfRender.objects.order_by("pk").first().content_key
    current = PdfRender.objects.order_by("-pk").first()
    storage = pdf_tasks.storage()
    assert storage.exists(pdf_tasks.path_for(old_key))
    call_command("prune_pdfs", verbosity=0)  # within the retention period: kept
    assert storage.exists(pdf_tasks.path_for(old_key))
    long_ago = pdf_tasks.now() - timedelta(days=31)
    PdfRender.objects.update(finished_at=long_ago)
    call_command("prune_pdfs", verbosity=0)
    assert not storage.exists(pdf_tasks.path_for(old_key))
    assert storage.exists(pdf_tasks.path_for(current.content_key))  # the newest stays
    assert list(PdfRender.objects.values_list("pk", flat=True)) == [current.pk]
