"""The review reminder on a real Celery worker on Redis: run twice, it tells the worker once.

Runs when REDIS_URL is set (CI sets it); skipped otherwise, unless CSAFE_REQUIRE_SERVICES is set,
in which case a missing Redis is a failure rather than a skip. Transactional (the worker thread
has its own connection), so it makes its own harm type: an earlier transactional test may have
flushed the default taxonomy the data migration loaded.
"""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from csafe.celery import app
from csafe.notifications.models import Notification, NotificationKind
from harms import services as harm_services
from harms.models import Nature
from harms.tasks import flag_review_reminders
from tests.harms.helpers import days_ago, raise_flag

REDIS_URL = os.environ.get("REDIS_URL", "")
SUBJECT = "Harm flag review overdue"

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_worker():
    if not REDIS_URL:
        if os.environ.get("CSAFE_REQUIRE_SERVICES"):
            pytest.fail("REDIS_URL is not set but CSAFE_REQUIRE_SERVICES demands the real services")
        pytest.skip("REDIS_URL is not set")
    previous = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    # Drop any producer pool made for the previous broker.
    app._pool = None
    app.amqp._producer_pool = None
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    app.conf.update(**previous)
    app._pool = None
    app.amqp._producer_pool = None


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


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
    assert _wait_for(lambda: reminder_mail(practitioner.email)), "no reminder e-mail arrived"

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
