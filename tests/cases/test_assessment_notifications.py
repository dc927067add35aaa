"""Told when work waits: completing an assessment tells the holding team's managers, returning
it tells whoever completed it; in the app and by e-mail, once, never naming the child."""

from __future__ import annotations

import pytest
from django.core import mail

from cases import tasks
from cases.services import assessments as services
from csafe.notifications.models import Notification, NotificationKind
from tests.cases.assessment_support import complete, days_ago, start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AWAITING = NotificationKind.ASSESSMENT_AWAITING_AUTHORISATION
RETURNED = NotificationKind.WORK_RETURNED


def notices(kind) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).select_related("recipient").order_by("pk"))


def assert_no_name(notifications, emails) -> None:
    for text in [f"{n.title} {n.body}" for n in notifications] + [
        f"{m.subject} {m.body}" for m in emails
    ]:
        assert "Zephyrine" not in text and "Quillfeather" not in text


@pytest.fixture
def in_progress(practitioner, young_person):
    return start(practitioner, young_person)


@pytest.fixture
def awaiting(practitioner, in_progress, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return complete(practitioner, in_progress)


def return_it(manager, assessment, callbacks):
    with callbacks(execute=True):
        return services.assessment_return(
            actor=manager, assessment=assessment, reason="Speak to the school first"
        )


class TestCompleting:
    def test_every_active_manager_of_the_holding_team_is_told(
        self,
        practitioner,
        team_manager,
        other_team_manager,
        young_person,
        in_progress,
        django_capture_on_commit_callbacks,
    ):
        second = UserFactory(username="second", role="team_manager", team=team_manager.team)
        gone = UserFactory(username="gone", role="team_manager", team=team_manager.team)
        gone.is_active = False
        gone.save()
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            assessment = complete(practitioner, in_progress)

        sent = notices(AWAITING)
        assert [n.recipient for n in sent] == [team_manager, second]
        identifier = young_person.local_identifier
        assert {n.title for n in sent} == {f"Assessment for {identifier} awaits your authorisation"}
        assert sent[0].url == f"/young-people/{young_person.pk}/assessments/{assessment.pk}/"
        assert sent[0].dedupe_key == (
            f"assessment-awaiting:{assessment.pk}:v{assessment.version}:{team_manager.pk}"
        )
        emails = [m for m in mail.outbox if "awaits your authorisation" in m.subject]
        assert sorted(m.to[0] for m in emails) == sorted([team_manager.email, second.email])
        assert_no_name(sent, emails)

    def test_nothing_is_sent_before_commit(
        self, practitioner, in_progress, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            complete(practitioner, in_progress)
        assert not notices(AWAITING)
        assert len(callbacks) == 1

    def test_the_task_is_idempotent(self, awaiting, team_manager):
        assert len(notices(AWAITING)) == 1

        assert tasks.assessment_awaiting_notify(awaiting.pk, awaiting.version) == 0
        assert len(notices(AWAITING)) == 1

    def test_nothing_is_told_of_an_assessment_no_longer_awaiting(
        self, awaiting, team_manager, django_capture_on_commit_callbacks
    ):
        version = awaiting.version
        Notification.objects.all().delete()
        return_it(team_manager, awaiting, django_capture_on_commit_callbacks)

        assert tasks.assessment_awaiting_notify(awaiting.pk, version) == 0
        assert not notices(AWAITING)

    def test_completing_again_after_a_return_tells_them_again(
        self, practitioner, team_manager, awaiting, django_capture_on_commit_callbacks
    ):
        returned = return_it(team_manager, awaiting, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            complete(practitioner, returned)

        assert [n.recipient for n in notices(AWAITING)] == [team_manager, team_manager]

    def test_a_manager_completing_it_is_not_told_of_their_own_work(
        self, team_manager, young_person, django_capture_on_commit_callbacks
    ):
        assessment = start(team_manager, young_person)
        with django_capture_on_commit_callbacks(execute=True):
            complete(team_manager, assessment)
        assert not notices(AWAITING)


class TestReturning:
    def test_whoever_completed_it_is_told(
        self, practitioner, team_manager, young_person, awaiting, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()

        returned = return_it(team_manager, awaiting, django_capture_on_commit_callbacks)

        sent = notices(RETURNED)
        assert [n.recipient for n in sent] == [practitioner]
        assert sent[0].title == (
            f"Assessment for {young_person.local_identifier} returned for more work"
        )
        assert sent[0].dedupe_key == (
            f"assessment-returned:{returned.pk}:v{returned.version}:{practitioner.pk}"
        )
        emails = [m for m in mail.outbox if "returned for more work" in m.subject]
        assert [m.to for m in emails] == [[practitioner.email]]
        assert_no_name(sent, emails)
        # The reason stays in csafe: it may name the child.
        assert "Speak to the school" not in f"{sent[0].body} {emails[0].body}"

    def test_the_task_is_idempotent(
        self, team_manager, awaiting, django_capture_on_commit_callbacks
    ):
        returned = return_it(team_manager, awaiting, django_capture_on_commit_callbacks)

        assert tasks.assessment_returned_notify(returned.pk, returned.version) == 0
        assert len(notices(RETURNED)) == 1

    def test_a_completer_who_has_left_is_replaced_by_the_allocated_workers(
        self,
        practitioner,
        teammate,
        team_manager,
        young_person,
        awaiting,
        django_capture_on_commit_callbacks,
    ):
        from cases import services as case_services

        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )
        practitioner.is_active = False
        practitioner.save()

        return_it(team_manager, awaiting, django_capture_on_commit_callbacks)

        assert [n.recipient for n in notices(RETURNED)] == [teammate]


def test_an_assessment_authorised_tells_no_one_more(
    team_manager, awaiting, django_capture_on_commit_callbacks
):
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_authorise(
            actor=team_manager,
            assessment=awaiting,
            authorised_on=days_ago(1),
            reason="The evidence supports the decision",
        )
    assert Notification.objects.count() == before
