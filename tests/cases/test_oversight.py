"""Management oversight on a young person's record: who may record it, the rules of a note, its
audit trail, and where it shows (the chronology, the subject access export)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import permissions
from cases.models import OversightNote
from cases.selectors.chronology import chronology_for_young_person
from cases.selectors.oversight import oversight_notes_for_young_person
from cases.services import oversight as services
from csafe.audit.models import Event, EventKind
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError, ForbiddenError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DECISION = "Keep the case open; chase the police actions before the review"
REASONS = "The young person has not been missing since the plan began"


def today() -> date:
    return timezone.localdate()


def record(actor, young_person, **overrides) -> OversightNote:
    arguments = {
        "recorded_on": today() - timedelta(days=1),
        "decision": DECISION,
        "reasons": REASONS,
        "next_review_on": today() + timedelta(days=60),
    } | overrides
    return services.oversight_note_record(actor=actor, young_person=young_person, **arguments)


def nothing_saved() -> bool:
    return (
        not OversightNote.objects.exists()
        and not Event.objects.filter(kind=EventKind.OVERSIGHT_NOTE_RECORDED).exists()
    )


class TestWhoMayRecord:
    @pytest.mark.parametrize(
        ("who", "may"),
        [
            ("team_manager", True),
            ("practitioner", False),
            ("teammate", False),
            ("other_team_manager", False),
            ("service_manager", False),  # holds no access to any record by default
            ("administrator", False),
        ],
    )
    def test_only_a_manager_of_the_holding_team(self, request, young_person, who, may):
        user = request.getfixturevalue(who)
        assert permissions.can_record_oversight(user, young_person) is may

    def test_a_switched_off_manager_may_not(self, team_manager, young_person):
        team_manager.is_active = False
        team_manager.save()
        assert not permissions.can_record_oversight(team_manager, young_person)


class TestRecord:
    def test_the_team_manager_records_it_with_history_and_an_event(
        self, team_manager, young_person
    ):
        note = record(team_manager, young_person)

        note.refresh_from_db()
        assert (note.decision, note.reasons, note.recorded_by) == (DECISION, REASONS, team_manager)
        assert note.history.get().history_user == team_manager
        event = Event.objects.get(kind=EventKind.OVERSIGHT_NOTE_RECORDED)
        assert (event.actor, event.young_person, event.target_id) == (
            team_manager,
            young_person,
            str(note.pk),
        )
        # The event holds no free text.
        assert DECISION not in str(event.detail) and REASONS not in str(event.detail)

    def test_the_next_oversight_is_optional(self, team_manager, young_person):
        assert record(team_manager, young_person, next_review_on=None).next_review_on is None

    @pytest.mark.parametrize("who", ["practitioner", "other_team_manager", "service_manager"])
    def test_anyone_else_is_refused_and_nothing_is_saved(self, request, young_person, who):
        with pytest.raises(ForbiddenError) as refused:
            record(request.getfixturevalue(who), young_person)

        assert refused.value.message == (
            "Only a team manager of the team holding this case can record management oversight"
        )
        assert nothing_saved()

    @pytest.mark.parametrize(
        ("overrides", "message", "field"),
        [
            (
                {"recorded_on": ("days from today", 1)},
                "The date of the oversight must be today or in the past",
                "recorded_on",
            ),
            ({"decision": "  "}, "Enter what you decided", "decision"),
            ({"reasons": ""}, "Enter your reasons for the decision", "reasons"),
            (
                # The same day as the oversight (yesterday, as record() sets it).
                {"next_review_on": ("days from today", -1)},
                "The date the next oversight is due must be after the date of this oversight "
                "({yesterday})",
                "next_review_on",
            ),
        ],
    )
    def test_each_rule(self, team_manager, young_person, overrides, message, field):
        # Dates are built here from offsets, never at collection time.
        built = {
            key: today() + timedelta(days=value[1]) if isinstance(value, tuple) else value
            for key, value in overrides.items()
        }
        with pytest.raises(ApplicationError) as refused:
            record(team_manager, young_person, **built)

        yesterday = long_date(today() - timedelta(days=1))
        assert refused.value.message == message.format(yesterday=yesterday)
        assert refused.value.field == field
        assert nothing_saved()

    def test_every_problem_is_listed_for_the_form(self):
        problems = services.oversight_note_problems(
            recorded_on=today() + timedelta(days=1),
            decision="",
            reasons="",
            next_review_on=today(),
        )
        assert [(p.field, p.message) for p in problems] == [
            ("recorded_on", "The date of the oversight must be today or in the past"),
            ("decision", "Enter what you decided"),
            ("reasons", "Enter your reasons for the decision"),
            (
                "next_review_on",
                "The date the next oversight is due must be after the date of this oversight "
                f"({long_date(today() + timedelta(days=1))})",
            ),
        ]


class TestWhereItShows:
    def test_newest_first_with_who(self, team_manager, young_person):
        older = record(team_manager, young_person, recorded_on=today() - timedelta(days=30))
        newer = record(team_manager, young_person, recorded_on=today() - timedelta(days=2))

        notes = list(oversight_notes_for_young_person(young_person=young_person))

        assert notes == [newer, older]
        assert notes[0].recorded_by == team_manager

    def test_only_this_young_persons(
        self, team_manager, other_team_manager, young_person, other_young_person
    ):
        record(other_team_manager, other_young_person)
        assert not oversight_notes_for_young_person(young_person=young_person).exists()

    def test_in_the_chronology_by_the_manager(self, team_manager, young_person):
        note = record(team_manager, young_person)

        entries = chronology_for_young_person(young_person=young_person, kinds=["oversight"])

        assert [(e.on, e.title, e.by) for e in entries] == [
            (note.recorded_on, "Management oversight", "Mona Tester")
        ]
        assert entries[0].detail == (
            f"Decision: {DECISION}\nReasons: {REASONS} Next oversight due "
            f"{long_date(note.next_review_on)}."
        )
        assert entries[0].url.endswith(f"/oversight/#oversight-{note.pk}")


class TestServiceManagerWithAccess:
    def test_a_service_manager_holding_access_may_record(self, service_manager, young_person):
        # No service holds this by default; the rule says what a grant would mean.
        permissions.grant_worker(service_manager, young_person)
        assert permissions.can_record_oversight(service_manager, young_person)
        assert record(service_manager, young_person).recorded_by == service_manager

    def test_a_practitioner_with_access_still_may_not(self, young_person, team_a):
        worker = UserFactory(username="worker2", role="practitioner", team=team_a)
        permissions.grant_worker(worker, young_person)
        assert not permissions.can_record_oversight(worker, young_person)
