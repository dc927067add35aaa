"""A burst of changes to one context, told by a real Celery worker on Redis: one notification
per practitioner of a linked young person listing every change, and one e-mail each when the
window ends (the beat's sweep, run here by the worker), however often the sweep runs; no child
named.

Runs when REDIS_URL is set (CI sets it); skipped otherwise, unless CSAFE_REQUIRE_SERVICES is set.
Transactional, since the worker thread has its own database connection; on PostgreSQL.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail

from contexts.reference import ContextRecordKind
from csafe.notifications.models import Notification, NotificationKind
from csafe.notifications.tasks import notifications_email_due
from tests.celery_worker import wait_for
from tests.contexts.work_support import add_action, add_record, link, open_context_for_test

pytestmark = [
    pytest.mark.integration,
    # The test goes on writing while the worker writes: SQLite's shared in-memory test
    # database would refuse one of them ("table is locked").
    pytest.mark.postgres(reason="the test and the worker write at the same time"),
    pytest.mark.django_db(transaction=True),
]

CANARIES = ["Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe"]
WINDOW_SECONDS = 15  # long enough for a slow worker to gather all five


def test_a_burst_is_one_notification_and_one_email_per_practitioner(
    redis_worker,
    settings,
    team_manager,
    practitioner,
    other_team_practitioner,
    young_person,
    other_young_person,
):
    settings.CSAFE_CONTEXT_DIGEST_MINUTES = WINDOW_SECONDS / 60
    context = open_context_for_test(lead=team_manager)
    link(practitioner, context, young_person)
    link(other_team_practitioner, context, other_young_person)

    def context_mail():
        # The fixtures' allocation e-mails travel through the same worker.
        return [m for m in mail.outbox if m.subject.startswith("csafe: 5 changes")]

    for _ in range(3):
        add_record(team_manager, context, kind=ContextRecordKind.MEETING)
    for _ in range(2):
        add_action(team_manager, context)
    expected = ["Meeting note recorded"] * 3 + ["Plan action added"] * 2

    def told() -> list[Notification]:
        return list(Notification.objects.filter(kind=NotificationKind.CONTEXT_UPDATED))

    def gathered() -> bool:
        rows = told()
        return len(rows) == 2 and all(n.changes.count() == 5 for n in rows)

    assert wait_for(gathered), "the worker did not gather the five changes"
    assert context_mail() == []  # the window is still open

    time.sleep(WINDOW_SECONDS + 1)
    notifications_email_due.delay()
    assert wait_for(lambda: len(context_mail()) == 2), "the e-mails did not arrive"
    # The sweep again, and time for a (wrongly) repeated send: still one e-mail each.
    notifications_email_due.delay()
    time.sleep(2)

    assert len(told()) == 2
    sent = context_mail()
    assert len([m for m in mail.outbox if "changes" in m.subject]) == 2
    assert sorted(m.to[0] for m in sent) == sorted(
        [practitioner.email, other_team_practitioner.email]
    )
    for message in sent:
        assert message.subject == f"csafe: 5 changes: {context.name}"
        assert [line[2:] for line in message.body.splitlines() if line.startswith("- ")] == expected
    assert all(n.emailed_at is not None for n in told())
    text = "\n".join([n.title + n.body for n in told()] + [m.subject + m.body for m in sent])
    for name in CANARIES:
        assert name not in text
    for person in (young_person, other_young_person):
        assert person.local_identifier not in text
