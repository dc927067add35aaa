"""A test that needs PostgreSQL or Redis is skipped without it on a developer's machine, and
fails where CSAFE_REQUIRE_SERVICES is set, as CI sets it (tests/services.py)."""

from __future__ import annotations

import pytest
from django.db import connections

from tests.services import redis_url, require_marked_services, require_postgresql

SKIPPED = pytest.skip.Exception
FAILED = pytest.fail.Exception
DEMANDS = "but CSAFE_REQUIRE_SERVICES demands the real services"


@pytest.fixture
def on_sqlite(monkeypatch):
    # Whatever the suite runs on: the helper reads the vendor, not the settings.
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")


@pytest.fixture
def without_redis(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)


def test_without_postgresql_a_test_is_skipped_locally(monkeypatch, on_sqlite):
    monkeypatch.delenv("CSAFE_REQUIRE_SERVICES", raising=False)
    with pytest.raises(SKIPPED) as skipped:
        require_postgresql("row locks")
    assert str(skipped.value) == "needs PostgreSQL (row locks)"


def test_without_postgresql_a_test_fails_where_services_are_required(monkeypatch, on_sqlite):
    monkeypatch.setenv("CSAFE_REQUIRE_SERVICES", "1")
    with pytest.raises(FAILED) as failed:
        require_postgresql("row locks")
    assert str(failed.value) == f"needs PostgreSQL (row locks), {DEMANDS}"


def test_the_postgres_mark_fails_where_services_are_required(request, monkeypatch, on_sqlite):
    """The root conftest calls this before every test; here on this test's own item."""
    monkeypatch.setenv("CSAFE_REQUIRE_SERVICES", "1")
    request.node.add_marker(pytest.mark.postgres(reason="the generator uses COPY"))
    with pytest.raises(FAILED) as failed:
        require_marked_services(request.node)
    assert str(failed.value) == f"needs PostgreSQL (the generator uses COPY), {DEMANDS}"


def test_on_postgresql_the_mark_lets_the_test_run(request, monkeypatch):
    monkeypatch.setenv("CSAFE_REQUIRE_SERVICES", "1")
    monkeypatch.setattr(connections["default"], "vendor", "postgresql")
    request.node.add_marker(pytest.mark.postgres(reason="row locks"))
    require_marked_services(request.node)  # no skip, no failure


def test_without_redis_a_test_is_skipped_locally(monkeypatch, without_redis):
    monkeypatch.delenv("CSAFE_REQUIRE_SERVICES", raising=False)
    with pytest.raises(SKIPPED) as skipped:
        redis_url()
    assert str(skipped.value) == "REDIS_URL is not set"


def test_without_redis_a_test_fails_where_services_are_required(monkeypatch, without_redis):
    monkeypatch.setenv("CSAFE_REQUIRE_SERVICES", "1")
    with pytest.raises(FAILED) as failed:
        redis_url()
    assert str(failed.value) == f"REDIS_URL is not set, {DEMANDS}"


def test_with_redis_its_address_is_given(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/10")
    assert redis_url() == "redis://127.0.0.1:6379/10"
