"""Plan services: every rule, with its exact message, and nothing half-saved when one refuses.

The builders (an authorised assessment with contextual factors, a plan made from it) are in
tests/cases/plan_support.py, shared with the plan page, relocation and API tests.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.models import Plan, PlanAction, PlanFactorGap, PlanReview
from cases.selectors import plans as plan_selectors
from cases.services import assessments as assessment_services
from cases.services import plans as plan_services
from csafe.audit.models import Event
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError
from tests.cases.plan_support import (
    FINALISED_KIND,
    ONLINE,
    SIGN_OFF_REASON,
    answer_all,
    authorised_assessment,
    contextual_action,
    draft_plan,
    in_force_plan,
    put_in_force,
    today,
    written,
)

pytestmark = pytest.mark.django_db


def events(kind: str) -> int:
    return Event.objects.filter(kind=kind).count()


def refused(call, message: str, field: str | None = None) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.message == message
    assert caught.value.field == field
    return caught.value


@pytest.fixture
def assessed(practitioner, team_manager, young_person):
    return authorised_assessment(practitioner, team_manager, young_person)


class TestCreate:
    def test_a_plan_answers_the_latest_authorised_assessment(
        self, practitioner, team_manager, young_person
    ):
        older, _ = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])
        latest, _ = authorised_assessment(practitioner, team_manager, young_person)
        # Newer still, but not authorised: a plan cannot answer it yet.
        assessment_services.assessment_start(
            actor=practitioner, young_person=young_person, started_on=today()
        )
        # Both authorised on the same day: the later one is the latest.
        assert older.authorised_on == latest.authorised_on

        plan = draft_plan(practitioner, young_person)

        plan.refresh_from_db()
        assert (plan.assessment, plan.kind, plan.status, plan.version, plan.created_by) == (
            latest,
            "cin",
            "draft",
            1,
            practitioner,
        )
        assert plan.summary == "Keep Zephyrine safe from the people she meets at the estate"
        event = Event.objects.get(kind="plan.created")
        assert (event.actor, event.young_person, event.target_id) == (
            practitioner,
            young_person,
            str(plan.pk),
        )
        assert event.detail == {"kind": "cin", "assessment": latest.pk}

    def test_without_an_authorised_assessment_the_plan_answers_none(
        self, practitioner, young_person
    ):
        plan = draft_plan(practitioner, young_person)

        assert plan.assessment is None
        assert plan_selectors.plan_factor_status(plan) == []

    def test_a_review_date_before_the_start_date_is_refused(self, practitioner, young_person):
        start = date(2025, 3, 4)

        refused(
            lambda: draft_plan(
                practitioner, young_person, start_date=start, review_date=start - timedelta(1)
            ),
            "The next review date must be the same as or after the start date (4 March 2025)",
            "review_date",
        )
        assert written() == dict.fromkeys(written(), 0)

    def test_a_review_on_the_start_date_is_allowed(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, review_date=today() - timedelta(days=20))
        assert plan.review_date == plan.start_date

    def test_an_unknown_kind_is_refused(self, practitioner, young_person):
        refused(
            lambda: draft_plan(practitioner, young_person, kind="tea"),
            "Choose the kind of plan",
            "kind",
        )
        assert not Plan.objects.exists()

    def test_one_plan_of_each_kind_in_draft_or_in_force(
        self, practitioner, team_manager, young_person, assessed
    ):
        _, factors = assessed
        first = draft_plan(practitioner, young_person)
        message = (
            "This young person already has a child in need plan in draft, awaiting sign-off or in "
            "force. Change "
            "that plan, or end it before starting another."
        )
        refused(lambda: draft_plan(team_manager, young_person), message, "kind")
        answer_all(practitioner, first, factors)
        plan_services.plan_submit(actor=practitioner, plan=first)
        refused(lambda: draft_plan(team_manager, young_person), message, "kind")
        plan_services.plan_sign_off(actor=team_manager, plan=first, reason=SIGN_OFF_REASON)
        refused(lambda: draft_plan(team_manager, young_person), message, "kind")
        # Another kind is fine.
        draft_plan(practitioner, young_person, kind="early_help")
        before = written()
        refused(lambda: draft_plan(team_manager, young_person), message, "kind")
        assert written() == before

        plan_services.plan_end(
            actor=practitioner, plan=first, ended_on=today(), reason="Stepped down to early help"
        )
        again = draft_plan(team_manager, young_person)

        assert again.pk != first.pk
        assert Plan.objects.filter(kind="cin").count() == 2

    def test_a_race_on_the_one_current_plan_constraint_gets_the_same_message(
        self, practitioner, young_person, monkeypatch
    ):
        """Two requests both pass the check before either inserts: the database refuses the
        second, and the service answers as if its own check had caught it, leaving the
        transaction usable."""
        first = draft_plan(practitioner, young_person)
        real_check = plan_services._current_plan_of_kind
        calls = []

        def check_that_misses_the_first_time(young_person, kind):
            calls.append(kind)
            return None if len(calls) == 1 else real_check(young_person, kind)

        monkeypatch.setattr(
            plan_services, "_current_plan_of_kind", check_that_misses_the_first_time
        )
        before = written()

        refused(
            lambda: draft_plan(practitioner, young_person),
            "This young person already has a child in need plan in draft, awaiting sign-off or in "
            "force. Change "
            "that plan, or end it before starting another.",
            "kind",
        )

        assert calls == ["cin", "cin"]
        assert written() == before
        assert list(Plan.objects.values_list("pk", flat=True)) == [first.pk]

    @pytest.mark.parametrize("who", ["teammate", "other_team_practitioner", "administrator"])
    def test_those_who_cannot_change_the_record_are_refused(self, request, young_person, who):
        refused(
            lambda: draft_plan(request.getfixturevalue(who), young_person),
            "You cannot change this young person's record",
        )
        assert not Plan.objects.exists()


class TestUpdate:
    def test_dates_and_summary_change_and_the_version_rises(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)

        plan_services.plan_update(
            actor=practitioner,
            plan=plan,
            expected_version=1,
            review_date=today() + timedelta(days=90),
            summary="  A new summary  ",
        )

        plan.refresh_from_db()
        assert (plan.review_date, plan.summary, plan.version) == (
            today() + timedelta(days=90),
            "A new summary",
            2,
        )
        assert Event.objects.get(kind="plan.updated").detail == {
            "fields": ["review_date", "summary"]
        }

    def test_no_change_saves_nothing(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)

        plan_services.plan_update(
            actor=practitioner, plan=plan, expected_version=1, summary=plan.summary
        )

        plan.refresh_from_db()
        assert plan.version == 1
        assert events("plan.updated") == 0

    def test_a_stale_version_is_refused_and_nothing_saved(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)
        plan_services.plan_update(actor=practitioner, plan=plan, summary="Someone else's words")

        error = refused(
            lambda: plan_services.plan_update(
                actor=practitioner, plan=plan, expected_version=1, summary="Mine"
            ),
            "Someone else changed this plan after you opened it. Your changes have not been "
            "saved: check the plan as it is now and make them again.",
        )

        assert error.code == "conflict"
        plan.refresh_from_db()
        assert (plan.summary, plan.version) == ("Someone else's words", 2)

    def test_a_review_date_before_the_start_is_refused(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, start_date=date(2025, 6, 2))

        refused(
            lambda: plan_services.plan_update(
                actor=practitioner, plan=plan, expected_version=1, review_date=date(2025, 6, 1)
            ),
            "The next review date must be the same as or after the start date (2 June 2025)",
            "review_date",
        )
        plan.refresh_from_db()
        assert (plan.review_date, plan.version) == (today() + timedelta(days=70), 1)


class TestActions:
    def test_an_ordinary_action(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)

        action = plan_services.plan_action_add(
            actor=practitioner,
            plan=plan,
            description=" Weekly visit at home ",
            owner="Pat, social worker",
        )

        assert (
            action.description,
            action.is_contextual,
            action.target_context_kind,
            action.partner_agency,
            action.factor,
            action.progress,
            action.young_person,
        ) == ("Weekly visit at home", False, "", "", None, "not_started", young_person)
        plan.refresh_from_db()
        assert plan.version == 2
        assert Event.objects.get(kind="plan_action.added").detail == {
            "plan": plan.pk,
            "contextual": False,
            "factor": None,
            "gap_withdrawn": None,
        }

    @pytest.mark.parametrize(
        ("overrides", "message", "field"),
        [
            ({"description": "  "}, "Describe the action", "description"),
            ({"owner": ""}, "Enter who is responsible for the action", "owner"),
            (
                {"owner": "x" * 201},
                "Who is responsible must be 200 characters or fewer",
                "owner",
            ),
            (
                {"target_context_kind": ""},
                "Choose the context the action targets",
                "target_context_kind",
            ),
            ({"partner_agency": "mi5"}, "Choose the partner agency", "partner_agency"),
            (
                {"is_contextual": False, "target_context_kind": "", "partner_agency": ""},
                "Only a contextual action can answer a contextual factor",
                "factor",
            ),
            (
                {"is_contextual": False, "factor": None},
                "Only a contextual action has a target context and a partner agency",
                "is_contextual",
            ),
        ],
    )
    def test_bad_actions_are_refused(
        self, practitioner, young_person, assessed, overrides, message, field
    ):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person)
        before = written()

        arguments = {"factor": factors[0]} | overrides
        refused(lambda: contextual_action(practitioner, plan, **arguments), message, field)
        assert written() == before

    def test_an_owner_of_200_characters_is_kept(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)

        action = contextual_action(practitioner, plan, owner=" " + "x" * 200 + " ")

        assert action.owner == "x" * 200

    def test_a_factor_of_another_assessment_is_refused(
        self, practitioner, team_manager, young_person
    ):
        _, mine = authorised_assessment(practitioner, team_manager, young_person)
        plan = draft_plan(practitioner, young_person)
        # A later assessment of the same young person: the plan answers the one before.
        _, later = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])
        before = written()

        refused(
            lambda: contextual_action(practitioner, plan, later[0]),
            "Choose one of the contextual factors of the assessment this plan answers",
            "factor",
        )
        assert written() == before
        assert plan.assessment.contextual_factors.count() == len(mine)

    def test_an_answering_action_withdraws_the_not_addressed_record(
        self, practitioner, young_person, assessed
    ):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person)
        gap = plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=factors[1], reason="Left to the school"
        )
        assert [s.state for s in plan_selectors.plan_factor_status(plan)] == [
            "open",
            "not_addressed",
        ]

        action = contextual_action(
            practitioner, plan, factors[1], target_context_kind="school", partner_agency="education"
        )

        gap.refresh_from_db()
        assert gap.withdrawn_at is not None
        statuses = plan_selectors.plan_factor_status(plan)
        assert [(s.state, s.actions, s.gap) for s in statuses] == [
            ("open", (), None),
            ("answered", (action,), None),
        ]
        assert Event.objects.get(kind="plan_action.added").detail == {
            "plan": plan.pk,
            "contextual": True,
            "factor": factors[1].pk,
            "gap_withdrawn": gap.pk,
        }
        plan.refresh_from_db()
        assert plan.version == 3  # 1 when drafted, then one for the gap and one for the action

    def test_no_actions_on_an_ended_plan(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)
        plan_services.plan_end(actor=practitioner, plan=plan, ended_on=today(), reason="Closed")
        before = written()

        error = refused(
            lambda: contextual_action(practitioner, plan),
            "This plan has ended, so actions can no longer be added",
        )
        assert error.code == "locked"
        assert written() == before


class TestProgress:
    def test_done_needs_the_date_done(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)
        action = contextual_action(practitioner, plan)

        refused(
            lambda: plan_services.plan_action_update_progress(
                actor=practitioner, action=action, progress="done"
            ),
            "Enter the date the action was done",
            "completed_on",
        )
        refused(
            lambda: plan_services.plan_action_update_progress(
                actor=practitioner,
                action=action,
                progress="done",
                completed_on=today() + timedelta(days=1),
            ),
            "The date done must be today or in the past",
            "completed_on",
        )
        refused(
            lambda: plan_services.plan_action_update_progress(
                actor=practitioner, action=action, progress="finished"
            ),
            "Choose the progress of the action",
            "progress",
        )
        action.refresh_from_db()
        assert (action.progress, action.completed_on) == ("not_started", None)
        assert events("plan_action.progress") == 0

        plan_services.plan_action_update_progress(
            actor=practitioner,
            action=action,
            progress="done",
            completed_on=today(),
            note="Sessions ran for six weeks",
        )

        action.refresh_from_db()
        assert (action.progress, action.completed_on, action.progress_note) == (
            "done",
            today(),
            "Sessions ran for six weeks",
        )
        assert Event.objects.get(kind="plan_action.progress").detail == {
            "plan": plan.pk,
            "from": "not_started",
            "progress": "done",
            "gap_withdrawn": None,
        }

    def test_a_date_done_is_dropped_unless_done(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)
        action = contextual_action(practitioner, plan)

        plan_services.plan_action_update_progress(
            actor=practitioner, action=action, progress="in_progress", completed_on=today()
        )

        action.refresh_from_db()
        assert (action.progress, action.completed_on) == ("in_progress", None)

    def test_a_stopped_action_no_longer_answers_and_restarting_withdraws_the_gap(
        self, practitioner, young_person, assessed
    ):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person)
        action = contextual_action(practitioner, plan, factors[0])

        plan_services.plan_action_update_progress(
            actor=practitioner, action=action, progress="stopped", note="Hub closed"
        )

        [peers, _] = plan_selectors.plan_factor_status(plan)
        assert (peers.state, peers.actions, peers.stopped_actions) == ("open", (), (action,))
        gap = plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=factors[0], reason="No provider for now"
        )

        plan_services.plan_action_update_progress(
            actor=practitioner, action=action, progress="in_progress", note="Hub reopened"
        )

        gap.refresh_from_db()
        assert gap.withdrawn_at is not None
        [peers, _] = plan_selectors.plan_factor_status(plan)
        assert (peers.state, peers.gap) == ("answered", None)
        assert (
            Event.objects.filter(kind="plan_action.progress").latest("pk").detail["gap_withdrawn"]
            == gap.pk
        )


class TestNotAddressed:
    def test_a_reason_is_needed(self, practitioner, young_person, assessed):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person)
        before = written()

        refused(
            lambda: plan_services.plan_factor_not_addressed(
                actor=practitioner, plan=plan, factor=factors[0], reason="  "
            ),
            "Explain why the plan does not address this factor",
            "reason",
        )
        assert written() == before

    def test_a_factor_an_action_answers_cannot_be_marked(
        self, practitioner, young_person, assessed
    ):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person)
        contextual_action(practitioner, plan, factors[0])
        before = written()

        refused(
            lambda: plan_services.plan_factor_not_addressed(
                actor=practitioner, plan=plan, factor=factors[0], reason="Changed my mind"
            ),
            "An action on this plan answers this factor, so it cannot be marked as not addressed",
            "reason",
        )
        assert written() == before

    def test_a_factor_of_another_assessment_is_refused(
        self, practitioner, team_manager, young_person, assessed
    ):
        plan = draft_plan(practitioner, young_person)
        _, later = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])

        refused(
            lambda: plan_services.plan_factor_not_addressed(
                actor=practitioner, plan=plan, factor=later[0], reason="Not ours"
            ),
            "Choose one of the contextual factors of the assessment this plan answers",
            "factor",
        )
        assert not PlanFactorGap.objects.exists()

    def test_marking_again_replaces_the_reason(self, practitioner, young_person, assessed):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person)
        first = plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=factors[1], reason="School is on it"
        )

        second = plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=factors[1], reason="School and police are on it"
        )

        first.refresh_from_db()
        assert first.withdrawn_at is not None
        [_, school] = plan_selectors.plan_factor_status(plan)
        assert school.gap == second
        assert school.gap.reason == "School and police are on it"
        assert Event.objects.filter(kind="plan.factor_not_addressed").latest("pk").detail == {
            "plan": plan.pk,
            "factor": factors[1].pk,
            "replaces": first.pk,
        }


class TestFinalise:
    """Finalising, for a kind of plan that needs no sign-off (tests/cases/test_plan_sign_off.py
    has the kinds that do)."""

    def test_refused_while_factors_are_open_naming_them(self, practitioner, young_person, assessed):
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        before = written()

        error = refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
            # The peer group in the administrator's word ("Group" by default).
            "The plan cannot be finalised while 2 contextual factors are open (Group: "
            "Spends evenings with older boys from the Larkspur estate; School or education "
            "setting: Excluded from lessons; waits alone at the Ferrisby Road gates). Answer "
            "each one with an action, or mark it as not addressed and say why.",
        )

        assert error.code == "open_factors"
        plan.refresh_from_db()
        assert (plan.status, plan.finalised_on, plan.version) == ("draft", None, 1)
        assert written() == before

    def test_one_open_factor_is_named_in_the_singular(self, practitioner, young_person, assessed):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        contextual_action(practitioner, plan, factors[0])

        refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
            "The plan cannot be finalised while 1 contextual factor is open (School or "
            "education setting: Excluded from lessons; waits alone at the Ferrisby Road gates)."
            " Answer each one with an action, or mark it as not addressed and say why.",
        )

    def test_finalised_once_every_factor_is_answered_or_marked(
        self, practitioner, team_manager, young_person, assessed
    ):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        answer_all(practitioner, plan, factors)

        plan_services.plan_finalise(actor=team_manager, plan=plan)

        plan.refresh_from_db()
        assert (plan.status, plan.finalised_on, plan.finalised_by) == (
            "active",
            today(),
            team_manager,
        )
        assert Event.objects.get(kind="plan.finalised").detail == {
            "finalised_on": today().isoformat()
        }
        refused(
            lambda: plan_services.plan_finalise(actor=team_manager, plan=plan),
            "This plan is already in force",
        )

    def test_a_plan_without_an_assessment_finalises_at_once(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)

        assert plan_services.plan_finalise(actor=practitioner, plan=plan).status == "active"


class TestReview:
    def review(self, actor, plan, **overrides):
        arguments = {
            "reviewed_on": today(),
            "next_review_date": today() + timedelta(days=90),
            "summary": "Attending the youth hub; no missing episodes since the plan began",
        } | overrides
        return plan_services.plan_review(actor=actor, plan=plan, **arguments)

    def test_a_review_is_recorded_and_moves_the_next_review_date(
        self, practitioner, team_manager, young_person, assessed
    ):
        _, factors = assessed
        plan = in_force_plan(practitioner, young_person, factors)

        review = self.review(team_manager, plan)

        plan.refresh_from_db()
        assert plan.review_date == today() + timedelta(days=90)
        assert (review.plan, review.reviewed_by, review.reviewed_on) == (
            plan,
            team_manager,
            today(),
        )
        assert Event.objects.get(kind="plan.reviewed").detail == {
            "review": review.pk,
            "reviewed_on": today().isoformat(),
            "next_review_date": (today() + timedelta(days=90)).isoformat(),
        }

    @pytest.mark.parametrize(
        ("overrides", "message", "field"),
        [
            (
                {"reviewed_on": date(2025, 1, 1)},
                "The date of the review must be the same as or after the plan's start date "
                "(2 February 2025)",
                "reviewed_on",
            ),
            (
                {"reviewed_on": "tomorrow"},
                "The date of the review must be today or in the past",
                "reviewed_on",
            ),
            (
                {"next_review_date": "today"},
                "The next review date must be after the date of the review",
                "next_review_date",
            ),
            ({"summary": " "}, "Summarise what the review found", "summary"),
        ],
    )
    def test_bad_reviews_are_refused(
        self, practitioner, young_person, assessed, overrides, message, field
    ):
        _, factors = assessed
        plan = in_force_plan(practitioner, young_person, factors, start_date=date(2025, 2, 2))
        named = {"tomorrow": today() + timedelta(days=1), "today": today()}
        overrides = {key: named.get(value, value) for key, value in overrides.items()}
        before = written()

        refused(lambda: self.review(practitioner, plan, **overrides), message, field)

        assert written() == before

    def test_a_draft_cannot_be_reviewed(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)

        refused(lambda: self.review(practitioner, plan), "Finalise the plan before reviewing it")
        assert not PlanReview.objects.exists()

    def test_refused_while_a_factor_is_open(self, practitioner, young_person, assessed):
        _, factors = assessed
        plan = in_force_plan(practitioner, young_person, factors)
        # The only action answering the peer group factor stops: the factor is open again.
        action = PlanAction.objects.get(factor=factors[0])
        plan_services.plan_action_update_progress(
            actor=practitioner, action=action, progress="stopped", note="Provider withdrew"
        )
        before = written()

        error = refused(
            lambda: self.review(practitioner, plan),
            "The plan cannot be reviewed while 1 contextual factor is open (Group: Spends "
            "evenings with older boys from the Larkspur estate). Answer each one with an "
            "action, or mark it as not addressed and say why.",
        )

        assert error.code == "open_factors"
        assert written() == before
        plan.refresh_from_db()
        assert plan.review_date == today() + timedelta(days=70)


class TestEnd:
    def test_ending_needs_a_date_and_a_reason(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, start_date=date(2025, 5, 1))
        before = written()

        refused(
            lambda: plan_services.plan_end(
                actor=practitioner, plan=plan, ended_on=date(2025, 4, 30), reason="Moved away"
            ),
            "The end date must be the same as or after the plan's start date (1 May 2025)",
            "ended_on",
        )
        refused(
            lambda: plan_services.plan_end(
                actor=practitioner,
                plan=plan,
                ended_on=today() + timedelta(days=1),
                reason="Moved away",
            ),
            "The end date must be today or in the past",
            "ended_on",
        )
        refused(
            lambda: plan_services.plan_end(
                actor=practitioner, plan=plan, ended_on=today(), reason=""
            ),
            "Explain why the plan is ending",
            "reason",
        )
        assert written() == before

    def test_an_ended_plan_is_read_only(self, practitioner, young_person, assessed):
        _, factors = assessed
        plan = in_force_plan(practitioner, young_person, factors)

        plan_services.plan_end(
            actor=practitioner, plan=plan, ended_on=today(), reason="Moved to another council"
        )

        plan.refresh_from_db()
        assert (plan.status, plan.ended_on, plan.end_reason) == (
            "ended",
            today(),
            "Moved to another council",
        )
        assert Event.objects.get(kind="plan.ended").detail == {
            "from": "active",
            "ended_on": today().isoformat(),
        }
        before = written()
        refused(
            lambda: plan_services.plan_end(
                actor=practitioner, plan=plan, ended_on=today(), reason="Again"
            ),
            "This plan has already ended",
        )
        refused(
            lambda: plan_services.plan_update(actor=practitioner, plan=plan, summary="Late"),
            "This plan has ended, so it can no longer be changed",
        )
        refused(
            lambda: plan_services.plan_factor_not_addressed(
                actor=practitioner, plan=plan, factor=factors[0], reason="Late"
            ),
            "This plan has ended, so it can no longer be changed",
        )
        refused(
            lambda: plan_services.plan_action_update_progress(
                actor=practitioner, action=PlanAction.objects.first(), progress="in_progress"
            ),
            "This plan has ended, so its actions can no longer be updated",
        )
        refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
            "This plan has ended, so it can no longer be finalised",
        )
        refused(
            lambda: plan_services.plan_assessment_update(actor=practitioner, plan=plan),
            "This plan has ended, so it can no longer be changed",
        )
        refused(
            lambda: plan_services.plan_review(
                actor=practitioner,
                plan=plan,
                reviewed_on=today(),
                next_review_date=today() + timedelta(days=1),
                summary="Late",
            ),
            "This plan has ended, so it can no longer be reviewed",
        )
        assert written() == before


class TestOverdue:
    def test_an_open_action_past_its_due_date_is_overdue(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)
        late = contextual_action(practitioner, plan, due_date=today() - timedelta(days=1))
        due_today = contextual_action(practitioner, plan, due_date=today())
        undated = contextual_action(practitioner, plan, due_date=None)
        done = contextual_action(practitioner, plan, due_date=today() - timedelta(days=3))
        plan_services.plan_action_update_progress(
            actor=practitioner, action=done, progress="done", completed_on=today()
        )
        done.refresh_from_db()

        assert [
            plan_selectors.action_is_overdue(action, today())
            for action in (late, due_today, undated, done)
        ] == [True, False, False, False]


def newer_assessment_message(doing: str, authorised_on: date) -> str:
    return (
        f"The plan cannot be {doing} until it answers the latest assessment, authorised on "
        f'{long_date(authorised_on)}. Choose "Answer the latest assessment" on the plan, then '
        "answer each of that assessment's contextual factors."
    )


class TestLatestAssessment:
    """A plan answers the contextual factors of the latest authorised assessment: one authorised
    after the plan was made must be taken on (``plan_assessment_update``) before the plan is
    finalised or reviewed."""

    @pytest.fixture
    def newer(self, practitioner, team_manager, young_person, assessed):
        """The plan drafted from ``assessed`` with every factor answered, then a newer
        assessment authorised (on the same day, so the later one made is the latest)."""
        _, factors = assessed
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        answer_all(practitioner, plan, factors)
        newer, newer_factors = authorised_assessment(
            practitioner, team_manager, young_person, [ONLINE]
        )
        return plan, newer, newer_factors

    def test_finalising_is_refused_until_the_plan_answers_it(self, practitioner, newer):
        plan, assessment, _ = newer
        before = written()

        error = refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
            newer_assessment_message("finalised", assessment.authorised_on),
        )

        assert error.code == "newer_assessment"
        assert written() == before
        plan.refresh_from_db()
        assert (plan.status, plan.version) == ("draft", 3)
        assert plan_selectors.newer_assessment(plan) == assessment

    def test_reviewing_is_refused_until_the_plan_answers_it(
        self, practitioner, team_manager, young_person, assessed
    ):
        _, factors = assessed
        plan = in_force_plan(practitioner, young_person, factors)
        newer, _ = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])
        before = written()

        error = refused(
            lambda: plan_services.plan_review(
                actor=practitioner,
                plan=plan,
                reviewed_on=today(),
                next_review_date=today() + timedelta(days=90),
                summary="Going well",
            ),
            newer_assessment_message("reviewed", newer.authorised_on),
        )

        assert error.code == "newer_assessment"
        assert written() == before

    def test_a_plan_made_without_an_assessment_must_answer_one_authorised_since(
        self, practitioner, team_manager, young_person
    ):
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        assessment, _ = authorised_assessment(practitioner, team_manager, young_person)

        refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
            newer_assessment_message("finalised", assessment.authorised_on),
        )

    def test_an_assessment_not_yet_authorised_does_not_count(
        self, practitioner, young_person, assessed
    ):
        _, factors = assessed
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        answer_all(practitioner, plan, factors)
        in_progress = assessment_services.assessment_start(
            actor=practitioner, young_person=young_person, started_on=today()
        )
        assessment_services.assessment_complete(
            actor=practitioner,
            assessment=in_progress,
            completed_on=today(),
            conclusion="Awaiting a manager",
            outcome_nature="extra_familial",
            decision="cin",
            cin_factor_codes=["24A"],
        )

        assert plan_services.plan_finalise(actor=practitioner, plan=plan).status == "active"

    def test_the_plan_takes_on_the_newer_assessment_and_its_factors(
        self, practitioner, team_manager, assessed, newer
    ):
        earlier, old_factors = assessed
        plan, assessment, new_factors = newer
        old_action = PlanAction.objects.get(plan=plan)

        updated = plan_services.plan_assessment_update(actor=team_manager, plan=plan)

        plan.refresh_from_db()
        assert (updated.assessment, plan.assessment, plan.version) == (assessment, assessment, 4)
        event = Event.objects.filter(kind="plan.updated").get()
        assert (event.actor, event.target_id, event.detail) == (
            team_manager,
            str(plan.pk),
            {"fields": ["assessment"], "assessment": assessment.pk, "previous": earlier.pk},
        )
        assert plan.history.first().history_user == team_manager
        # The newer assessment's factors are open; the earlier ones are no longer asked for,
        # and the action made for one of them stays on the plan.
        assert [(s.factor, s.state) for s in plan_selectors.plan_factor_status(plan)] == [
            (new_factors[0], "open")
        ]
        assert list(plan.actions.all()) == [old_action]
        assert plan_selectors.newer_assessment(plan) is None
        refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
            "The plan cannot be finalised while 1 contextual factor is open (Online space: "
            "Contacted on a gaming platform by an adult he has not met). Answer each one with "
            "an action, or mark it as not addressed and say why.",
        )
        contextual_action(practitioner, plan, new_factors[0], target_context_kind="online")

        assert plan_services.plan_finalise(actor=practitioner, plan=plan).status == "active"

    def test_a_plan_in_force_takes_it_on_and_is_reviewed_once_it_answers(
        self, practitioner, team_manager, young_person, assessed
    ):
        _, factors = assessed
        plan = in_force_plan(practitioner, young_person, factors)
        _, new_factors = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])

        plan_services.plan_assessment_update(actor=practitioner, plan=plan)
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=new_factors[0], reason="Police lead on this"
        )
        review = plan_services.plan_review(
            actor=practitioner,
            plan=plan,
            reviewed_on=today(),
            next_review_date=today() + timedelta(days=90),
            summary="Going well",
        )

        plan.refresh_from_db()
        assert (plan.status, review.plan) == ("active", plan)

    def test_refused_when_the_plan_already_answers_the_latest(
        self, practitioner, young_person, assessed
    ):
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
        before = written()

        refused(
            lambda: plan_services.plan_assessment_update(actor=practitioner, plan=plan),
            "This plan already answers the latest authorised assessment",
        )
        assert written() == before

    def test_refused_when_there_is_no_authorised_assessment(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)

        refused(
            lambda: plan_services.plan_assessment_update(actor=practitioner, plan=plan),
            "This young person has no authorised assessment for the plan to answer",
        )
        plan.refresh_from_db()
        assert (plan.assessment, plan.version) == (None, 1)

    @pytest.mark.parametrize("who", ["teammate", "other_team_practitioner", "administrator"])
    def test_those_who_cannot_change_the_record_are_refused(self, request, newer, who):
        plan, _, _ = newer
        before = written()

        refused(
            lambda: plan_services.plan_assessment_update(
                actor=request.getfixturevalue(who), plan=plan
            ),
            "You cannot change this young person's record",
        )
        assert written() == before


def strings_in(value) -> list[str]:
    """Every string in a JSON value: dictionary keys and values, list items, at any depth."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *strings_in(item)]]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


class TestAuditEventsHoldNoFreeText:
    """Audit events name what changed by ids and codes only: whatever a practitioner writes
    (reasons, notes, descriptions, titles) stays in its own row, under its own permissions and
    history, and never in an event's detail."""

    WORD = "Quetzalcoatlus"  # in every piece of free text below, and nowhere else

    def test_every_write_of_the_pathway(
        self, settings, tmp_path, practitioner, team_manager, young_person
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from cases.services.documents import document_upload
        from cases.services.notes import case_note_add
        from cases.services.relocations import relocation_record

        settings.MEDIA_ROOT = tmp_path
        word = self.WORD
        assessment = assessment_services.assessment_start(
            actor=practitioner,
            young_person=young_person,
            started_on=today() - timedelta(days=30),
            peers=f"{word} peers",
        )
        assessment_services.assessment_update(
            actor=practitioner, assessment=assessment, school=f"{word} school"
        )
        factor = assessment_services.contextual_factor_add(
            actor=practitioner, assessment=assessment, domain="location", description=word
        )
        withdrawn = assessment_services.contextual_factor_add(
            actor=practitioner, assessment=assessment, domain="online", description=word
        )
        assessment_services.contextual_factor_withdraw(actor=practitioner, factor=withdrawn)
        document_upload(
            actor=practitioner,
            young_person=young_person,
            uploaded=SimpleUploadedFile(f"{word}.txt", f"{word} map".encode()),
            title=f"{word} map",
            kind="peer_map",
            assessment=assessment,
            shaped_conclusion=f"{word} shaped it",
        )

        def complete():
            assessment_services.assessment_complete(
                actor=practitioner,
                assessment=assessment,
                completed_on=today() - timedelta(days=20),
                conclusion=f"{word} conclusion",
                outcome_nature="extra_familial",
                decision="cin",
                cin_factor_codes=["24A"],
            )

        complete()
        assessment_services.assessment_return(
            actor=team_manager, assessment=assessment, reason=f"{word} more work"
        )
        complete()
        assessment_services.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=today() - timedelta(days=19),
            reason="The evidence supports the conclusion and the decision",
        )
        plan = draft_plan(practitioner, young_person, summary=f"{word} summary")
        plan_services.plan_update(actor=practitioner, plan=plan, summary=f"{word} changed")
        action = contextual_action(
            practitioner, plan, factor, description=f"{word} action", owner=f"{word} owner"
        )
        plan_services.plan_action_update_progress(
            actor=practitioner, action=action, progress="stopped", note=f"{word} stopped"
        )
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=factor, reason=f"{word} gap"
        )
        put_in_force(practitioner, plan)
        plan_services.plan_review(
            actor=practitioner,
            plan=plan,
            reviewed_on=today(),
            next_review_date=today() + timedelta(days=30),
            summary=f"{word} review",
        )
        relocation_record(
            actor=practitioner,
            young_person=young_person,
            moved_on=today(),
            kind="out_of_area",
            reason=f"{word} move",
            destination=f"{word} council",
            because_of_extra_familial_harm=True,
            plan=plan,
            plan_addresses_factors="partly",
        )
        case_note_add(
            actor=practitioner,
            young_person=young_person,
            noted_on=today(),
            subject=f"{word} subject",
            body=f"{word} body",
        )
        document_upload(
            actor=practitioner,
            young_person=young_person,
            uploaded=SimpleUploadedFile(f"{word}.txt", b"A letter"),
            title=f"{word} letter",
        )
        plan_services.plan_end(
            actor=practitioner, plan=plan, ended_on=today(), reason=f"{word} ended"
        )

        written_kinds = set(Event.objects.values_list("kind", flat=True))
        assert {
            "assessment.started",
            "assessment.updated",
            "assessment.returned",
            "contextual_factor.added",
            "contextual_factor.withdrawn",
            "plan.created",
            "plan.updated",
            "plan_action.added",
            "plan_action.progress",
            "plan.factor_not_addressed",
            "plan.reviewed",
            "plan.ended",
            "relocation.recorded",
            "case_note.added",
            "document.uploaded",
        } <= written_kinds
        leaks = [
            (event.kind, text)
            for event in Event.objects.all()
            for text in strings_in(event.detail)
            if word in text
        ]
        assert leaks == []
