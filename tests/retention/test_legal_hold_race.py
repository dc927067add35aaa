"""A legal hold and an erasure of the same record at the same moment, on PostgreSQL.

Both services lock the young person's row before they look: whichever commits first wins, and
the other, once the lock is granted, sees what it did and refuses with a clear message. Each
runs in its own thread, on its own connection, inside its own transaction, so these tests are
transactional (the threads must see committed data).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from cases.models import YoungPerson
from csafe.core.errors import ApplicationError
from retention import services
from retention.models import LegalHold, RetentionDecision
from tests.retention.helpers import HOLD_REASON, born_years_ago, closed_young_person, today

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

TIMEOUT = 20


def run_in_threads(*targets) -> dict[str, object]:
    """Run each (name, callable) in its own thread and return {name: result or exception}."""
    outcomes: dict[str, object] = {}

    def run(name, target):
        try:
            outcomes[name] = target()
        except Exception as exc:  # noqa: BLE001 - the outcome under test, whatever it is
            outcomes[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a service never finished"
    return outcomes


def place(actor, person):
    return services.legal_hold_place(
        actor=actor,
        young_person=YoungPerson.objects.get(pk=person.pk),
        reason=HOLD_REASON,
        review_on=today() + timedelta(days=90),
    )


def erase(actor, person):
    return services.retention_decide(
        actor=actor,
        record_kind="young_person",
        record_id=person.pk,
        decision="erase",
        reason="Retention period passed",
    )


@pytest.fixture
def adult(team_manager):
    return closed_young_person(team_manager, born=born_years_ago(30), local_identifier="LH-RACE")


def first_then_second(first, second):
    """``first`` runs and holds its transaction open until ``second`` has started (and is
    waiting on the row lock); then both finish."""
    first_done = threading.Event()
    second_started = threading.Event()

    def run_first():
        with transaction.atomic():
            result = first()
            first_done.set()
            assert second_started.wait(TIMEOUT)
            threading.Event().wait(0.5)  # the second is now blocked on the lock
            return result

    def run_second():
        assert first_done.wait(TIMEOUT)
        second_started.set()
        return second()

    return run_in_threads(("first", run_first), ("second", run_second))


def test_a_hold_placed_first_stops_the_erasure(team_manager, service_manager, adult):
    outcomes = first_then_second(
        lambda: place(team_manager, adult), lambda: erase(service_manager, adult)
    )
    assert isinstance(outcomes["first"], LegalHold), outcomes
    error = outcomes["second"]
    assert isinstance(error, ApplicationError), outcomes
    assert error.message == "This record is under a legal hold and cannot be erased"
    assert not RetentionDecision.objects.exists()


def test_an_erasure_first_refuses_the_hold(team_manager, service_manager, adult):
    outcomes = first_then_second(
        lambda: erase(service_manager, adult), lambda: place(team_manager, adult)
    )
    assert isinstance(outcomes["first"], RetentionDecision), outcomes
    error = outcomes["second"]
    assert isinstance(error, ApplicationError), outcomes
    assert error.message == "This record has been erased, so it cannot be held"
    assert not LegalHold.objects.exists()
