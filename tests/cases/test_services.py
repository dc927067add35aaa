"""The services that write young people and allocations: their rules, their errors, the database
constraints behind them, and the events and history they leave."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import permissions
from cases import services as case_services
from cases.models import Allocation, AllocationKind, CaseStatus, YoungPerson
from cases.services import young_people as young_people_services
from cases.tasks import allocation_notify_worker
from csafe.accounts.models import Role, Team, User
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from tests.factories import UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def active_worker_allocation(young_person, worker) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.WORKER, worker=worker, ended_at__isnull=True
    )


def active_team_allocation(young_person) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.TEAM, ended_at__isnull=True
    )


def new_events(since: int) -> list[tuple]:
    return list(
        Event.objects.filter(pk__gt=since)
        .order_by("pk")
        .values_list("kind", "actor_id", "young_person_id", "detail")
    )


def last_event_pk() -> int:
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@contextmanager
def raises_application_error(message: str, field: str | None = None):
    """Assert that the block raises the business error with exactly this message and field."""
    with pytest.raises(ApplicationError) as info:
        yield info
    assert info.value.message == message
    assert info.value.field == field


# === Opening a record ===========================================================================


class TestYoungPersonCreate:
    def test_practitioner_opening_a_record_is_allocated_to_it(self, practitioner, team_a):
        since = last_event_pk()

        person = YoungPersonFactory(actor=practitioner, first_name="  Ines ", last_name=" Orchard")

        assert person.first_name == "Ines"
        assert person.last_name == "Orchard"
        assert person.team == team_a
        assert person.status == CaseStatus.OPEN
        assert active_worker_allocation(person, practitioner).started_by == practitioner
        assert active_team_allocation(person).team == team_a
        assert permissions.user_has_perm(practitioner, permissions.VIEW, person)
        team_allocation = active_team_allocation(person)
        worker_allocation = active_worker_allocation(person, practitioner)
        assert new_events(since) == [
            (EventKind.YOUNG_PERSON_CREATED, practitioner.pk, person.pk, {}),
            (EventKind.TEAM_ALLOCATED, practitioner.pk, person.pk, {"team": team_a.pk}),
            (EventKind.WORKER_ALLOCATED, practitioner.pk, person.pk, {"worker": practitioner.pk}),
        ]
        events = Event.objects.filter(pk__gt=since).order_by("pk")
        assert [event.target_id for event in events] == [
            str(person.pk),
            str(team_allocation.pk),
            str(worker_allocation.pk),
        ]

    def test_team_manager_opening_a_record_holds_it_for_the_team_only(self, team_manager):
        person = YoungPersonFactory(actor=team_manager)

        assert not person.allocations.filter(kind=AllocationKind.WORKER).exists()
        assert permissions.user_has_perm(team_manager, permissions.VIEW_ACCESS_LOG, person)

    @pytest.mark.parametrize("role_holder", ["service_manager", "administrator"])
    def test_roles_outside_a_team_cannot_open_a_record(self, request, role_holder):
        with raises_application_error(
            "Only practitioners and team managers in a team can open a record"
        ):
            YoungPersonFactory(actor=request.getfixturevalue(role_holder))

        assert not YoungPerson.objects.exists()

    def test_date_of_birth_in_the_future_is_refused(self, practitioner):
        tomorrow = timezone.localdate() + timedelta(days=1)

        with raises_application_error("Date of birth must be in the past", field="date_of_birth"):
            YoungPersonFactory(actor=practitioner, date_of_birth=tomorrow)

        assert not YoungPerson.objects.exists()
        assert not Event.objects.filter(kind=EventKind.YOUNG_PERSON_CREATED).exists()

    def test_born_today_is_accepted(self, practitioner):
        person = YoungPersonFactory(actor=practitioner, date_of_birth=timezone.localdate())

        assert person.date_of_birth == timezone.localdate()

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [("nb1 2aa", "NB1 2AA"), ("  sw1a1aa ", "SW1A 1AA"), ("m1  1ae", "M1 1AE"), ("", "")],
    )
    def test_postcode_is_normalised(self, practitioner, typed, stored):
        person = YoungPersonFactory(actor=practitioner, postcode=typed)

        person.refresh_from_db()
        assert person.postcode == stored

    @pytest.mark.parametrize("postcode", ["XX1 1XX", "12345", "NB1 2A", "QB1 2AA", "NB1 2AC"])
    def test_invalid_postcode_is_refused(self, practitioner, postcode):
        with pytest.raises(ValidationError) as info:
            YoungPersonFactory(actor=practitioner, postcode=postcode)

        assert info.value.message_dict == {"postcode": ["Enter a real postcode, like NB1 2AA"]}
        assert not YoungPerson.objects.exists()
        assert not Allocation.objects.exists()

    def test_local_identifier_is_unique(self, practitioner, young_person):
        with pytest.raises(ValidationError) as info:
            YoungPersonFactory(actor=practitioner, local_identifier=young_person.local_identifier)

        assert info.value.message_dict == {
            "local_identifier": ["Young person with this Local identifier already exists."]
        }

    def test_history_names_the_person_who_opened_it(self, practitioner):
        person = YoungPersonFactory(actor=practitioner)

        rows = list(person.history.order_by("history_id"))
        assert [row.history_type for row in rows] == ["+", "~"]  # created, then team set
        assert [row.history_user for row in rows] == [practitioner, practitioner]


# === Allocating a worker ========================================================================


class TestAllocateWorker:
    def test_team_manager_allocates_a_teammate(self, team_manager, teammate, young_person):
        since = last_event_pk()

        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )

        assert allocation.kind == AllocationKind.WORKER
        assert allocation.worker == teammate
        assert allocation.team is None
        assert allocation.started_by == team_manager
        assert allocation.is_active
        assert permissions.user_has_perm(teammate, permissions.VIEW, young_person)
        assert permissions.user_has_perm(teammate, permissions.CHANGE, young_person)
        assert not permissions.user_has_perm(teammate, permissions.VIEW_ACCESS_LOG, young_person)
        assert new_events(since) == [
            (EventKind.WORKER_ALLOCATED, team_manager.pk, young_person.pk, {"worker": teammate.pk})
        ]
        event = Event.objects.get(pk__gt=since)
        assert event.target_id == str(allocation.pk)
        assert event.target_type.model_class() is Allocation

    def test_allocation_history_names_the_manager(self, team_manager, teammate, young_person):
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )

        assert [(row.history_type, row.history_user) for row in allocation.history.all()] == [
            ("+", team_manager)
        ]

    def test_team_manager_may_allocate_themself(self, team_manager, young_person):
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=team_manager
        )

        assert allocation.worker == team_manager

    @pytest.mark.parametrize(
        "actor",
        [
            "practitioner",
            "teammate",
            "other_team_manager",
            "other_team_practitioner",
            "service_manager",
            "administrator",
        ],
    )
    def test_only_a_manager_of_the_holding_team_allocates(
        self, request, teammate, young_person, actor
    ):
        user = request.getfixturevalue(actor)
        since = last_event_pk()

        with raises_application_error(
            "Only a manager of the team holding this case can allocate it"
        ):
            case_services.young_person_allocate_worker(
                actor=user, young_person=young_person, worker=teammate
            )

        assert not Allocation.objects.filter(worker=teammate).exists()
        assert new_events(since) == []

    @pytest.mark.parametrize(
        ("worker", "name"),
        [
            ("other_team_practitioner", "Otto Tester"),
            ("other_team_manager", "Olga Tester"),
            ("service_manager", "Sid Tester"),
            ("administrator", "Ada Tester"),
        ],
    )
    def test_worker_must_be_a_practitioner_or_manager_in_the_team(
        self, request, team_manager, young_person, worker, name
    ):
        user = request.getfixturevalue(worker)

        with raises_application_error(
            f"{name} cannot be allocated: they are not a practitioner or manager in Team A",
            field="worker",
        ):
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=young_person, worker=user
            )

        assert not Allocation.objects.filter(worker=user).exists()
        assert not permissions.user_has_perm(user, permissions.VIEW, young_person)

    def test_allocating_twice_is_refused(self, team_manager, practitioner, young_person):
        since = last_event_pk()

        with raises_application_error(
            "Pat Tester is already allocated to this young person", field="worker"
        ):
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=young_person, worker=practitioner
            )

        assert Allocation.objects.filter(worker=practitioner).count() == 1
        assert new_events(since) == []

    def test_lost_race_on_the_constraint_becomes_the_same_error(
        self, team_manager, practitioner, young_person
    ):
        # Two managers both passing the "already allocated" check is what the row lock prevents;
        # should it happen anyway, the constraint refuses the second row inside a savepoint and the
        # caller sees the business error while its own transaction stays usable.
        with transaction.atomic():
            with raises_application_error(
                "Pat Tester is already allocated to this young person", field="worker"
            ):
                young_people_services._allocate_worker(
                    actor=team_manager, young_person=young_person, worker=practitioner
                )
            assert Allocation.objects.filter(worker=practitioner).count() == 1

    def test_reallocating_after_an_ending_starts_a_new_period(
        self, team_manager, practitioner, young_person
    ):
        first = active_worker_allocation(young_person, practitioner)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=first, reason="On leave"
        )

        second = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=practitioner
        )

        assert second.pk != first.pk
        assert Allocation.objects.filter(worker=practitioner).count() == 2
        assert permissions.user_has_perm(practitioner, permissions.VIEW, young_person)

    def test_worker_who_left_the_team_cannot_be_allocated(
        self, team_manager, teammate, team_b, young_person
    ):
        from csafe.accounts import services as account_services

        account_services.user_update(actor=None, user=teammate, role=Role.PRACTITIONER, team=team_b)
        teammate.refresh_from_db()

        with raises_application_error(
            "Tam Tester cannot be allocated: they are not a practitioner or manager in Team A",
            field="worker",
        ):
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=young_person, worker=teammate
            )


class TestNotification:
    def test_worker_is_emailed_after_commit(
        self, team_manager, teammate, young_person, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=young_person, worker=teammate
            )

        # Nothing is sent while the transaction is open; the e-mail waits for the commit.
        assert len(callbacks) == 1
        assert mail.outbox == []

        callbacks[0]()

        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == [teammate.email]
        assert young_person.local_identifier in email.body
        for name in (young_person.first_name, young_person.last_name):
            assert name not in email.body
            assert name not in email.subject

    def test_task_sends_nothing_when_the_allocation_has_ended(
        self, team_manager, practitioner, young_person
    ):
        allocation = active_worker_allocation(young_person, practitioner)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Allocated in error"
        )

        assert allocation_notify_worker.delay(allocation.pk).get() is False
        assert mail.outbox == []

    def test_task_sends_nothing_to_a_worker_without_an_address(self, team_manager, young_person):
        no_email = UserFactory(
            username="noemail", email="", role=Role.PRACTITIONER, team=team_manager.team
        )
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=no_email
        )

        assert allocation_notify_worker.delay(allocation.pk).get() is False
        assert mail.outbox == []

    def test_task_sends_one_message(self, team_manager, teammate, young_person):
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )

        assert allocation_notify_worker.delay(allocation.pk).get() is True
        assert [email.to for email in mail.outbox] == [[teammate.email]]


# === Ending an allocation =======================================================================


class TestDeallocateWorker:
    def test_team_manager_ends_it_and_access_is_revoked(
        self, team_manager, practitioner, young_person
    ):
        allocation = active_worker_allocation(young_person, practitioner)
        since = last_event_pk()

        ended = case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="  Case stepped down  "
        )

        ended.refresh_from_db()
        assert ended.ended_at is not None
        assert ended.ended_by == team_manager
        assert ended.end_reason == "Case stepped down"
        assert not permissions.user_has_perm(practitioner, permissions.VIEW, young_person)
        assert not permissions.user_has_perm(practitioner, permissions.CHANGE, young_person)
        assert new_events(since) == [
            (
                EventKind.WORKER_DEALLOCATED,
                team_manager.pk,
                young_person.pk,
                {"worker": practitioner.pk, "reason": "Case stepped down"},
            )
        ]
        assert [
            (row.history_type, row.history_user, row.ended_by_id)
            for row in ended.history.order_by("history_id")
        ] == [("+", team_manager, None), ("~", team_manager, team_manager.pk)]

    @pytest.mark.parametrize("actor", ["practitioner", "other_team_manager", "administrator"])
    def test_only_a_manager_of_the_holding_team_ends_it(
        self, request, practitioner, young_person, actor
    ):
        allocation = active_worker_allocation(young_person, practitioner)

        with raises_application_error(
            "Only a manager of the team holding this case can end an allocation"
        ):
            case_services.young_person_deallocate_worker(
                actor=request.getfixturevalue(actor), allocation=allocation, reason="No"
            )

        allocation.refresh_from_db()
        assert allocation.is_active
        assert permissions.user_has_perm(practitioner, permissions.VIEW, young_person)

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_required(self, team_manager, practitioner, young_person, reason):
        allocation = active_worker_allocation(young_person, practitioner)

        with raises_application_error("Enter why the allocation is ending", field="reason"):
            case_services.young_person_deallocate_worker(
                actor=team_manager, allocation=allocation, reason=reason
            )

        allocation.refresh_from_db()
        assert allocation.is_active

    def test_team_allocation_is_not_ended_here(self, team_manager, young_person):
        with raises_application_error("That is a team allocation; transfer the case instead"):
            case_services.young_person_deallocate_worker(
                actor=team_manager, allocation=active_team_allocation(young_person), reason="x"
            )

    def test_ended_allocation_cannot_end_again(self, team_manager, practitioner, young_person):
        allocation = active_worker_allocation(young_person, practitioner)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="First"
        )

        with raises_application_error("That allocation has already ended"):
            case_services.young_person_deallocate_worker(
                actor=team_manager, allocation=allocation, reason="Second"
            )

    def test_other_workers_keep_their_access(
        self, team_manager, practitioner, teammate, young_person
    ):
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )

        case_services.young_person_deallocate_worker(
            actor=team_manager,
            allocation=active_worker_allocation(young_person, practitioner),
            reason="Handed over",
        )

        assert permissions.user_has_perm(teammate, permissions.VIEW, young_person)
        assert not permissions.user_has_perm(practitioner, permissions.VIEW, young_person)


# === Transferring the case ======================================================================


class TestTransferTeam:
    def test_transfer_ends_old_allocations_and_moves_the_team(
        self, team_manager, practitioner, other_team_manager, team_a, team_b, young_person
    ):
        old_team_allocation = active_team_allocation(young_person)
        old_worker_allocation = active_worker_allocation(young_person, practitioner)
        since = last_event_pk()

        new_allocation = case_services.young_person_transfer_team(
            actor=team_manager, young_person=young_person, team=team_b, reason=" Moved area "
        )

        young_person.refresh_from_db()
        assert young_person.team == team_b
        assert new_allocation.team == team_b
        assert new_allocation.started_by == team_manager
        for ended in (old_team_allocation, old_worker_allocation):
            ended.refresh_from_db()
            assert ended.ended_by == team_manager
            assert ended.end_reason == "Case transferred to Team B: Moved area"
        assert (
            Allocation.objects.filter(young_person=young_person, ended_at__isnull=True).count() == 1
        )
        assert not permissions.user_has_perm(team_manager, permissions.VIEW, young_person)
        assert not permissions.user_has_perm(practitioner, permissions.VIEW, young_person)
        assert permissions.user_has_perm(other_team_manager, permissions.VIEW, young_person)

        kinds = [(kind, actor) for kind, actor, _, _ in new_events(since)]
        assert sorted(kinds[:2]) == sorted(
            [
                (EventKind.TEAM_DEALLOCATED, team_manager.pk),
                (EventKind.WORKER_DEALLOCATED, team_manager.pk),
            ]
        )
        assert new_events(since)[-1] == (
            EventKind.TEAM_ALLOCATED,
            team_manager.pk,
            young_person.pk,
            {"team": team_b.pk},
        )
        latest = young_person.history.order_by("-history_id").first()
        assert latest.team_id == team_b.pk
        assert latest.history_user == team_manager

    def test_same_team_is_refused(self, team_manager, team_a, young_person):
        with raises_application_error("The case is already held by that team", field="team"):
            case_services.young_person_transfer_team(
                actor=team_manager, young_person=young_person, team=team_a, reason="No move"
            )

    def test_inactive_team_is_refused(self, team_manager, team_b, young_person):
        # Teams are switched off in the admin site, which has no service of its own; an UPDATE of
        # the flag alone stands in for it.
        Team.objects.filter(pk=team_b.pk).update(is_active=False)
        team_b.refresh_from_db()

        with raises_application_error("That team is no longer active", field="team"):
            case_services.young_person_transfer_team(
                actor=team_manager, young_person=young_person, team=team_b, reason="Moved"
            )

    def test_a_reason_is_required(self, team_manager, team_b, young_person):
        with raises_application_error("Enter why the case is being transferred", field="reason"):
            case_services.young_person_transfer_team(
                actor=team_manager, young_person=young_person, team=team_b, reason="  "
            )

        young_person.refresh_from_db()
        assert young_person.team.name == "Team A"

    @pytest.mark.parametrize("actor", ["practitioner", "other_team_manager", "service_manager"])
    def test_only_a_manager_of_the_holding_team_transfers(
        self, request, team_b, young_person, actor
    ):
        with raises_application_error(
            "Only a manager of the team holding this case can transfer it"
        ):
            case_services.young_person_transfer_team(
                actor=request.getfixturevalue(actor),
                young_person=young_person,
                team=team_b,
                reason="Moved",
            )


# === Status =====================================================================================


class TestSetStatus:
    def test_allocated_practitioner_closes_the_case(self, practitioner, young_person):
        since = last_event_pk()

        case_services.young_person_set_status(
            actor=practitioner, young_person=young_person, status="closed", reason=" Work done "
        )

        young_person.refresh_from_db()
        assert young_person.status == CaseStatus.CLOSED
        assert new_events(since) == [
            (
                EventKind.YOUNG_PERSON_STATUS_CHANGED,
                practitioner.pk,
                young_person.pk,
                {"status": "closed", "reason": "Work done"},
            )
        ]
        latest = young_person.history.order_by("-history_id").first()
        assert latest.status == "closed"
        assert latest.history_user == practitioner
        assert latest.history_change_reason == "Work done"
        # Closing keeps the allocation, so the worker can still read the record.
        assert permissions.user_has_perm(practitioner, permissions.VIEW, young_person)

    def test_reopening(self, team_manager, young_person):
        case_services.young_person_set_status(
            actor=team_manager, young_person=young_person, status="closed", reason="Done"
        )

        case_services.young_person_set_status(
            actor=team_manager, young_person=young_person, status="open", reason="Re-referred"
        )

        young_person.refresh_from_db()
        assert young_person.status == CaseStatus.OPEN

    def test_same_status_is_refused(self, practitioner, young_person):
        with raises_application_error("The case is already open"):
            case_services.young_person_set_status(
                actor=practitioner, young_person=young_person, status="open", reason="Again"
            )

    def test_unknown_status_is_refused(self, practitioner, young_person):
        with raises_application_error("Choose open or closed", field="status"):
            case_services.young_person_set_status(
                actor=practitioner, young_person=young_person, status="deleted", reason="x"
            )

    def test_a_reason_is_required(self, practitioner, young_person):
        with raises_application_error("Enter a reason", field="reason"):
            case_services.young_person_set_status(
                actor=practitioner, young_person=young_person, status="closed", reason="   "
            )

        young_person.refresh_from_db()
        assert young_person.status == CaseStatus.OPEN

    @pytest.mark.parametrize(
        "actor", ["teammate", "other_team_manager", "service_manager", "administrator"]
    )
    def test_without_access_is_refused(self, request, young_person, actor):
        with raises_application_error("You cannot change this record"):
            case_services.young_person_set_status(
                actor=request.getfixturevalue(actor),
                young_person=young_person,
                status="closed",
                reason="Not mine",
            )

        young_person.refresh_from_db()
        assert young_person.status == CaseStatus.OPEN

    def test_superuser_without_access_is_refused(self, administrator, young_person):
        # Guardian's checker answers "yes" to a superuser for every object; csafe must not.
        User.objects.filter(pk=administrator.pk).update(is_superuser=True)
        administrator.refresh_from_db()

        with raises_application_error("You cannot change this record"):
            case_services.young_person_set_status(
                actor=administrator, young_person=young_person, status="closed", reason="Bypass"
            )

        young_person.refresh_from_db()
        assert young_person.status == CaseStatus.OPEN


# === Database constraints =======================================================================


class TestConstraints:
    """Rows written straight to the table, bypassing the services, to prove that the database
    itself refuses what the services check."""

    def _worker_row(self, young_person, worker, **extra) -> dict:
        return {
            "young_person": young_person,
            "kind": AllocationKind.WORKER,
            "worker": worker,
            "started_at": timezone.now(),
            **extra,
        }

    def test_one_active_allocation_per_worker(self, practitioner, young_person):
        with pytest.raises(IntegrityError), transaction.atomic():
            Allocation.objects.create(**self._worker_row(young_person, practitioner))

        assert Allocation.objects.filter(worker=practitioner).count() == 1

    def test_ended_allocations_for_the_same_worker_are_allowed(self, practitioner, young_person):
        now = timezone.now()
        Allocation.objects.create(
            **self._worker_row(young_person, practitioner, started_at=now, ended_at=now)
        )

        assert Allocation.objects.filter(worker=practitioner).count() == 2

    def test_the_same_worker_on_two_young_people_is_allowed(
        self, team_manager, practitioner, young_person
    ):
        second = YoungPersonFactory(actor=team_manager)

        Allocation.objects.create(**self._worker_row(second, practitioner))

        assert Allocation.objects.filter(worker=practitioner, ended_at__isnull=True).count() == 2

    def test_one_active_team_allocation(self, team_b, young_person):
        with pytest.raises(IntegrityError), transaction.atomic():
            Allocation.objects.create(
                young_person=young_person,
                kind=AllocationKind.TEAM,
                team=team_b,
                started_at=timezone.now(),
            )

        assert active_team_allocation(young_person).team.name == "Team A"

    def test_worker_allocation_names_a_worker_and_no_team(self, team_a, teammate, young_person):
        with pytest.raises(IntegrityError), transaction.atomic():
            Allocation.objects.create(**self._worker_row(young_person, teammate, team=team_a))
        with pytest.raises(IntegrityError), transaction.atomic():
            Allocation.objects.create(**self._worker_row(young_person, None))

    def test_team_allocation_names_a_team_and_no_worker(self, teammate, young_person):
        with pytest.raises(IntegrityError), transaction.atomic():
            Allocation.objects.create(
                young_person=young_person,
                kind=AllocationKind.TEAM,
                worker=teammate,
                started_at=timezone.now(),
            )

    def test_an_allocation_cannot_end_before_it_starts(self, teammate, young_person):
        now = timezone.now()

        with pytest.raises(IntegrityError), transaction.atomic():
            Allocation.objects.create(
                **self._worker_row(
                    young_person, teammate, started_at=now, ended_at=now - timedelta(seconds=1)
                )
            )
