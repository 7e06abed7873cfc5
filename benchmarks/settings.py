"""Settings of `make bench` (benchmarks/national.py): production's, plus what a benchmark needs.

- a trivial view at /bench/trivial/ served through the same middleware, the yardstick of every
  ratio in benchmarks/results.md;
- the number of database queries of each response in the header `X-Bench-Queries` (counted
  by a middleware outside all the others, so the session, the user and the permission checks
  count too).

Nothing else differs from compass.settings; never use these settings for a real site.
"""

from compass.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
