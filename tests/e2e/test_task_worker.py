"""The browser tests run their background work as production does: the database task backend
and a real `db_worker` process (conftest.py `task_worker`), never the immediate backend."""

import os

import pytest
from django.core.management import call_command
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tests.tasks_helpers import process_id, wait_for


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_browser_tests_queue_tasks_in_the_database_for_a_live_worker_process(task_worker):
    assert isinstance(task_backends["default"], DatabaseBackend)
    assert isinstance(process_id.get_backend(), DatabaseBackend)
    assert task_worker.supervised.alive()
    result = process_id.enqueue()
    # Queued, not run here: the immediate backend would have finished it already.
    assert result.status == TaskResultStatus.READY
    assert DBTaskResult.objects.filter(id=result.id).exists()

    def finished():
        result.refresh()
        return result.status == TaskResultStatus.SUCCESSFUL

    wait_for(finished, timeout=60, message="the worker to run the probe task")
    assert result.return_value == task_worker.pid != os.getpid()
    assert result.worker_ids


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_that_exits_is_started_again_before_anyone_waits_on_it(task_worker):
    from tests.tasks_helpers import kill

    first = task_worker.ensure_alive()
    kill(first)  # as django-tasks-db's worker does when a flush removes its running task's row
    assert task_worker.ensure_alive().pid != first.pid
    restarts = task_worker.supervised.restarts
    # The watcher restarts one that exits between tests too, without being asked.
    kill(task_worker.supervised.process)
    wait_for(
        lambda: task_worker.supervised.restarts > restarts and task_worker.supervised.alive(),
        timeout=10,
        message="the watcher to restart the worker",
    )
    call_command("setup_demo", verbosity=0)  # Wagtail queues its index tasks: the worker runs them
    result = process_id.enqueue()
    wait_for(
        lambda: result.refresh() or result.status == TaskResultStatus.SUCCESSFUL,
        timeout=120,
        message="the restarted worker to run the probe task",
    )
    assert result.return_value == task_worker.pid
