"""cases.tasks.flag_review_reminders: one notification (and one e-mail) per allocated worker per
overdue flag, naming the record's local identifier and never the child. Tasks run eagerly here
(tests/conftest.py); the e-mail is enqueued after commit, so on-commit callbacks are run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from cases import services as case_services
from cases.models import Allocation, AllocationKind
from cases.tasks import flag_review_reminders
from csafe.notifications.models import Notification, NotificationKind
from tests.harms.helpers import archive_flag, days_ago, harm_type, raise_flag, today

pytestmark = pytest.mark.django_db

CCE = "Child criminal exploitation, including county lines"


@pytest.fixture
def overdue(practitioner, young_person):
    """A CCE flag identified 30 days ago whose review fell due yesterday."""
    return raise_flag(
        actor=practitioner,
        young_person=young_person,
        harm_type=harm_type(CCE),
        identified_on=days_ago(30),
        review_date=days_ago(1),
    )


@pytest.fixture
def run_reminders(django_capture_on_commit_callbacks):
    """Run the task as beat would, with the after-commit e-mail delivery it enqueues."""

    def _run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return flag_review_reminders.delay().get()

    return _run


def reminder_mail() -> list:
    return [m for m in mail.outbox if "Harm flag review overdue" in m.subject]


class TestWhoIsTold:
    def test_the_allocated_worker_is_told_about_an_overdue_flag(
        self, run_reminders, practitioner, young_person, overdue
    ):
        made = run_reminders()

        assert made == 1
        [notification] = Notification.objects.all()
        identifier = young_person.local_identifier
        assert notification.recipient == practitioner
        assert notification.kind == NotificationKind.FLAG_REVIEW_DUE
        assert notification.title == f"Harm flag review overdue for {identifier}"
        assert notification.body == (
            f"The {CCE} flag on {identifier} was due for review on {days_ago(1):%d %B %Y}."
        )
        assert notification.url == f"/young-people/{young_person.pk}/"
        assert notification.read_at is None
        assert notification.emailed_at is not None
        [message] = mail.outbox
        assert message.to == [practitioner.email]
        assert message.subject == f"csafe: Harm flag review overdue for {identifier}"
        assert message.body == (
            f"Harm flag review overdue for {identifier}.\n\nSign in to csafe to read more."
            f"\n\nhttp://127.0.0.1:8000/young-people/{young_person.pk}/\n"
        )
        assert CCE not in message.body  # what the flag is stays inside csafe

    def test_the_child_is_never_named(self, run_reminders, young_person, overdue):
        run_reminders()

        [notification] = Notification.objects.all()
        [message] = mail.outbox
        for text in (notification.title, notification.body, message.subject, message.body):
            assert young_person.local_identifier in text
            for name in ("Zephyrine", "Quillfeather"):
                assert name not in text

    def test_every_allocated_worker_is_told_once_per_overdue_flag(
        self, run_reminders, practitioner, teammate, team_manager, young_person, overdue
    ):
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )
        raise_flag(
            actor=practitioner,
            young_person=young_person,
            harm_type=harm_type("Going missing"),
            identified_on=days_ago(60),
            review_date=days_ago(20),
        )

        made = run_reminders()

        assert made == 4
        told = sorted(
            (n.recipient.username, n.body.split(" flag on ")[0])
            for n in Notification.objects.select_related("recipient")
        )
        assert told == [
            ("practitioner", f"The {CCE}"),
            ("practitioner", "The Going missing"),
            ("teammate", f"The {CCE}"),
            ("teammate", "The Going missing"),
        ]
        assert sorted(m.to[0] for m in reminder_mail()) == sorted(
            [practitioner.email, practitioner.email, teammate.email, teammate.email]
        )

    def test_the_team_manager_is_not_told_unless_allocated(
        self, run_reminders, team_manager, overdue
    ):
        run_reminders()

        assert not Notification.objects.filter(recipient=team_manager).exists()

    def test_a_worker_whose_allocation_ended_is_not_told(
        self, run_reminders, practitioner, team_manager, young_person, overdue
    ):
        allocation = Allocation.objects.get(
            young_person=young_person, worker=practitioner, kind=AllocationKind.WORKER
        )
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Left the team"
        )

        assert run_reminders() == 0
        assert not Notification.objects.exists()
        assert reminder_mail() == []

    def test_only_the_worker_of_the_flagged_record_is_told(
        self, run_reminders, practitioner, other_team_practitioner, overdue, other_young_person
    ):
        run_reminders()

        assert list(Notification.objects.values_list("recipient", flat=True)) == [practitioner.pk]


class TestWhichFlags:
    def test_archived_flags_are_never_reminded(self, run_reminders, practitioner, overdue):
        archive_flag(actor=practitioner, flag=overdue)

        assert run_reminders() == 0
        assert not Notification.objects.exists()
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "review_in_days", [0, 1, 30], ids=["due-today", "due-tomorrow", "due-next-month"]
    )
    def test_flags_not_yet_past_review_are_not_reminded(
        self, run_reminders, practitioner, young_person, review_in_days
    ):
        raise_flag(
            actor=practitioner,
            young_person=young_person,
            harm_type=harm_type(CCE),
            identified_on=days_ago(10),
            review_date=today() + timedelta(days=review_in_days),
        )

        assert run_reminders() == 0
        assert not Notification.objects.exists()
        assert mail.outbox == []

    def test_flags_without_a_review_date_are_not_reminded(
        self, run_reminders, practitioner, young_person
    ):
        raise_flag(actor=practitioner, young_person=young_person, harm_type=harm_type(CCE))

        assert run_reminders() == 0
        assert not Notification.objects.exists()


class TestIdempotence:
    def test_running_twice_tells_nobody_twice(self, run_reminders, practitioner, overdue):
        assert run_reminders() == 1
        first = Notification.objects.get()

        assert run_reminders() == 0

        assert list(Notification.objects.all()) == [first]
        assert len(mail.outbox) == 1

    def test_a_reinstated_flag_with_the_same_review_date_is_not_reminded_again(
        self, run_reminders, practitioner, overdue
    ):
        run_reminders()
        archive_flag(actor=practitioner, flag=overdue)
        case_services.harm_flag_reinstate(actor=practitioner, flag=overdue, reason="Back")

        assert run_reminders() == 0
        assert Notification.objects.count() == 1
        assert len(mail.outbox) == 1
