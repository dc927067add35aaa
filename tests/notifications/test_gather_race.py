"""Two workers telling one person of changes to one context at the same moment, on PostgreSQL:
one notification between them, each change gathered once, no error.

Each delivery runs in its own thread, on its own connection, inside its own transaction. The
first is held inside its critical section (after looking for an open notification, before
making one) while the second starts: without the lock on the recipient's row the second would
look too, find nothing, and make a second notification.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections

from csafe.notifications import services
from csafe.notifications.models import Notification, NotificationChange, NotificationKind

pytestmark = [
    pytest.mark.postgres(reason="row locks between two connections"),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 20


def run_in_threads(*targets) -> dict[str, object]:
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
    assert not any(thread.is_alive() for thread in threads), "a delivery never finished"
    return outcomes


@pytest.mark.parametrize(
    ("second_version", "changes"),
    [(3, ["Meeting note recorded", "Plan action added"]), (2, ["Meeting note recorded"])],
    ids=["two changes", "one change delivered twice"],
)
def test_two_deliveries_at_once_make_one_notification(practitioner, second_version, changes):
    inside = threading.Event()

    def gather(version: int, change: str, describe):
        return services.notification_gather(
            recipient=practitioner,
            kind=NotificationKind.CONTEXT_UPDATED,
            group_key="context:7",
            change_key=f"context:7:v{version}:{practitioner.pk}",
            change=change,
            url="/contexts/7/",
            window=timedelta(minutes=15),
            describe=describe,
        )

    def describe(found):
        return f"{len(found)} changes: Riverside", "; ".join(found)

    def held(found):
        # Called after the look for an open notification, before the insert: stay here long
        # enough for the other delivery to reach the same look, were it not made to wait.
        inside.set()
        time.sleep(1.5)
        return describe(found)

    def first():
        return gather(2, "Meeting note recorded", held)

    def second():
        assert inside.wait(TIMEOUT)
        return gather(second_version, changes[-1], describe)

    outcomes = run_in_threads(("first", first), ("second", second))

    assert not [o for o in outcomes.values() if isinstance(o, Exception)], outcomes
    [notification] = Notification.objects.filter(recipient=practitioner)
    assert list(notification.changes.values_list("summary", flat=True)) == changes
    assert NotificationChange.objects.count() == len(changes)
    assert [outcomes["first"][1], outcomes["second"][1]] == [True, second_version != 2]
