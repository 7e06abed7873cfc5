"""A throwaway database for one benchmark run (not a benchmark itself: run.py runs bench_*.py).

SQLite by default, PostgreSQL when DATABASE_URL is set: the script gets a fresh database named
after its prefix and the configured one, and it is dropped afterwards, also after a crash.
"""

from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import setup_test_environment


@contextmanager
def throwaway_database(prefix: str = "bench", hosts=("testserver",)):
    """Create the database, run the block, close the connection and drop the database."""
    name = settings.DATABASES["default"]["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{prefix}_{Path(str(name)).stem}"
    setup_test_environment()
    settings.ALLOWED_HOSTS = list(hosts)
    created = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield created
    finally:
        connection.close()
        connection.creation.destroy_test_db(created, verbosity=0)
