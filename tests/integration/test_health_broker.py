"""The health check against the real broker: Redis at REDIS_URL says "ok", and a broker address
where nothing listens says "unavailable" with a 503. The unit tests in
tests/core/test_shell.py see only the eager mode and a closed port.

Needs Redis (REDIS_URL; skipped without it, failed where CSAFE_REQUIRE_SERVICES is set).
"""

from __future__ import annotations

import json
import socket

import pytest

from csafe.celery import app
from tests.celery_worker import _reset_producer_pools
from tests.services import redis_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def broker_at():
    """Point Celery at a broker, not eagerly (the autouse _eager_celery fixture restores it)."""
    previous = app.conf.broker_url

    def point(url: str) -> None:
        app.conf.update(broker_url=url, task_always_eager=False)
        _reset_producer_pools()

    yield point
    app.conf.broker_url = previous
    _reset_producer_pools()


def closed_port() -> int:
    """A port nothing listens on: one the system just gave out and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthz_finds_the_real_redis_broker_reachable(client, broker_at):
    broker_at(redis_url())

    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_finds_a_redis_broker_on_a_closed_port_unavailable(client, broker_at):
    redis_url()  # the same conditions as the reachable case, so CI runs both
    broker_at(f"redis://127.0.0.1:{closed_port()}/15")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
    }
