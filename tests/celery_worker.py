"""A real Celery worker on Redis for integration tests, and a helper to wait on its work.

Tests using ``redis_worker`` run when REDIS_URL is set (CI sets it) and are skipped otherwise,
unless CSAFE_REQUIRE_SERVICES is set, in which case a missing Redis is a failure, not a skip.
"""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from csafe.celery import app
from tests.services import redis_url

REDIS_URL = os.environ.get("REDIS_URL", "")


def _reset_producer_pools() -> None:
    # Producer pools are made for the broker configured when first used; drop them on a switch.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_worker():
    redis_url()  # skipped without Redis, failed where CSAFE_REQUIRE_SERVICES is set
    previous = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    _reset_producer_pools()
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    app.conf.update(**previous)
    _reset_producer_pools()


def wait_for(predicate, timeout: float = 20.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
