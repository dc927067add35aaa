"""The assessment services: every rule and its message, the version check, the CIN census
factors suggested by the young person's harm flags, and that a refused or failed request leaves
nothing half-saved. The builders shared with the page, API and census tests are in
tests/cases/assessment_support.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import Assessment, AssessmentFactor
from cases.services import assessments as services
from csafe.audit.models import Event
from csafe.core.dates import check_not_future, long_date, short_date
from csafe.core.errors import ApplicationError
from harms.models import ArchiveReason
from tests.cases.assessment_support import (
    AUTHORISE_REFUSED,
    CCE,
    CONCLUSION,
    CONFLICT,
    GANGS,
    LOCKED,
    RETURN_REFUSED,
    SERIOUS_YOUTH_VIOLENCE,
    add_factor,
    complete,
    days_ago,
    raise_flag,
    snapshot,
    start,
    today,
)
from tests.dates import built

pytestmark = pytest.mark.django_db

GOING_MISSING = "Going missing"  # 10A
CANNOT_CHANGE = "You cannot change this young person's record"


def events(kind: str) -> list[Event]:
    return list(Event.objects.filter(kind=kind).order_by("pk"))


def refused(act, message: str, *, field: str | None = None, code: str = "invalid"):
    """Run ``act``; it must raise ApplicationError with exactly this message, field and code,
    and write nothing."""
    before = snapshot()
    with pytest.raises(ApplicationError) as caught:
        act()
    assert caught.value.message == message
    assert caught.value.field == field
    assert caught.value.code == code
    assert snapshot() == before
    return caught.value


# --- Starting ---------------------------------------------------------------------------------


class TestStart:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_those_who_may_change_the_record_start_an_assessment(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        assessment = start(
            actor, young_person, started_on=days_ago(3), peers="  Older peers at the rec  "
        )

        assessment.refresh_from_db()
        assert assessment.started_on == days_ago(3)
        assert assessment.peers == "Older peers at the rec"
        assert assessment.recorded_by == actor
        assert assessment.version == 1
        assert assessment.status == "in_progress"
        assert assessment.get_status_display() == "In progress"
        assert assessment.history.get().history_user == actor
        [event] = events("assessment.started")
        assert (event.actor, event.young_person, event.target_id) == (
            actor,
            young_person,
            str(assessment.pk),
        )

    def test_from_a_referral_of_the_young_person(self, practitioner, young_person):
        referral = case_services.referral_record(
            actor=practitioner,
            young_person=young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen with older young people",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral

        assessment = start(practitioner, young_person, started_on=days_ago(9), referral=referral)

        assert assessment.referral == referral

    @pytest.mark.parametrize(
        "who", ["teammate", "other_team_practitioner", "service_manager", "administrator"]
    )
    def test_anyone_else_is_refused(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        refused(lambda: start(actor, young_person), CANNOT_CHANGE)

    def test_not_in_the_future(self, practitioner, young_person):
        refused(
            lambda: start(practitioner, young_person, started_on=today() + timedelta(days=1)),
            "The date started must be today or in the past",
            field="started_on",
        )

    def test_not_from_another_young_persons_referral(
        self, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        theirs = case_services.referral_record(
            actor=other_team_practitioner,
            young_person=other_young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen with older young people",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral

        refused(
            lambda: start(practitioner, young_person, referral=theirs),
            "Choose one of this young person's referrals",
            field="referral",
        )

    def test_not_before_the_referral_was_received(self, practitioner, young_person):
        referral = case_services.referral_record(
            actor=practitioner,
            young_person=young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen with older young people",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral

        refused(
            lambda: start(practitioner, young_person, started_on=days_ago(11), referral=referral),
            "The date started must be the same as or after the date the referral was received "
            f"({long_date(days_ago(10))})",
            field="started_on",
        )


# --- Editing ----------------------------------------------------------------------------------


class TestUpdate:
    def test_changes_the_text_and_date_and_raises_the_version(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        services.assessment_update(
            actor=practitioner,
            assessment=assessment,
            expected_version=1,
            started_on=days_ago(15),
            school=" Excluded twice this term ",
            online="",
        )

        assessment.refresh_from_db()
        assert assessment.started_on == days_ago(15)
        assert assessment.school == "Excluded twice this term"
        assert assessment.version == 2
        [event] = events("assessment.updated")
        assert event.detail == {"fields": ["started_on", "school"]}

    def test_saving_nothing_new_changes_nothing(self, practitioner, young_person):
        assessment = start(practitioner, young_person, peers="Older peers")
        before = snapshot()

        services.assessment_update(
            actor=practitioner, assessment=assessment, expected_version=1, peers="Older peers"
        )

        assert snapshot() == before

    def test_a_stale_version_is_refused_and_nothing_is_saved(
        self, practitioner, team_manager, young_person
    ):
        assessment = start(practitioner, young_person)
        services.assessment_update(
            actor=team_manager, assessment=assessment, expected_version=1, peers="Manager's note"
        )

        refused(
            lambda: services.assessment_update(
                actor=practitioner,
                assessment=assessment,
                expected_version=1,
                peers="Practitioner's note",
            ),
            CONFLICT,
            code="conflict",
        )
        assessment.refresh_from_db()
        assert assessment.peers == "Manager's note"

    def test_a_completed_assessment_cannot_be_changed(self, practitioner, young_person):
        assessment = complete(practitioner, start(practitioner, young_person))

        # Even with a stale version: being completed is the more useful thing to be told.
        for version in (assessment.version, 1):
            refused(
                lambda version=version: services.assessment_update(
                    actor=practitioner,
                    assessment=assessment,
                    expected_version=version,
                    peers="Too late",
                ),
                LOCKED,
                code="locked",
            )

    def test_not_by_someone_who_cannot_change_the_record(
        self, practitioner, teammate, young_person
    ):
        assessment = start(practitioner, young_person)

        refused(
            lambda: services.assessment_update(
                actor=teammate, assessment=assessment, expected_version=1, peers="Not mine"
            ),
            CANNOT_CHANGE,
        )

    def test_a_new_start_date_is_checked(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        refused(
            lambda: services.assessment_update(
                actor=practitioner,
                assessment=assessment,
                expected_version=1,
                started_on=today() + timedelta(days=2),
            ),
            "The date started must be today or in the past",
            field="started_on",
        )


# --- Contextual factors -----------------------------------------------------------------------


class TestContextualFactors:
    def test_add_records_a_row_and_raises_the_version(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        factor = add_factor(practitioner, assessment, "location", "  The underpass by the station ")

        factor.refresh_from_db()
        assert (factor.domain, factor.description) == ("location", "The underpass by the station")
        assert factor.young_person == young_person
        assert factor.recorded_by == practitioner
        assessment.refresh_from_db()
        assert assessment.version == 2
        [event] = events("contextual_factor.added")
        assert event.detail == {"domain": "location", "assessment": assessment.pk}

    def test_an_unknown_context_is_refused(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        refused(
            lambda: add_factor(practitioner, assessment, domain="household"),
            "Choose the context the factor sits in",
            field="domain",
        )

    def test_a_blank_description_is_refused(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        refused(
            lambda: add_factor(practitioner, assessment, description="   "),
            "Describe the contextual factor",
            field="description",
        )

    def test_not_on_a_completed_assessment(self, practitioner, young_person):
        assessment = complete(practitioner, start(practitioner, young_person))

        refused(lambda: add_factor(practitioner, assessment), LOCKED, code="locked")

    def test_not_by_someone_who_cannot_change_the_record(
        self, practitioner, teammate, young_person
    ):
        assessment = start(practitioner, young_person)

        refused(lambda: add_factor(teammate, assessment), CANNOT_CHANGE)

    def test_withdraw_keeps_the_row(self, practitioner, team_manager, young_person):
        assessment = start(practitioner, young_person)
        factor = add_factor(practitioner, assessment)

        services.contextual_factor_withdraw(actor=team_manager, factor=factor)

        factor.refresh_from_db()
        assert factor.withdrawn_at is not None
        assert factor.withdrawn_by == team_manager
        assessment.refresh_from_db()
        assert assessment.version == 3
        assert len(events("contextual_factor.withdrawn")) == 1

    def test_withdraw_twice_is_refused(self, practitioner, young_person):
        factor = add_factor(practitioner, start(practitioner, young_person))
        services.contextual_factor_withdraw(actor=practitioner, factor=factor)

        refused(
            lambda: services.contextual_factor_withdraw(actor=practitioner, factor=factor),
            "This contextual factor has already been withdrawn",
        )

    def test_withdraw_not_on_a_completed_assessment(self, practitioner, young_person):
        assessment = start(practitioner, young_person)
        factor = add_factor(practitioner, assessment)
        complete(practitioner, assessment)

        refused(
            lambda: services.contextual_factor_withdraw(actor=practitioner, factor=factor),
            LOCKED,
            code="locked",
        )

    def test_withdraw_not_by_someone_who_cannot_change_the_record(
        self, practitioner, teammate, young_person
    ):
        factor = add_factor(practitioner, start(practitioner, young_person))

        refused(
            lambda: services.contextual_factor_withdraw(actor=teammate, factor=factor),
            CANNOT_CHANGE,
        )


# --- CIN census factors from the flags --------------------------------------------------------


class TestCinFactorSuggestions:
    def test_each_current_flag_with_a_census_code_suggests_it_in_census_order(
        self, practitioner, young_person
    ):
        raise_flag(practitioner, young_person, CCE)
        raise_flag(practitioner, young_person, GANGS)
        raise_flag(practitioner, young_person, SERIOUS_YOUTH_VIOLENCE)

        assert services.cin_factor_suggestions(young_person=young_person) == ["13A", "24A"]

    def test_an_archived_flag_suggests_nothing(self, practitioner, young_person):
        raise_flag(practitioner, young_person, CCE)
        missing = raise_flag(practitioner, young_person, GOING_MISSING)
        case_services.harm_flag_archive(
            actor=practitioner, flag=missing, reason=ArchiveReason.NO_LONGER, rationale="Home"
        )

        assert services.cin_factor_suggestions(young_person=young_person) == ["24A"]

    def test_no_flags_suggest_nothing(self, young_person):
        assert services.cin_factor_suggestions(young_person=young_person) == []

    def test_another_young_persons_flags_suggest_nothing(
        self, young_person, other_young_person, other_team_practitioner
    ):
        raise_flag(other_team_practitioner, other_young_person, CCE)

        assert services.cin_factor_suggestions(young_person=young_person) == []


# --- Completing -------------------------------------------------------------------------------


class TestComplete:
    def test_records_the_outcome_and_waits_for_authorisation(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        complete(
            practitioner,
            assessment,
            completed_on=days_ago(2),
            conclusion=f"  {CONCLUSION}  ",
            cin_factor_codes=["24A", "13A", "24A"],
            expected_version=1,
        )

        assessment.refresh_from_db()
        assert assessment.completed_on == days_ago(2)
        assert assessment.conclusion == CONCLUSION
        assert (assessment.outcome_nature, assessment.decision) == ("extra_familial", "cin")
        assert assessment.status == "completed"
        assert assessment.get_status_display() == "Awaiting authorisation"
        assert assessment.version == 2
        assert list(assessment.cin_factors.values_list("code", "withdrawn_at")) == [
            ("24A", None),
            ("13A", None),
        ]
        [event] = events("assessment.completed")
        assert event.detail == {
            "outcome_nature": "extra_familial",
            "decision": "cin",
            "cin_factors": ["24A", "13A"],
        }

    def test_on_the_day_it_started(self, practitioner, young_person):
        assessment = start(practitioner, young_person, started_on=days_ago(4))

        complete(practitioner, assessment, completed_on=days_ago(4))

        assessment.refresh_from_db()
        assert assessment.completed_on == days_ago(4)

    @pytest.mark.parametrize(
        ("overrides", "message", "field"),
        [
            (
                {"completed_on": lambda: days_ago(21)},
                "The date completed must be the same as or after the date started ({started})",
                "completed_on",
            ),
            (
                {"completed_on": lambda: today() + timedelta(days=1)},
                "The date completed must be today or in the past",
                "completed_on",
            ),
            ({"conclusion": "  "}, "Enter the conclusion of the assessment", "conclusion"),
            (
                {"outcome_nature": ""},
                "Choose the nature of the harm found",
                "outcome_nature",
            ),
            (
                {"outcome_nature": "sideways"},
                "Choose the nature of the harm found",
                "outcome_nature",
            ),
            ({"decision": "shrug"}, "Choose the decision", "decision"),
            (
                {"cin_factor_codes": ["24A", "99Z"]},
                "Not a CIN census factor code: 99Z",
                "cin_factors",
            ),
            (
                {"cin_factor_codes": []},
                'Choose the factors identified, or "No factors identified"',
                "cin_factors",
            ),
            (
                {"cin_factor_codes": ["21", "24A"]},
                '"No factors identified" cannot be chosen with other factors',
                "cin_factors",
            ),
        ],
    )
    def test_each_rule_is_refused_with_its_message_and_nothing_saved(
        self, practitioner, young_person, overrides, message, field
    ):
        assessment = start(practitioner, young_person, started_on=days_ago(20))

        refused(
            lambda: complete(practitioner, assessment, **built(overrides)),
            message.format(started=long_date(days_ago(20))),
            field=field,
        )

    def test_no_factors_identified_stands_alone(self, practitioner, young_person):
        assessment = complete(
            practitioner, start(practitioner, young_person), cin_factor_codes=["21"]
        )

        assert list(assessment.cin_factors.values_list("code", flat=True)) == ["21"]

    def test_a_stale_version_is_refused(self, practitioner, young_person):
        assessment = start(practitioner, young_person)
        add_factor(practitioner, assessment)  # version 2 now

        refused(
            lambda: complete(practitioner, assessment, expected_version=1),
            CONFLICT,
            code="conflict",
        )

    def test_twice_is_refused(self, practitioner, young_person):
        assessment = complete(practitioner, start(practitioner, young_person))

        refused(lambda: complete(practitioner, assessment), LOCKED, code="locked")

    def test_not_by_someone_who_cannot_change_the_record(
        self, practitioner, teammate, young_person
    ):
        assessment = start(practitioner, young_person)

        refused(lambda: complete(teammate, assessment), CANNOT_CHANGE)

    def test_a_failure_after_the_first_write_leaves_nothing_half_saved(
        self, practitioner, young_person, monkeypatch
    ):
        assessment = start(practitioner, young_person)
        before = snapshot()

        def fail(**kwargs):
            raise RuntimeError("audit store unavailable")

        # The event is written last, after the assessment and its CIN factor rows.
        monkeypatch.setattr(services, "event_record", fail)
        with pytest.raises(RuntimeError):
            complete(practitioner, assessment)

        assert snapshot() == before
        assessment.refresh_from_db()
        assert assessment.completed_on is None


# --- Authorising and returning ----------------------------------------------------------------


class TestAuthorise:
    def test_a_team_manager_of_the_holding_team_authorises(
        self, practitioner, team_manager, young_person
    ):
        assessment = complete(practitioner, start(practitioner, young_person))

        services.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=days_ago(1),
            reason="The evidence supports the conclusion and the decision",
        )

        assessment.refresh_from_db()
        assert assessment.authorised_on == days_ago(1)
        assert assessment.authorised_by == team_manager
        assert assessment.status == "authorised"
        assert assessment.get_status_display() == "Authorised"
        [event] = events("assessment.authorised")
        assert event.actor == team_manager
        assert event.detail == {"outcome_nature": "extra_familial"}

    def test_on_the_day_it_was_completed(self, practitioner, team_manager, young_person):
        assessment = complete(
            practitioner, start(practitioner, young_person), completed_on=days_ago(5)
        )

        services.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=days_ago(5),
            reason="The evidence supports the conclusion and the decision",
        )

        assessment.refresh_from_db()
        assert assessment.authorised_on == days_ago(5)

    @pytest.mark.parametrize(
        "who", ["practitioner", "teammate", "other_team_manager", "service_manager"]
    )
    def test_no_one_else_may_authorise(self, request, practitioner, young_person, who):
        actor = request.getfixturevalue(who)
        assessment = complete(practitioner, start(practitioner, young_person))

        refused(
            lambda: services.assessment_authorise(
                actor=actor,
                assessment=assessment,
                authorised_on=days_ago(1),
                reason="The evidence supports the conclusion and the decision",
            ),
            AUTHORISE_REFUSED,
            code="forbidden",
        )

    def test_not_before_it_was_completed(self, practitioner, team_manager, young_person):
        assessment = complete(
            practitioner, start(practitioner, young_person), completed_on=days_ago(5)
        )

        refused(
            lambda: services.assessment_authorise(
                actor=team_manager,
                assessment=assessment,
                authorised_on=days_ago(6),
                reason="The evidence supports the conclusion and the decision",
            ),
            "The date authorised must be the same as or after the date completed "
            f"({long_date(days_ago(5))})",
            field="authorised_on",
        )

    def test_not_in_the_future(self, practitioner, team_manager, young_person):
        assessment = complete(practitioner, start(practitioner, young_person))

        refused(
            lambda: services.assessment_authorise(
                actor=team_manager,
                assessment=assessment,
                authorised_on=today() + timedelta(days=1),
                reason="The evidence supports the conclusion and the decision",
            ),
            "The date authorised must be today or in the past",
            field="authorised_on",
        )

    def test_not_while_in_progress(self, practitioner, team_manager, young_person):
        assessment = start(practitioner, young_person)

        refused(
            lambda: services.assessment_authorise(
                actor=team_manager,
                assessment=assessment,
                authorised_on=today(),
                reason="The evidence supports the conclusion and the decision",
            ),
            "The assessment must be completed before it can be authorised",
        )

    def test_not_twice(self, practitioner, team_manager, young_person):
        assessment = complete(practitioner, start(practitioner, young_person))
        services.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=today(),
            reason="The evidence supports the conclusion and the decision",
        )

        refused(
            lambda: services.assessment_authorise(
                actor=team_manager,
                assessment=assessment,
                authorised_on=today(),
                reason="The evidence supports the conclusion and the decision",
            ),
            "This assessment has already been authorised",
        )

    def test_an_authorised_assessment_is_read_only(self, practitioner, team_manager, young_person):
        assessment = start(practitioner, young_person)
        factor = add_factor(practitioner, assessment)
        complete(practitioner, assessment)
        services.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=today(),
            reason="The evidence supports the conclusion and the decision",
        )

        for act in (
            lambda: services.assessment_update(
                actor=team_manager, assessment=assessment, peers="Later thoughts"
            ),
            lambda: add_factor(team_manager, assessment),
            lambda: services.contextual_factor_withdraw(actor=team_manager, factor=factor),
            lambda: complete(team_manager, assessment),
        ):
            refused(act, LOCKED, code="locked")
        refused(
            lambda: services.assessment_return(
                actor=team_manager, assessment=assessment, reason="Rethink"
            ),
            "Only an assessment awaiting authorisation can be returned",
        )


class TestReturn:
    def test_a_team_manager_returns_it_for_more_work(
        self, practitioner, team_manager, young_person
    ):
        assessment = complete(practitioner, start(practitioner, young_person))

        services.assessment_return(
            actor=team_manager, assessment=assessment, reason="  Speak to the school  "
        )

        assessment.refresh_from_db()
        assert assessment.status == "in_progress"
        assert assessment.completed_on is None
        assert assessment.conclusion == CONCLUSION  # kept for the practitioner to revise
        # The reason is kept on the assessment; the audit event holds no free text.
        assert (assessment.returned_on, assessment.return_reason) == (
            today(),
            "Speak to the school",
        )
        [event] = events("assessment.returned")
        assert (event.actor, event.target_id, event.detail) == (
            team_manager,
            str(assessment.pk),
            {},
        )
        # Editable again.
        services.assessment_update(
            actor=practitioner, assessment=assessment, school="Spoke to the head of year"
        )

    def test_a_second_return_replaces_the_reason_and_history_keeps_the_first(
        self, practitioner, team_manager, young_person
    ):
        assessment = complete(practitioner, start(practitioner, young_person))
        services.assessment_return(
            actor=team_manager, assessment=assessment, reason="Speak to the school"
        )
        complete(practitioner, assessment)

        services.assessment_return(
            actor=team_manager, assessment=assessment, reason="Add the online factors"
        )

        assessment.refresh_from_db()
        assert assessment.return_reason == "Add the online factors"
        reasons = set(assessment.history.values_list("return_reason", flat=True))
        assert {"Speak to the school", "Add the online factors"} <= reasons
        assert [event.detail for event in events("assessment.returned")] == [{}, {}]

    def test_completing_again_keeps_codes_still_chosen_and_withdraws_the_rest(
        self, practitioner, team_manager, young_person
    ):
        assessment = complete(
            practitioner, start(practitioner, young_person), cin_factor_codes=["24A", "13A"]
        )
        kept = assessment.cin_factors.get(code="24A")
        services.assessment_return(actor=team_manager, assessment=assessment, reason="Recheck")

        complete(practitioner, assessment, cin_factor_codes=["24A", "10A"])

        rows = {
            (row.code, row.withdrawn_at is None, row.pk == kept.pk)
            for row in AssessmentFactor.objects.filter(assessment=assessment)
        }
        assert rows == {("24A", True, True), ("13A", False, False), ("10A", True, False)}

    @pytest.mark.parametrize("who", ["practitioner", "teammate", "other_team_manager"])
    def test_no_one_else_may_return_it(self, request, practitioner, young_person, who):
        actor = request.getfixturevalue(who)
        assessment = complete(practitioner, start(practitioner, young_person))

        refused(
            lambda: services.assessment_return(
                actor=actor, assessment=assessment, reason="Recheck"
            ),
            RETURN_REFUSED,
            code="forbidden",
        )

    def test_a_reason_is_needed(self, practitioner, team_manager, young_person):
        assessment = complete(practitioner, start(practitioner, young_person))

        refused(
            lambda: services.assessment_return(
                actor=team_manager, assessment=assessment, reason="  "
            ),
            "Say what more is needed",
            field="reason",
        )

    def test_not_while_in_progress(self, practitioner, team_manager, young_person):
        assessment = start(practitioner, young_person)

        refused(
            lambda: services.assessment_return(
                actor=team_manager, assessment=assessment, reason="Recheck"
            ),
            "Only an assessment awaiting authorisation can be returned",
        )


class TestDates:
    """The date helpers every part of the record shares (csafe/core/dates.py)."""

    def test_dates_are_written_without_a_leading_zero_on_any_platform(self):
        assert long_date(date(2026, 3, 3)) == "3 March 2026"
        assert short_date(date(2026, 3, 3)) == "3 Mar 2026"
        assert long_date(date(2025, 12, 25)) == "25 December 2025"

    def test_only_a_future_date_is_refused(self):
        check_not_future(today(), "started_on", "The date started")
        check_not_future(days_ago(400), "started_on", "The date started")

        with pytest.raises(ApplicationError) as caught:
            check_not_future(today() + timedelta(days=1), "moved_on", "The date of the move")

        assert (caught.value.message, caught.value.field) == (
            "The date of the move must be today or in the past",
            "moved_on",
        )


def test_the_migration_keeps_the_last_return_reason_of_earlier_returns(
    practitioner, team_manager, young_person
):
    """Assessments returned before the reason had its own field: migration 0007 takes the date
    and reason of the latest "returned" event, which then held the reason."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("cases.migrations.0007_assessment_return_reason")
    assessment = complete(practitioner, start(practitioner, young_person))
    services.assessment_return(actor=team_manager, assessment=assessment, reason="First")
    complete(practitioner, assessment)
    services.assessment_return(actor=team_manager, assessment=assessment, reason="Second")
    untouched = start(practitioner, young_person)
    # As the rows stood before the migration: the reasons in the events, none on the row.
    first, second = events("assessment.returned")
    Event.objects.filter(pk=first.pk).update(detail={"reason": "Speak to the school"})
    Event.objects.filter(pk=second.pk).update(detail={"reason": "Add the online factors"})
    Assessment.objects.update(returned_on=None, return_reason="")

    migration.copy_last_return(apps, None)

    assessment.refresh_from_db()
    untouched.refresh_from_db()
    assert (assessment.returned_on, assessment.return_reason) == (
        timezone.localdate(second.occurred_at),
        "Add the online factors",
    )
    assert (untouched.returned_on, untouched.return_reason) == (None, "")
