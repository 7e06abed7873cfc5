"""Browser tests: Playwright drives Debian's Chromium against a live server, axe on every page.

Every document the browser loads is recorded; a test fails when a page was visited without an
axe check, or when axe reports any WCAG 2.1 A/AA violation. Never a downloaded browser: the
executable is /usr/bin/chromium (apt-get install chromium).

Background work runs as in production: the database task backend and one real `db_worker`
process for the session (`task_worker`), on the test database, with the session's private
storage and its mails written to files (`task_worker.outbox()`); never the immediate backend.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SCREENSHOT_DIR = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/e2e-screenshots"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            # Not the immediate backend of the unit tests (tests/conftest.py): the session's
            # database backend and its real worker.
            item.add_marker(pytest.mark.real_worker)


DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf", "mail"]}
}


class TaskWorker:
    """The session's worker (a `SupervisedWorker`) with its private storage and mail folder."""

    def __init__(self, supervised, private, outbox):
        self.supervised = supervised
        self.private = private
        self.outbox_folder = outbox

    def ensure_alive(self):
        return self.supervised.ensure_alive()

    @property
    def pid(self):
        return self.supervised.process.pid

    def outbox(self):
        from tests.tasks_helpers import read_outbox

        return read_outbox(self.outbox_folder)

    def wait_for_mail(self, to, after=0, timeout=60):
        """The first mail to `to` among the mails after the first `after` (`len(outbox())`
        before the action that sends it), once the worker has sent it."""
        from tests.tasks_helpers import wait_for

        def arrived():
            self.ensure_alive()
            for message in self.outbox()[after:]:
                if to in message["To"]:
                    return message
            return None

        return wait_for(arrived, timeout=timeout, message=f"a mail to {to} from the worker")

    def forget_stored_pdfs(self):
        """Empty the private storage: the next PDF request renders instead of finding a file."""
        import shutil

        shutil.rmtree(self.private / "exports", ignore_errors=True)


@pytest.fixture(scope="session")
def task_worker(django_db_setup, tmp_path_factory):
    """One real `db_worker` for every browser test, with the settings it shares with them.

    The session's settings (enabled first, so every module's and test's own overrides nest
    inside it): the database task backend and a private storage of this session, which the
    worker gets through its environment (PRIVATE_FILES_ROOT); its mails go to files.
    """
    from django.conf import settings
    from django.test.utils import override_settings

    from tests import tasks_helpers
    from tests.tasks_helpers import SupervisedWorker

    folder = tmp_path_factory.mktemp("task-worker")
    private, outbox = folder / "private", folder / "mail"
    private.mkdir()
    overrides = override_settings(
        TASKS=DATABASE_TASKS,
        STORAGES={
            **settings.STORAGES,
            "exports": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(private)},
            },
        },
    )
    overrides.enable()
    supervised = SupervisedWorker(
        folder / "worker.log",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=outbox,
    ).start()
    tasks_helpers.SESSION_WORKER.append(supervised)
    try:
        yield TaskWorker(supervised, private, outbox)
    finally:
        tasks_helpers.SESSION_WORKER.remove(supervised)
        supervised.stop()
        overrides.disable()


@pytest.fixture(autouse=True)
def _live_task_worker(task_worker):
    """Before every browser test: the worker runs (an earlier teardown may have ended it)."""
    task_worker.ensure_alive()


@pytest.fixture(scope="session")
def serialized_db_contents(django_db_setup, django_db_blocker):
    """The test database contents Django serialized after migrating, per alias."""
    from django.db import connections

    contents = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    if not contents:
        # Django serializes only when a collected test asks for serialized rollback; the
        # module-scoped `demo_database` needs the contents too (run alone, say), and nothing
        # has flushed the database yet when the first browser test starts.
        with django_db_blocker.unblock():
            for alias in connections:
                data = connections[alias].creation.serialize_db_to_string()
                connections[alias]._test_serialized_contents = contents[alias] = data
    return contents


def restore_serialized_db(contents, load=True):
    """Give serialized rollback back its data when the connection object has changed.

    Django keeps the serialized contents on the connection object, and connections are
    context-local. Once Playwright's sync API runs (it switches greenlets), a later test can
    get a fresh connection object without them, so its serialized rollback restores nothing
    and it starts on an empty database. Re-attach the contents and restore them then.
    """
    from django.db import connections

    for alias, data in contents.items():
        connection = connections[alias]
        if not hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = data
            if load:
                connection.creation.deserialize_db_from_string(data)


@pytest.fixture(scope="session")
def browser(task_worker, serialized_db_contents):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium` (see README).")
    # Playwright's sync API runs an event loop in this thread; Django's ORM must stay usable
    # from the test bodies and fixtures, which run in the same thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            # Connections are per async context (see restore_serialized_db): give the one used
            # while Playwright runs the contents, so the first browser test's flush can be
            # undone for the next one. The database itself still holds them here.
            restore_serialized_db(serialized_db_contents, load=False)
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


# The Wagtail admin is Wagtail's own interface, not ours: tests drive it without axe, but only
# after saying so with `admin_goto()` or `exempt()`, and nothing outside it can be exempted.
ADMIN_PREFIX = "/cms-admin/"


class CheckedPage:
    """A Playwright page whose every visited document must pass axe before the test ends."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.loaded = []
        self.checked = set()
        self.exempt_prefixes = set()
        self._axe = Axe()
        page.on("load", lambda p: self.loaded.append(p.url))

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, (path, response and response.status)
        self.check_accessibility()
        return response

    def follow(self, locator):
        """Click something that navigates, wait for the new page, then run axe on it."""
        with self.page.expect_navigation():
            locator.click()
        self.page.wait_for_load_state("load")
        self.check_accessibility()

    def exempt(self, url_prefix=ADMIN_PREFIX):
        """Allow pages under `url_prefix` without an axe check; only the Wagtail admin qualifies."""
        if not url_prefix.startswith(ADMIN_PREFIX):
            raise ValueError(
                f"Only Wagtail admin pages ({ADMIN_PREFIX}...) may skip the axe check, "
                f"not {url_prefix!r}: our own pages are always checked."
            )
        self.exempt_prefixes.add(self.base_url + url_prefix)

    def admin_goto(self, path):
        """Open a Wagtail admin page (exempt from axe: it is Wagtail's own interface)."""
        self.exempt(ADMIN_PREFIX)
        if not path.startswith(ADMIN_PREFIX):
            raise ValueError(f"admin_goto() is for {ADMIN_PREFIX} pages only, not {path!r}.")
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, (path, response and response.status)
        return response

    def check_accessibility(self):
        results = self._axe.run(self.page, options=AXE_OPTIONS)
        self.checked.add(self.page.url)
        if results.violations_count:
            name = self.page.url.replace(self.base_url, "").strip("/").replace("/", "_") or "home"
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOT_DIR / f"axe-{name}.png"), full_page=True)
            pytest.fail(f"axe violations on {self.page.url}:\n{results.generate_report()}")

    def assert_every_page_checked(self):
        unchecked = [
            url
            for url in self.loaded
            if url not in self.checked
            and not any(url.startswith(prefix) for prefix in self.exempt_prefixes)
        ]
        assert not unchecked, f"pages visited without an axe check: {unchecked}"


@pytest.fixture
def checked_page(browser, live_server, serialized_db_contents):
    restore_serialized_db(serialized_db_contents)
    # An English browser on purpose: the app must still speak Dutch until the user switches.
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    checked = CheckedPage(page, live_server.url)
    yield checked
    context.close()
    checked.assert_every_page_checked()


WIDE_VIEWPORT = {"width": 1280, "height": 900}


class DemoDatabase:
    """The demo, loaded once for a module; `unblock()` gives a test body database access."""

    def __init__(self, blocker):
        self.blocker = blocker

    def unblock(self):
        return self.blocker.unblock()


def _flush_all(inhibit_post_migrate=True):
    from django.core.management import call_command
    from django.db import connections

    for alias in connections:
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=alias,
            reset_sequences=False,
            inhibit_post_migrate=inhibit_post_migrate,
        )


def _content_types_first(data: str) -> str:
    """The serialized contents with the content types first.

    Saving some rows looks up their content type (and creates it when missing); with a cold
    ContentType cache that would insert a second row for a type the contents hold later.
    """
    import json

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    rows = json.loads(data)
    types = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    return json.dumps(types + [row for row in rows if row["model"] != "contenttypes.contenttype"])


@pytest.fixture(scope="module")
def demo_database(task_worker, browser, django_db_blocker, serialized_db_contents):
    """`manage.py setup_demo` once per module, for guards that only read it (or undo writes).

    The tests using it take no `django_db` mark: one load serves every test of the module, and
    nothing flushes it in between. It starts from the migrated contents and ends flushed, the
    way a `transaction=True, serialized_rollback=True` test leaves the database.

    It depends on `task_worker` so that its settings override nests inside the session's (and
    is undone first): the worker's private storage and task backend stay the live server's.
    """
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings

    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    task_worker.ensure_alive()
    with django_db_blocker.unblock():
        _flush_all()
        for alias, data in serialized_db_contents.items():
            connections[alias].creation.deserialize_db_from_string(_content_types_first(data))
        cache.clear()
        overrides.enable()
        call_command("setup_demo", verbosity=0)
    try:
        yield DemoDatabase(django_db_blocker)
    finally:
        with django_db_blocker.unblock():
            overrides.disable()
            cache.clear()
            _flush_all()
            # Leave the ContentType cache warm with the migrated ids, as the tests after this
            # module expect: a cold cache makes a serialized rollback create a content type
            # before the row that the contents hold for it (a duplicate key on PostgreSQL).
            from django.apps import apps
            from django.contrib.contenttypes.models import ContentType

            for alias, data in serialized_db_contents.items():
                connections[alias].creation.deserialize_db_from_string(_content_types_first(data))
            ContentType.objects.clear_cache()
            ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
            _flush_all()
