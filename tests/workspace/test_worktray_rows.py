"""Each kind of work appears in the right worktray and leaves it when the work is done, read from
the records (workspace.worktray), with the header's count always equal to the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.services import plans as plan_services
from cases.services.flags import harm_flag_review
from contexts.services.work import context_action_update_progress
from tests.workspace import worktray_support as support
from workspace.worktray import WorkKind, work_count, worktray_for

pytestmark = pytest.mark.django_db


def kinds(user, today=None, worker_id=None):
    tray = worktray_for(user=user, today=today or support.today(), worker_id=worker_id)
    assert work_count(user=user, today=today or support.today()) == (
        tray.total if worker_id is None else work_count(user=user, today=today or support.today())
    )
    return [row.kind for row in tray.rows]


def test_an_assessment_awaiting_authorisation_waits_for_the_manager_until_authorised(
    practitioner, team_manager, young_person, other_team_manager
):
    assessment = support.completed_assessment(practitioner, young_person)
    assert kinds(team_manager) == [WorkKind.ASSESSMENT_TO_AUTHORISE]
    # Not the practitioner's work, nor another team's manager's.
    assert kinds(practitioner) == []
    assert kinds(other_team_manager) == []
    support.authorise(team_manager, assessment)
    assert kinds(team_manager) == []


def test_a_returned_assessment_waits_for_its_worker_until_completed_again(
    practitioner, team_manager, young_person, teammate
):
    assessment = support.completed_assessment(practitioner, young_person)
    support.return_for_more_work(team_manager, assessment)
    assert kinds(practitioner) == [WorkKind.ASSESSMENT_RETURNED]
    assert kinds(team_manager) == [WorkKind.ASSESSMENT_RETURNED]
    assert kinds(teammate) == []
    from cases.services import assessments

    assessments.assessment_complete(
        actor=practitioner,
        assessment=assessment,
        completed_on=support.today(),
        conclusion=support.CONCLUSION,
        outcome_nature="extra_familial",
        decision="cin",
        cin_factor_codes=["24A"],
    )
    assert kinds(practitioner) == []
    assert kinds(team_manager) == [WorkKind.ASSESSMENT_TO_AUTHORISE]


def test_a_young_person_with_no_worker_waits_for_allocation(
    team_manager, practitioner, other_team_manager
):
    person = support.unallocated_young_person(team_manager)
    tray = worktray_for(user=team_manager, today=support.today())
    assert [(r.kind, r.young_person_id) for r in tray.rows] == [
        (WorkKind.REFERRAL_TO_ALLOCATE, person.pk)
    ]
    assert kinds(other_team_manager) == []
    from cases import services as case_services

    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    assert kinds(team_manager) == []


def test_a_flag_past_its_review_date_is_overdue_until_reviewed(
    practitioner, team_manager, young_person
):
    flag = support.flag(practitioner, young_person, review_days=-1)
    assert kinds(practitioner) == [WorkKind.FLAG_REVIEW]
    assert kinds(team_manager) == [WorkKind.FLAG_REVIEW]
    harm_flag_review(
        actor=practitioner,
        flag=flag,
        next_review_date=support.today() + timedelta(days=60),
        note="Still seen with the group",
    )
    assert kinds(practitioner) == []
    assert kinds(team_manager) == []


@pytest.mark.parametrize(
    ("review_days", "practitioner_sees", "manager_sees"),
    [(-1, True, True), (0, True, False), (7, True, False), (8, False, False)],
)
def test_a_practitioner_sees_reviews_falling_due_within_a_week_and_a_manager_only_overdue(
    practitioner, team_manager, young_person, review_days, practitioner_sees, manager_sees
):
    support.flag(practitioner, young_person, review_days=review_days)
    assert kinds(practitioner) == ([WorkKind.FLAG_REVIEW] if practitioner_sees else [])
    assert kinds(team_manager) == ([WorkKind.FLAG_REVIEW] if manager_sees else [])


def test_a_plan_past_its_review_date_is_overdue_until_reviewed(
    practitioner, team_manager, young_person
):
    plan = support.plan_in_force(practitioner, young_person, review_days=-2)
    assert kinds(team_manager) == [WorkKind.PLAN_REVIEW]
    assert kinds(practitioner) == [WorkKind.PLAN_REVIEW]
    plan_services.plan_review(
        actor=practitioner,
        plan=plan,
        reviewed_on=support.today(),
        next_review_date=support.today() + timedelta(days=90),
        summary="Reviewed with the family",
    )
    assert kinds(team_manager) == []


def test_an_overdue_plan_action_waits_until_done(practitioner, team_manager, young_person):
    plan = support.plan_in_force(practitioner, young_person)
    action = support.action(practitioner, plan, due_days=-3)
    support.action(practitioner, plan, due_days=30, description="Not yet due")
    assert kinds(team_manager) == [WorkKind.PLAN_ACTION]
    plan_services.plan_action_update_progress(
        actor=practitioner, action=action, progress="done", completed_on=support.today()
    )
    assert kinds(team_manager) == []


def test_overdue_context_actions_and_plan_reviews_reach_the_lead_and_the_leading_team(
    practitioner, team_manager, teammate, other_team_manager
):
    context = support.context(practitioner)
    action = support.context_action(practitioner, context, due_days=-1)
    support.context_review(practitioner, context, days=0)
    assert kinds(practitioner) == [WorkKind.CONTEXT_ACTION, WorkKind.CONTEXT_PLAN_REVIEW]
    assert kinds(team_manager) == [WorkKind.CONTEXT_ACTION]
    # The review date is today: overdue tomorrow.
    tomorrow = support.today() + timedelta(days=1)
    assert kinds(team_manager, today=tomorrow) == [
        WorkKind.CONTEXT_ACTION,
        WorkKind.CONTEXT_PLAN_REVIEW,
    ]
    assert kinds(teammate) == []
    assert kinds(other_team_manager, today=tomorrow) == []
    context_action_update_progress(
        actor=practitioner, action=action, progress="done", completed_on=support.today()
    )
    assert kinds(team_manager, today=tomorrow) == [WorkKind.CONTEXT_PLAN_REVIEW]


def test_context_rows_name_the_context_and_its_lead_never_a_child(
    practitioner, team_manager, young_person
):
    from contexts.linking.services import context_link_young_person

    context = support.context(practitioner)
    context_link_young_person(
        actor=practitioner, context=context, young_person=young_person, reason="Seen at the rec"
    )
    support.context_action(practitioner, context, due_days=-1)
    [row] = worktray_for(user=team_manager, today=support.today()).rows
    assert (row.subject, row.young_person_id, row.workers) == (
        context.name,
        None,
        (str(practitioner),),
    )
    for detail in (young_person.first_name, young_person.last_name, young_person.local_identifier):
        assert detail not in row.what + row.subject + row.url


def test_closed_contexts_and_closed_cases_leave_no_overdue_work(
    practitioner, team_manager, young_person
):
    from cases import services as case_services

    support.flag(practitioner, young_person, review_days=-1)
    case_services.young_person_set_status(
        actor=team_manager, young_person=young_person, status="closed", reason="Work finished"
    )
    assert kinds(team_manager) == []


def test_filter_by_worker_keeps_that_workers_young_people_and_contexts(
    practitioner, teammate, team_manager, young_person
):
    theirs = support.allocated_young_person(team_manager, teammate)
    support.flag(practitioner, young_person, review_days=-1)
    support.flag(teammate, theirs, review_days=-1)
    support.context(teammate, area="Westfield")
    mine = worktray_for(user=team_manager, today=support.today(), worker_id=practitioner.pk)
    assert [r.young_person_id for r in mine.rows] == [young_person.pk]
    assert mine.rows[0].workers == (str(practitioner),)
    teammates = worktray_for(user=team_manager, today=support.today(), worker_id=teammate.pk)
    assert [r.young_person_id for r in teammates.rows] == [theirs.pk]


def test_rows_are_oldest_first(practitioner, team_manager, young_person):
    older = support.allocated_young_person(team_manager, practitioner)
    support.flag(practitioner, young_person, review_days=-1)
    support.flag(practitioner, older, review_days=-10)
    rows = worktray_for(user=team_manager, today=support.today()).rows
    assert [r.young_person_id for r in rows] == [older.pk, young_person.pk]
    assert rows[0].on < rows[1].on


def test_no_worktray_for_service_managers_and_administrators(service_manager, administrator):
    for user in (service_manager, administrator):
        assert worktray_for(user=user, today=support.today()) is None
        assert work_count(user=user, today=support.today()) == 0


def test_a_plan_submitted_for_sign_off_waits_for_the_manager_and_a_returned_one_for_its_worker(
    practitioner, team_manager, young_person, other_team_manager
):
    plan = support.submitted_plan(practitioner, young_person)
    assert kinds(team_manager) == [WorkKind.PLAN_TO_SIGN_OFF]
    assert kinds(practitioner) == []
    assert kinds(other_team_manager) == []
    plan = support.return_plan(team_manager, plan)
    assert kinds(practitioner) == [WorkKind.PLAN_RETURNED]
    assert kinds(team_manager) == [WorkKind.PLAN_RETURNED]
    plan = plan_services.plan_submit(actor=practitioner, plan=plan)
    assert kinds(team_manager) == [WorkKind.PLAN_TO_SIGN_OFF]
    assert kinds(practitioner) == []
    support.sign_off(team_manager, plan)
    assert kinds(team_manager) == []
