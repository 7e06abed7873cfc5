"""The cast every test can use (see ../shared/design/CONVENTIONS.md).

Municipalities are real ones from the in-repo CBS 2024 file, all in the Veilig Thuis region
Utrecht (VT20):

- gemeente_a = Utrecht (GM0344), gemeente_b = Amersfoort (GM0307),
  gemeente_p = Nieuwegein (GM0356), gemeente_q = IJsselstein (GM0353)
- alice: coordinator of A; dave: editor in A; bob: reader in A
- carol: coordinator of B, no access to A; bert: reader in B
- pia: coordinator of P, a regional partner WITH an agreement: "Regio Utrecht" (A and P) and
  the closed agreement "Amersfoort en Nieuwegein" (B and P)
- quinn: coordinator of Q, a regional partner WITHOUT an agreement
- erin: content editor (Wagtail permissions only, never municipal data)
- admin: superuser
- anonymous: the `client` fixture without login
"""

import pytest
from django.contrib.auth.models import Group

from tests.factories import SharingAgreementFactory, UserFactory, member, real_municipality

UTRECHT, AMERSFOORT, NIEUWEGEIN, IJSSELSTEIN = "GM0344", "GM0307", "GM0356", "GM0353"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast has ten users; real PBKDF2 would spend seconds per test hashing passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "pdf", "mail"],
    }
}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate-limit counters (password reset, login) and
    cached pages of one test must not decide the outcome of a later one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _session_worker_rests(request):
    """The browser tests' worker rests while other tests run: their own worker, if any, must be
    the only one taking tasks from the test database (docs/tasks.md)."""
    if not request.node.get_closest_marker("e2e"):
        from tests.tasks_helpers import SESSION_WORKER

        for worker in SESSION_WORKER:
            worker.pause()


@pytest.fixture(autouse=True)
def _immediate_tasks(request, settings):
    """Unit tests run tasks where they are enqueued (the immediate backend) and render PDFs in
    the same process; tests of the queue itself (tests/test_tasks_*.py, the browser tests) use
    the database backend with a real `db_worker` process instead (tests/tasks_helpers.py)."""
    if request.node.get_closest_marker("real_worker"):
        return
    settings.TASKS = IMMEDIATE_TASKS
    settings.PDF_RENDERING = "inline"


@pytest.fixture
def gemeente_a(db):
    return real_municipality(UTRECHT)


@pytest.fixture
def gemeente_b(db):
    return real_municipality(AMERSFOORT)


@pytest.fixture
def gemeente_p(db):
    return real_municipality(NIEUWEGEIN)


@pytest.fixture
def gemeente_q(db):
    return real_municipality(IJSSELSTEIN)


@pytest.fixture
def alice(db, gemeente_a):
    user = UserFactory(username="alice", first_name="Alice", last_name="de Vries")
    member(user, gemeente_a, "coordinator")
    return user


@pytest.fixture
def dave(db, gemeente_a):
    user = UserFactory(username="dave", first_name="Dave", last_name="Jansen")
    member(user, gemeente_a, "editor")
    return user


@pytest.fixture
def bob(db, gemeente_a):
    user = UserFactory(username="bob", first_name="Bob", last_name="Bakker")
    member(user, gemeente_a, "reader")
    return user


@pytest.fixture
def carol(db, gemeente_b):
    user = UserFactory(username="carol", first_name="Carol", last_name="Visser")
    member(user, gemeente_b, "coordinator")
    return user


@pytest.fixture
def bert(db, gemeente_b):
    user = UserFactory(
        username="bert",
        first_name="Bertholda",
        last_name="Amersfoortse-Kwak",
        email="bert.kwak@amersfoort.example",
    )
    member(user, gemeente_b, "reader")
    return user


@pytest.fixture
def pia(db, gemeente_p):
    user = UserFactory(username="pia", first_name="Pia", last_name="Partner")
    member(user, gemeente_p, "coordinator")
    return user


@pytest.fixture
def quinn(db, gemeente_q):
    user = UserFactory(username="quinn", first_name="Quinn", last_name="Zonder")
    member(user, gemeente_q, "coordinator")
    return user


@pytest.fixture
def erin(db):
    user = UserFactory(username="erin", first_name="Erin", last_name="Smit")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def regio_utrecht(db, gemeente_a, gemeente_p):
    """The regional agreement of Veilig Thuis Utrecht: A and P take part, B and Q do not."""
    from compass import access
    from compass.models import Region

    agreement = SharingAgreementFactory(
        name="Regio Utrecht", region=Region.objects.get(code="VT20")
    )
    access.join_agreement(agreement, gemeente_a)
    access.join_agreement(agreement, gemeente_p)
    return agreement


@pytest.fixture
def closed_agreement_b(db, gemeente_b, gemeente_p):
    """A closed agreement (no region) of B and P; its name and text are private to them."""
    from compass import access

    agreement = SharingAgreementFactory(
        name="Amersfoort en Nieuwegein", description="Afspraak-geheim-7731 over de wijkteams."
    )
    access.join_agreement(agreement, gemeente_b)
    access.join_agreement(agreement, gemeente_p)
    return agreement


@pytest.fixture
def cast(
    alice, dave, bob, carol, bert, pia, quinn, erin, admin_user, regio_utrecht, closed_agreement_b
):
    """Everyone, by name; `anonymous` is None."""
    return {
        "alice": alice,
        "dave": dave,
        "bob": bob,
        "carol": carol,
        "bert": bert,
        "pia": pia,
        "quinn": quinn,
        "erin": erin,
        "admin": admin_user,
        "anonymous": None,
    }


@pytest.fixture
def client_for(db):
    """Return a function that logs the given user into a fresh test client (None: anonymous)."""
    from django.test import Client

    def login(user):
        other = Client()
        if user is not None:
            other.force_login(user)
        return other

    return login


# --- The demo, built once per session ------------------------------------------------------


def pytest_collection_modifyitems(items):
    """Run the tests on the demo last, so one build serves them all (see `demo_db`).

    Nothing that expects an empty database runs after the build; each demo test still runs in
    its own transaction, so what it changes is rolled back before the next one.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            # Its flush would leave the tests after it without the migrated rows (and, with
            # post_migrate, with content types under new ids): a guard, not a convention.
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs serialized_rollback=True"
            )
    demo = [item for item in items if "demo_db" in getattr(item, "fixturenames", ())]
    if demo:
        items[:] = [item for item in items if item not in set(demo)] + demo


@pytest.fixture(scope="session")
def _demo_built(django_db_setup, django_db_blocker):
    """`manage.py setup_demo` committed once; afterwards the migrated contents come back."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings
    from wagtail.models import Page

    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock():
        migrated = {}
        for alias in connections:
            connection = connections[alias]
            stored = getattr(connection, "_test_serialized_contents", None)
            if stored is not None and not Page.objects.using(alias).exists():
                # A transactional test flushed the database on its way out (post_migrate may
                # then have made new content types): restore the migrated rows.
                _restore_migrated(alias, stored)
            migrated[alias] = stored or connection.creation.serialize_db_to_string()
        cache.clear()
        with fast_hashing:
            call_command("setup_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        cache.clear()
        for alias, data in migrated.items():
            _restore_migrated(alias, data)
        # Warm the ContentType cache with the migrated ids again, as the tests after expect.
        ContentType.objects.clear_cache()
        ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


@pytest.fixture
def demo_db(_demo_built, db):
    """The database with the demo of `manage.py setup_demo`, for tests that read it.

    Built once per session (the build takes seconds); what a test writes is rolled back.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _restore_migrated(alias: str, data: str) -> None:
    """Empty the database and load the migrated rows back, with the sequences after them.

    Rows come back with their ids; on PostgreSQL the sequences must then be moved past them,
    or the next row a test creates collides with id 1.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connections

    connection = connections[alias]
    call_command("flush", verbosity=0, interactive=False, database=alias, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(_content_types_first(data))
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    ContentType.objects.clear_cache()


def _content_types_first(data: str) -> str:
    """Serialized contents with the content types first: saving some rows looks up their
    content type and, with a cold cache, would insert a second row for a type loaded later."""
    import json

    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    rows = json.loads(data)
    types = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    return json.dumps(types + [row for row in rows if row["model"] != "contenttypes.contenttype"])


# --- Districts (issue 22): Utrecht's districts, district cycles, district members ----------
from tests.district_cast import dina, district_cycles, districts, otto, rita  # noqa: E402, F401
