"""The review reminder on a real Celery worker on Redis: run twice, it tells the worker once.

Runs when REDIS_URL is set (CI sets it); skipped otherwise, unless CSAFE_REQUIRE_SERVICES is set,
in which case a missing Redis is a failure rather than a skip. Transactional (the worker thread
has its own connection), so it makes its own harm type: an earlier transactional test may have
flushed the default taxonomy the data migration loaded.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail

from cases.tasks import flag_review_reminders
from csafe.notifications.models import Notification, NotificationKind
from harms import services as harm_services
from harms.models import Nature
from tests.celery_worker import wait_for
from tests.harms.helpers import days_ago, raise_flag

SUBJECT = "Harm flag review overdue"

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def reminder_mail(to: str) -> list:
    return [m for m in mail.outbox if SUBJECT in m.subject and to in m.to]


def test_a_real_worker_sends_one_reminder_however_often_the_task_runs(
    redis_worker, administrator, practitioner, young_person
):
    knife_crime = harm_services.harm_type_create(
        actor=administrator, name="Knife crime", nature=Nature.EXTRA_FAMILIAL
    )
    raise_flag(
        actor=practitioner,
        young_person=young_person,
        harm_type=knife_crime,
        identified_on=days_ago(40),
        review_date=days_ago(2),
    )

    assert flag_review_reminders.delay().get(timeout=30) == 1
    # The e-mail is a second task, enqueued after the notification was committed.
    assert wait_for(lambda: reminder_mail(practitioner.email)), "no reminder e-mail arrived"

    assert flag_review_reminders.delay().get(timeout=30) == 0
    # Give a (wrongly) enqueued second e-mail time to arrive.
    time.sleep(2)

    [notification] = Notification.objects.filter(recipient=practitioner)
    assert notification.kind == NotificationKind.FLAG_REVIEW_DUE
    assert notification.title == f"{SUBJECT} for {young_person.local_identifier}"
    assert notification.emailed_at is not None
    [message] = reminder_mail(practitioner.email)
    assert young_person.local_identifier in message.body
    assert "Zephyrine" not in message.body and "Quillfeather" not in message.body
    assert len([m for m in mail.outbox if SUBJECT in m.subject]) == 1
