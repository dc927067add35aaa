"""harm_flag_raise, harm_flag_archive and harm_flag_reinstate: rules, audit and atomicity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases import services as case_services
from cases.models import Allocation, AllocationKind
from cases.services import flags as services
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from harms import services as harm_services
from harms.models import ArchiveReason, FlagStatus, HarmFlag, IdentifiedAt, Nature
from tests.harms.helpers import NO_ACCESS, days_ago, today

pytestmark = pytest.mark.django_db

CANNOT_CHANGE = "You cannot change this young person's record"


def flag_events(kind=None) -> list[Event]:
    kinds = (
        [kind]
        if kind
        else [EventKind.FLAG_RAISED, EventKind.FLAG_ARCHIVED, EventKind.FLAG_REINSTATED]
    )
    return list(Event.objects.filter(kind__in=kinds).order_by("pk"))


def counts() -> tuple[int, int, int]:
    """(flags, flag history rows, flag events): compared before and after a refused change."""
    return HarmFlag.objects.count(), HarmFlag.history.count(), len(flag_events())


# === Raise ======================================================================================


class TestRaise:
    def test_records_the_flag_its_author_history_and_event(self, practitioner, young_person, cse):
        flag = services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=cse,
            identified_at=IdentifiedAt.ASSESSMENT,
            identified_on=days_ago(3),
            review_date=days_ago(-30),
            note="  Seen with older males at the station.  ",
        )

        flag.refresh_from_db()
        assert flag.young_person == young_person
        assert flag.harm_type == cse
        assert flag.nature == Nature.EXTRA_FAMILIAL
        assert flag.identified_at == IdentifiedAt.ASSESSMENT
        assert flag.identified_on == days_ago(3)
        assert flag.review_date == days_ago(-30)
        assert flag.raised_by == practitioner
        assert flag.note == "Seen with older males at the station."
        assert flag.status == FlagStatus.ACTIVE
        assert [(h.history_type, h.history_user) for h in flag.history.all()] == [
            ("+", practitioner)
        ]
        [event] = flag_events()
        assert event.kind == EventKind.FLAG_RAISED
        assert (event.actor, event.young_person, event.target_id) == (
            practitioner,
            young_person,
            str(flag.pk),
        )
        assert event.detail == {"harm_type": cse.pk, "nature": Nature.EXTRA_FAMILIAL}

    def test_any_number_of_flags_are_current_at_once_and_none_is_primary(
        self, young_person, cse, cce, domestic_abuse, raise_flag
    ):
        for harm_type in (cse, cce, domestic_abuse):
            raise_flag(harm_type)

        current = HarmFlag.objects.filter(young_person=young_person, status=FlagStatus.ACTIVE)
        assert set(current.values_list("harm_type__name", flat=True)) == {
            "Child sexual exploitation",
            "Child criminal exploitation, including county lines",
            "Domestic abuse in the home",
        }
        assert set(current.values_list("nature", flat=True)) == {
            Nature.EXTRA_FAMILIAL,
            Nature.INTRA_FAMILIAL,
        }
        assert not any("primary" in field.name for field in HarmFlag._meta.get_fields())

    def test_the_team_manager_may_raise_a_flag(self, team_manager, cse, raise_flag):
        flag = raise_flag(cse, actor=team_manager)

        assert flag.raised_by == team_manager

    def test_a_second_current_flag_of_the_same_type_is_refused(
        self, practitioner, team_manager, cse, raise_flag
    ):
        raise_flag(cse)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse, actor=team_manager, identified_at=IdentifiedAt.REVIEW)

        assert refused.value.message == (
            "Child sexual exploitation is already flagged for this young person"
        )
        assert refused.value.field == "harm_type"
        assert counts() == before
        assert HarmFlag.objects.get().raised_by == practitioner

    def test_the_same_type_on_another_young_person_is_independent(
        self, cse, raise_flag, other_young_person, other_team_practitioner
    ):
        raise_flag(cse)
        raise_flag(cse, actor=other_team_practitioner, on=other_young_person)

        assert HarmFlag.objects.filter(harm_type=cse, status=FlagStatus.ACTIVE).count() == 2

    def test_a_type_may_be_raised_again_once_its_flag_is_archived(
        self, young_person, cse, raise_flag, archive_flag
    ):
        archived = archive_flag(raise_flag(cse))

        again = raise_flag(cse)

        assert again.pk != archived.pk
        assert list(young_person.harm_flags.order_by("pk").values_list("status", flat=True)) == [
            FlagStatus.ARCHIVED,
            FlagStatus.ACTIVE,
        ]

    def test_a_retired_type_is_refused(self, administrator, cse, raise_flag):
        harm_services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )
        cse.refresh_from_db()

        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse)

        assert refused.value.message == (
            "Child sexual exploitation has been retired and cannot be used for new flags"
        )
        assert refused.value.field == "harm_type"
        assert counts() == (0, 0, 0)

    def test_a_date_in_the_future_is_refused(self, cse, raise_flag):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse, identified_on=today() + timedelta(days=1))

        assert refused.value.message == "The date identified must be today or in the past"
        assert refused.value.field == "identified_on"
        assert counts() == (0, 0, 0)

    def test_today_is_allowed(self, cse, raise_flag):
        assert raise_flag(cse, identified_on=today()).identified_on == today()

    def test_a_review_before_the_date_identified_is_refused(self, cse, raise_flag):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse, identified_on=days_ago(5), review_date=days_ago(6))

        assert refused.value.message == "The review date must be on or after the date identified"
        assert refused.value.field == "review_date"
        assert counts() == (0, 0, 0)

    def test_a_review_on_the_day_identified_is_allowed(self, cse, raise_flag):
        flag = raise_flag(cse, identified_on=days_ago(5), review_date=days_ago(5))

        assert flag.review_date == days_ago(5)

    def test_an_unknown_place_of_identification_is_refused(self, cse, raise_flag):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse, identified_at="school")

        assert refused.value.message == "Choose where the harm was identified"
        assert counts() == (0, 0, 0)

    def test_an_either_type_needs_a_nature(self, either_type, raise_flag):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(either_type)

        assert refused.value.message == (
            "Say whether Online grooming is extra-familial or intra-familial here"
        )
        assert refused.value.field == "nature"
        assert counts() == (0, 0, 0)

    @pytest.mark.parametrize("nature", [Nature.EXTRA_FAMILIAL, Nature.INTRA_FAMILIAL])
    def test_an_either_type_records_the_chosen_nature(self, either_type, raise_flag, nature):
        flag = raise_flag(either_type, nature=nature)

        flag.refresh_from_db()
        assert flag.nature == nature
        assert flag.is_extra_familial is (nature == Nature.EXTRA_FAMILIAL)

    def test_an_either_type_cannot_be_recorded_as_either(self, either_type, raise_flag):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(either_type, nature=Nature.EITHER)

        assert refused.value.field == "nature"

    def test_a_fixed_type_refuses_the_other_nature(self, cse, raise_flag):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse, nature=Nature.INTRA_FAMILIAL)

        assert refused.value.message == "Child sexual exploitation is always extra-familial"
        assert refused.value.field == "nature"

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_users_who_cannot_change_the_record_are_refused(
        self, request, cse, raise_flag, role_holder
    ):
        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse, actor=request.getfixturevalue(role_holder))

        assert refused.value.message == CANNOT_CHANGE
        assert refused.value.code == "forbidden"
        assert counts() == (0, 0, 0)

    def test_a_worker_whose_allocation_ended_is_refused(
        self, team_manager, practitioner, young_person, cse, raise_flag
    ):
        allocation = Allocation.objects.get(
            young_person=young_person, worker=practitioner, kind=AllocationKind.WORKER
        )
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Moved to another team"
        )

        with pytest.raises(ApplicationError) as refused:
            raise_flag(cse)

        assert refused.value.message == CANNOT_CHANGE

    def test_nothing_is_saved_when_the_event_cannot_be_written(self, monkeypatch, cse, raise_flag):
        def broken_event_record(**kwargs):
            raise RuntimeError("audit table unavailable")

        monkeypatch.setattr(services, "event_record", broken_event_record)

        with pytest.raises(RuntimeError):
            raise_flag(cse)

        assert counts() == (0, 0, 0)


# === Archive ====================================================================================


class TestArchive:
    def test_archives_with_reason_rationale_history_and_event(
        self, practitioner, young_person, cse, raise_flag
    ):
        flag = raise_flag(cse)

        services.harm_flag_archive(
            actor=practitioner,
            flag=flag,
            reason=ArchiveReason.NEVER,
            rationale="  Assessment found no exploitation.  ",
        )

        flag.refresh_from_db()
        assert flag.status == FlagStatus.ARCHIVED
        assert flag.is_active is False
        assert flag.archived_by == practitioner
        assert flag.archived_at is not None
        assert flag.archive_reason == ArchiveReason.NEVER
        assert flag.archive_rationale == "Assessment found no exploitation."
        latest = flag.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason, latest.status) == (
            practitioner,
            "Never a concern: assessed as absent",
            FlagStatus.ARCHIVED,
        )
        [event] = flag_events(EventKind.FLAG_ARCHIVED)
        assert (event.actor, event.young_person) == (practitioner, young_person)
        assert event.detail == {
            "harm_type": cse.pk,
            "reason": "never",
            "rationale": "Assessment found no exploitation.",
        }
        # Nothing is deleted.
        assert HarmFlag.objects.filter(pk=flag.pk).exists()

    def test_the_team_manager_may_archive(self, team_manager, cse, raise_flag, archive_flag):
        flag = archive_flag(raise_flag(cse), actor=team_manager)

        assert flag.archived_by == team_manager

    @pytest.mark.parametrize("reason", ["", "resolved", ArchiveReason.NEVER.label])
    def test_a_reason_from_the_list_is_needed(self, cse, raise_flag, archive_flag, reason):
        flag = raise_flag(cse)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            archive_flag(flag, reason=reason)

        assert refused.value.message == "Choose why the flag is being archived"
        assert refused.value.field == "reason"
        assert counts() == before
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    @pytest.mark.parametrize("rationale", ["", "   \n  "])
    def test_a_rationale_is_needed(self, cse, raise_flag, archive_flag, rationale):
        flag = raise_flag(cse)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            archive_flag(flag, rationale=rationale)

        assert refused.value.message == "Explain why the flag is being archived"
        assert refused.value.field == "rationale"
        assert counts() == before
        flag.refresh_from_db()
        assert (flag.status, flag.archive_reason, flag.archived_by) == (
            FlagStatus.ACTIVE,
            "",
            None,
        )

    def test_archiving_twice_is_refused_even_from_a_stale_copy(
        self, team_manager, cse, raise_flag, archive_flag
    ):
        flag = raise_flag(cse)
        stale = HarmFlag.objects.get(pk=flag.pk)
        archive_flag(flag)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            archive_flag(stale, actor=team_manager, reason=ArchiveReason.ERROR)

        assert refused.value.message == "This flag is already archived"
        assert counts() == before
        flag.refresh_from_db()
        assert flag.archive_reason == ArchiveReason.NO_LONGER

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_users_who_cannot_change_the_record_are_refused(
        self, request, cse, raise_flag, archive_flag, role_holder
    ):
        flag = raise_flag(cse)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            archive_flag(flag, actor=request.getfixturevalue(role_holder))

        assert refused.value.message == CANNOT_CHANGE
        assert counts() == before
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_nothing_is_saved_when_the_event_cannot_be_written(
        self, monkeypatch, cse, raise_flag, archive_flag
    ):
        flag = raise_flag(cse)
        before = counts()

        def broken_event_record(**kwargs):
            raise RuntimeError("audit table unavailable")

        monkeypatch.setattr(services, "event_record", broken_event_record)

        with pytest.raises(RuntimeError):
            archive_flag(flag)

        assert counts() == before
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE


# === Reinstate ==================================================================================


class TestReinstate:
    def test_reinstates_with_a_reason_keeping_the_archive_in_history(
        self, practitioner, team_manager, young_person, cse, raise_flag, archive_flag
    ):
        flag = archive_flag(
            raise_flag(cse), reason=ArchiveReason.ERROR, rationale="Wrong young person."
        )

        services.harm_flag_reinstate(
            actor=team_manager, flag=flag, reason="  It was the right young person after all. "
        )

        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE
        assert flag.reinstated_by == team_manager
        assert flag.reinstated_at is not None
        assert flag.reinstate_reason == "It was the right young person after all."
        assert (
            flag.archived_at,
            flag.archived_by,
            flag.archive_reason,
            flag.archive_rationale,
        ) == (
            None,
            None,
            "",
            "",
        )
        history = list(flag.history.order_by("history_id"))
        assert [(h.status, h.history_user) for h in history] == [
            (FlagStatus.ACTIVE, practitioner),
            (FlagStatus.ARCHIVED, practitioner),
            (FlagStatus.ACTIVE, team_manager),
        ]
        assert (history[1].archive_reason, history[1].archive_rationale) == (
            ArchiveReason.ERROR,
            "Wrong young person.",
        )
        assert history[2].history_change_reason == "Reinstated"
        [event] = flag_events(EventKind.FLAG_REINSTATED)
        assert (event.actor, event.young_person) == (team_manager, young_person)
        assert event.detail == {
            "harm_type": cse.pk,
            "reason": "It was the right young person after all.",
        }

    @pytest.mark.parametrize("reason", ["", "  "])
    def test_a_reason_is_needed(self, practitioner, cse, raise_flag, archive_flag, reason):
        flag = archive_flag(raise_flag(cse))
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            services.harm_flag_reinstate(actor=practitioner, flag=flag, reason=reason)

        assert refused.value.message == "Explain why the flag is being reinstated"
        assert refused.value.field == "reason"
        assert counts() == before
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ARCHIVED

    def test_reinstating_a_flag_of_a_retired_type_is_refused(
        self, practitioner, administrator, cse, raise_flag, archive_flag
    ):
        flag = archive_flag(raise_flag(cse))
        harm_services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )
        flag.refresh_from_db()
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            services.harm_flag_reinstate(actor=practitioner, flag=flag, reason="Back again")

        assert refused.value.message == (
            "Child sexual exploitation has been retired, so this flag cannot be reinstated. "
            "Raise a flag of a type still in use instead."
        )
        assert counts() == before
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ARCHIVED

    def test_reinstating_a_current_flag_is_refused(self, practitioner, cse, raise_flag):
        flag = raise_flag(cse)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            services.harm_flag_reinstate(actor=practitioner, flag=flag, reason="Still a concern")

        assert refused.value.message == "This flag is already current"
        assert counts() == before

    def test_reinstating_beside_a_current_flag_of_the_same_type_is_refused(
        self, practitioner, cse, raise_flag, archive_flag
    ):
        archived = archive_flag(raise_flag(cse))
        current = raise_flag(cse)
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            services.harm_flag_reinstate(actor=practitioner, flag=archived, reason="Back again")

        assert refused.value.message == (
            "Child sexual exploitation is already flagged as current for this young person"
        )
        assert counts() == before
        archived.refresh_from_db()
        current.refresh_from_db()
        assert (archived.status, current.status) == (FlagStatus.ARCHIVED, FlagStatus.ACTIVE)
        assert archived.archive_reason == ArchiveReason.NO_LONGER
        assert archived.reinstated_by is None

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_users_who_cannot_change_the_record_are_refused(
        self, request, cse, raise_flag, archive_flag, role_holder
    ):
        flag = archive_flag(raise_flag(cse))
        before = counts()

        with pytest.raises(ApplicationError) as refused:
            services.harm_flag_reinstate(
                actor=request.getfixturevalue(role_holder), flag=flag, reason="Back again"
            )

        assert refused.value.message == CANNOT_CHANGE
        assert counts() == before
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ARCHIVED
