"""One context update, told by a real Celery worker on Redis: exactly one notification (and one
e-mail) per practitioner of a linked young person, none for the person who made the change, and
no child named.

Runs when REDIS_URL is set (CI sets it); skipped otherwise, unless CSAFE_REQUIRE_SERVICES is set,
in which case a missing Redis is a failure rather than a skip. Transactional, since the worker
thread has its own database connection: every service here commits, as in real use.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail

from cases import services as case_services
from contexts.models import Context
from contexts.reference import ContextRecordKind
from csafe.notifications.models import Notification, NotificationKind
from tests.celery_worker import wait_for
from tests.contexts.work_support import add_record, link, open_context_for_test
from tests.factories import YoungPersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHANGE = "Context assessment recorded"
CANARIES = ["Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe", "Marisol", "Thistlewood"]


def told(context: Context, version: int) -> list[Notification]:
    return list(
        Notification.objects.filter(dedupe_key__startswith=f"context:{context.pk}:v{version}:")
        .select_related("recipient")
        .order_by("recipient__username")
    )


def test_one_context_update_tells_each_linked_practitioner_once(
    redis_worker,
    settings,
    team_manager,
    practitioner,
    other_team_practitioner,
    young_person,
    other_young_person,
):
    # Each change told and e-mailed at once; gathered changes: test_context_digest_worker.py.
    settings.CSAFE_CONTEXT_DIGEST_MINUTES = 0
    context = open_context_for_test(lead=team_manager)
    # practitioner holds two of the linked young people: she is told once, not twice.
    second = YoungPersonFactory(actor=team_manager, first_name="Marisol", last_name="Thistlewood")
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=second, worker=practitioner
    )
    link(practitioner, context, young_person)
    link(practitioner, context, second)
    link(other_team_practitioner, context, other_young_person)
    # Linking changes the young person's record, not the context: it is told to nobody and
    # leaves the context's version alone (a notification per link would be a timeline of a
    # child on the context side).
    linked_version = Context.objects.get(pk=context.pk).version
    assert Notification.objects.filter(kind=NotificationKind.CONTEXT_UPDATED).count() == 0

    add_record(team_manager, context, kind=ContextRecordKind.ASSESSMENT)
    version = Context.objects.get(pk=context.pk).version
    assert version == linked_version + 1

    def context_mail():
        # The allocation e-mail for the second young person travels through the same worker.
        return [m for m in mail.outbox if m.subject.startswith(f"csafe: {CHANGE}")]

    assert wait_for(lambda: len(told(context, version)) == 2), "the worker told no one"
    assert wait_for(lambda: len(context_mail()) == 2), "the e-mails did not arrive"
    # Give a (wrongly) repeated delivery time to arrive before counting.
    time.sleep(2)
    assert Notification.objects.filter(kind=NotificationKind.CONTEXT_UPDATED).count() == 2

    notifications = told(context, version)
    assert [n.recipient.username for n in notifications] == ["outsider", "practitioner"]
    assert not Notification.objects.filter(recipient=team_manager).exists()
    for notification in notifications:
        assert notification.kind == NotificationKind.CONTEXT_UPDATED
        assert notification.title == f"{CHANGE}: {context.name}"
        assert notification.emailed_at is not None
    sent = context_mail()
    assert sorted(m.to[0] for m in sent) == [
        other_team_practitioner.email,
        practitioner.email,
    ]
    assert {m.subject for m in sent} == {f"csafe: {CHANGE}: {context.name}"}
    text = "\n".join([n.title + n.body for n in notifications] + [m.subject + m.body for m in sent])
    for name in CANARIES:
        assert name not in text
    for person in (young_person, second, other_young_person):
        assert person.local_identifier not in text
