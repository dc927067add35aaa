"""Two practitioners raising the same flag at the same moment, on PostgreSQL.

Each raise runs in its own thread, on its own connection, inside its own transaction. The partial
unique index ``one_active_flag_per_type`` makes the second insert wait for the first transaction
and then fail; the service must turn that into one clear ApplicationError, never a second row or
an unhandled IntegrityError (a 500 on the page).

These tests are transactional (the threads must see committed data), so the default taxonomy a
data migration loaded may already have been flushed by an earlier transactional test: they make
their own harm type through the service.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from harms import services
from harms.models import FlagStatus, HarmFlag, Nature
from tests.harms.helpers import raise_flag

pytestmark = [
    pytest.mark.postgres(reason="row locks and a partial index"),
    pytest.mark.django_db(transaction=True),
]

DUPLICATE = "Knife crime is already flagged for this young person"
TIMEOUT = 20


@pytest.fixture
def knife_crime(administrator):
    return services.harm_type_create(
        actor=administrator, name="Knife crime", nature=Nature.EXTRA_FAMILIAL
    )


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
    assert not any(thread.is_alive() for thread in threads), "a raise never finished"
    return outcomes


def test_two_simultaneous_raises_give_one_flag_and_one_clear_message(
    practitioner, team_manager, young_person, knife_crime
):
    # Both threads are inside their transaction before either inserts.
    barrier = threading.Barrier(2, timeout=TIMEOUT)

    def raise_as(user):
        def target():
            with transaction.atomic():
                barrier.wait()
                return raise_flag(actor=user, young_person=young_person, harm_type=knife_crime)

        return target

    outcomes = run_in_threads(
        ("practitioner", raise_as(practitioner)), ("team_manager", raise_as(team_manager))
    )

    flags = [o for o in outcomes.values() if isinstance(o, HarmFlag)]
    errors = [o for o in outcomes.values() if isinstance(o, ApplicationError)]
    assert len(flags) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert errors[0].message == DUPLICATE
    assert errors[0].field == "harm_type"
    [stored] = HarmFlag.objects.filter(young_person=young_person, harm_type=knife_crime)
    assert stored.pk == flags[0].pk
    assert stored.status == FlagStatus.ACTIVE
    # The loser left nothing behind: one history row and one event, both the winner's.
    assert HarmFlag.history.count() == 1
    [event] = Event.objects.filter(kind=EventKind.FLAG_RAISED)
    assert event.actor == stored.raised_by


def test_the_second_insert_waits_for_the_first_transaction_and_then_fails(
    practitioner, team_manager, young_person, knife_crime
):
    """The ordered race: the second raise runs while the first has inserted but not committed,
    so it can only learn of the clash by waiting on the unique index."""
    first_inserted = threading.Event()
    second_started = threading.Event()

    def first():
        with transaction.atomic():
            flag = raise_flag(actor=practitioner, young_person=young_person, harm_type=knife_crime)
            first_inserted.set()
            # Hold the transaction open until the second raise is under way (and blocked).
            assert second_started.wait(TIMEOUT)
            threading.Event().wait(0.5)
            return flag

    def second():
        assert first_inserted.wait(TIMEOUT)
        # Nothing is committed yet, so the second raise cannot see the first flag.
        assert not HarmFlag.objects.filter(young_person=young_person).exists()
        second_started.set()
        with transaction.atomic():
            return raise_flag(actor=team_manager, young_person=young_person, harm_type=knife_crime)

    outcomes = run_in_threads(("first", first), ("second", second))

    assert isinstance(outcomes["first"], HarmFlag), outcomes
    assert isinstance(outcomes["second"], ApplicationError), outcomes
    assert outcomes["second"].message == DUPLICATE
    assert HarmFlag.objects.filter(young_person=young_person).count() == 1
    assert HarmFlag.objects.get().raised_by == practitioner
    assert Event.objects.filter(kind=EventKind.FLAG_RAISED).count() == 1
