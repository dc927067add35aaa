"""A real Celery worker on Redis runs a task enqueued after a service's transaction commits.

Runs when REDIS_URL is set (CI sets it); skipped otherwise, unless CSAFE_REQUIRE_SERVICES is set,
in which case a missing Redis is a failure rather than a skip.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail

from cases import services as case_services
from tests.celery_worker import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_allocation_email_is_sent_by_a_real_worker(redis_worker, team_manager, teammate):
    from django.db import transaction

    from tests.factories import YoungPersonFactory

    young_person = YoungPersonFactory(
        actor=team_manager, first_name="Wilhelmina", last_name="Crosthwaite"
    )
    mail.outbox.clear()
    with transaction.atomic():
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )
        # Still inside the transaction: nothing may have been sent yet.
        assert not any(teammate.email in m.to for m in mail.outbox)
    assert wait_for(lambda: any(teammate.email in m.to for m in mail.outbox)), (
        "the worker did not deliver the allocation e-mail"
    )
    message = next(m for m in mail.outbox if teammate.email in m.to)
    assert young_person.local_identifier in message.body
    assert "Wilhelmina" not in message.body and "Crosthwaite" not in message.body


def test_nothing_is_enqueued_when_the_transaction_rolls_back(redis_worker, team_manager, teammate):
    from celery.signals import before_task_publish
    from django.db import transaction

    from tests.factories import YoungPersonFactory

    young_person = YoungPersonFactory(actor=team_manager)
    mail.outbox.clear()
    published = []

    def _record(sender=None, **kwargs):
        published.append(sender)

    before_task_publish.connect(_record, weak=False)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=young_person, worker=teammate
            )
            raise RuntimeError("the request failed after the allocation")
        # Give a worker that (wrongly) received a task time to run it.
        time.sleep(1)
    finally:
        before_task_publish.disconnect(_record)
    assert "cases.tasks.allocation_notify_worker" not in published
    assert not any(teammate.email in m.to for m in mail.outbox)
    assert not young_person.allocations.filter(worker=teammate).exists()
