"""The real services a test needs: PostgreSQL, Redis. Where one is missing the test is skipped on a
developer's machine, and fails where CSAFE_REQUIRE_SERVICES is set (CI sets it, .ci/run), so a
CI run that lost its PostgreSQL or Redis cannot pass by skipping what it exists to prove.

A test that needs PostgreSQL is marked ``@pytest.mark.postgres(reason=...)`` (the root conftest
calls ``require_postgresql`` for it before it starts), or calls ``require_postgresql`` itself
where only part of it needs PostgreSQL; one that needs Redis calls ``redis_url()``.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REQUIRE_SERVICES = "CSAFE_REQUIRE_SERVICES"


def services_required() -> bool:
    return bool(os.environ.get(REQUIRE_SERVICES))


def missing(reason: str) -> NoReturn:
    """Skip the test for a missing service, or fail it where the real services are required."""
    if services_required():
        pytest.fail(f"{reason}, but {REQUIRE_SERVICES} demands the real services")
    pytest.skip(reason)


def require_postgresql(why: str) -> None:
    """Go on only on PostgreSQL; ``why`` says what of PostgreSQL's the test needs."""
    from django.db import connection

    if connection.vendor != "postgresql":
        missing(f"needs PostgreSQL ({why})" if why else "needs PostgreSQL")


def require_marked_services(item: pytest.Item) -> None:
    """Before a test marked ``postgres`` starts: PostgreSQL, or a skip (a failure in CI)."""
    marker = item.get_closest_marker("postgres")
    if marker is not None:
        require_postgresql(marker.kwargs.get("reason", ""))


def redis_url() -> str:
    """REDIS_URL, the Redis that a worker, the broker or the cache is tested on."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("REDIS_URL is not set")
    return url
