"""Plan sign-off: a plan of a kind that needs it (child in need and early help by default) is
submitted by its practitioner and signed off, or returned, by a team manager of the holding team;
the people who must act are told. A child protection plan records its conference's date. The
administrator chooses the kinds (``plan_sign_off_rules_update``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from cases import tasks
from cases.models import Plan, PlanSignOffRule
from cases.services import plan_sign_off_rules as rule_services
from cases.services import plans as plan_services
from csafe.audit.models import Event
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError, ConflictError, ForbiddenError
from csafe.notifications.models import Notification, NotificationKind
from tests.cases.plan_support import (
    SIGN_OFF_REASON,
    answer_all,
    authorised_assessment,
    contextual_action,
    draft_plan,
    today,
    written,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AWAITING = (
    "This plan is awaiting sign-off, so it cannot be changed until a team manager signs it off "
    "or returns it"
)


def refused(call, message: str, field: str | None = None, kind=ApplicationError):
    with pytest.raises(kind) as caught:
        call()
    assert (caught.value.message, caught.value.field) == (message, field)
    return caught.value


def notices(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("pk"))


@pytest.fixture
def ready(practitioner, team_manager, young_person):
    """A child in need plan with every factor answered, ready to go into force."""
    _, factors = authorised_assessment(practitioner, team_manager, young_person)
    plan = draft_plan(practitioner, young_person)
    answer_all(practitioner, plan, factors)
    return plan


@pytest.fixture
def submitted(practitioner, ready, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_submit(actor=practitioner, plan=ready)
    ready.refresh_from_db()
    return ready


class TestRules:
    def test_child_in_need_and_early_help_need_sign_off_by_default(self):
        assert dict(PlanSignOffRule.objects.values_list("kind", "needs_sign_off")) == {
            "cin": True,
            "cp": False,
            "looked_after": False,
            "early_help": True,
        }

    @pytest.mark.parametrize("kind", ["cin", "early_help"])
    def test_such_a_plan_cannot_be_finalised(self, practitioner, team_manager, young_person, kind):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = draft_plan(practitioner, young_person, kind=kind)
        answer_all(practitioner, plan, factors)
        before = written()

        for actor in (practitioner, team_manager):
            error = refused(
                lambda actor=actor: plan_services.plan_finalise(actor=actor, plan=plan),
                f"A {'child in need' if kind == 'cin' else 'early help'} plan goes into force "
                "when a team manager of the team holding the case signs it off: submit it for "
                "sign-off",
            )
            assert error.code == "needs_sign_off"
        assert written() == before
        assert Plan.objects.get().status == "draft"

    def test_a_plan_that_needs_none_is_not_submitted(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, kind="looked_after")

        refused(
            lambda: plan_services.plan_submit(actor=practitioner, plan=plan),
            "A looked after plan does not need sign-off: finalise it to put it in force",
        )
        assert plan_services.plan_finalise(actor=practitioner, plan=plan).status == "active"


class TestSubmit:
    def test_submitting_awaits_sign_off_and_tells_the_teams_managers(
        self,
        practitioner,
        team_manager,
        other_team_manager,
        young_person,
        ready,
        django_capture_on_commit_callbacks,
    ):
        second_manager = UserFactory(username="second", role="team_manager", team=team_manager.team)
        gone = UserFactory(username="gone", role="team_manager", team=team_manager.team)
        type(gone).objects.filter(pk=gone.pk).update(is_active=False)
        mail.outbox.clear()

        with django_capture_on_commit_callbacks(execute=True):
            plan = plan_services.plan_submit(actor=practitioner, plan=ready)

        plan.refresh_from_db()
        assert (plan.status, plan.submitted_on, plan.submitted_by) == (
            "submitted",
            today(),
            practitioner,
        )
        assert (plan.finalised_on, plan.finalised_by) == (None, None)
        assert plan.get_status_display() == "Awaiting sign-off"
        assert plan.history.first().history_user == practitioner
        event = Event.objects.get(kind="plan.submitted")
        assert (event.actor, event.target_id, event.detail) == (
            practitioner,
            str(plan.pk),
            {"submitted_on": today().isoformat()},
        )
        sent = notices(NotificationKind.PLAN_AWAITING_SIGN_OFF)
        # Every active manager of the holding team, and no one else.
        assert [n.recipient for n in sent] == [team_manager, second_manager]
        identifier = young_person.local_identifier
        assert {n.title for n in sent} == {
            f"Child in need plan for {identifier} awaits your sign-off"
        }
        assert sent[0].url == f"/young-people/{young_person.pk}/plans/{plan.pk}/"
        assert sent[0].dedupe_key == f"plan-sign-off:{plan.pk}:v{plan.version}:{team_manager.pk}"
        # By e-mail too, with the identifier, never the child's name.
        emails = [m for m in mail.outbox if "sign-off" in m.subject]
        assert sorted(m.to[0] for m in emails) == sorted([team_manager.email, second_manager.email])
        for notice in [*sent, *emails]:
            text = f"{getattr(notice, 'title', '')} {getattr(notice, 'body', '')}"
            text += f" {getattr(notice, 'subject', '')}"
            assert "Zephyrine" not in text and "Quillfeather" not in text

    def test_the_task_is_idempotent(self, submitted, team_manager):
        before = len(notices(NotificationKind.PLAN_AWAITING_SIGN_OFF))

        assert tasks.plan_sign_off_requested_notify(submitted.pk, submitted.version) == 0
        assert len(notices(NotificationKind.PLAN_AWAITING_SIGN_OFF)) == before == 1

    def test_nothing_is_told_of_a_plan_no_longer_awaiting(self, submitted, team_manager):
        plan_services.plan_sign_off(actor=team_manager, plan=submitted, reason=SIGN_OFF_REASON)
        Notification.objects.all().delete()

        assert tasks.plan_sign_off_requested_notify(submitted.pk, submitted.version) == 0
        assert not Notification.objects.exists()

    def test_a_rolled_back_submission_tells_no_one(self, practitioner, ready):
        # Without the commit the on_commit callback never runs.
        plan_services.plan_submit(actor=practitioner, plan=ready)

        assert not notices(NotificationKind.PLAN_AWAITING_SIGN_OFF)

    def test_refused_while_a_factor_is_open(self, practitioner, team_manager, young_person):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = draft_plan(practitioner, young_person)
        contextual_action(practitioner, plan, factors[0])
        before = written()

        error = refused(
            lambda: plan_services.plan_submit(actor=practitioner, plan=plan),
            "The plan cannot be submitted for sign-off while 1 contextual factor is open (School "
            "or education setting: Excluded from lessons; waits alone at the Ferrisby Road "
            "gates). Answer each one with an action, or mark it as not addressed and say why.",
        )
        assert error.code == "open_factors"
        assert written() == before

    @pytest.mark.parametrize("who", ["teammate", "other_team_practitioner", "administrator"])
    def test_those_who_cannot_change_the_record_are_refused(self, request, ready, who):
        with pytest.raises(ApplicationError):
            plan_services.plan_submit(actor=request.getfixturevalue(who), plan=ready)
        assert Plan.objects.get().status == "draft"

    def test_a_submitted_plan_is_read_only(self, practitioner, team_manager, submitted):
        plan = submitted
        factor = plan.assessment.contextual_factors.first()
        action = plan.actions.first()
        before = written()
        for call in (
            lambda: plan_services.plan_update(actor=practitioner, plan=plan, summary="Changed"),
            lambda: contextual_action(practitioner, plan),
            lambda: plan_services.plan_action_update_progress(
                actor=practitioner, action=action, progress="in_progress"
            ),
            lambda: plan_services.plan_factor_not_addressed(
                actor=team_manager, plan=plan, factor=factor, reason="Police lead"
            ),
            lambda: plan_services.plan_finalise(actor=practitioner, plan=plan),
        ):
            error = refused(call, AWAITING)
            assert error.code == "awaiting_sign_off"
        refused(
            lambda: plan_services.plan_submit(actor=practitioner, plan=plan),
            "Only a draft plan can be submitted for sign-off",
        )
        refused(
            lambda: plan_services.plan_review(
                actor=practitioner,
                plan=plan,
                reviewed_on=today(),
                next_review_date=today() + timedelta(days=30),
                summary="Early look",
            ),
            "Finalise the plan before reviewing it",
        )
        assert written() == before

    def test_a_plan_awaiting_sign_off_may_end(self, practitioner, submitted):
        plan = plan_services.plan_end(
            actor=practitioner, plan=submitted, ended_on=today(), reason="Family moved away"
        )
        assert plan.status == "ended"
        # And another plan of the kind may then be drafted.
        assert draft_plan(practitioner, plan.young_person).status == "draft"

    def test_a_second_plan_of_the_kind_is_refused_while_one_awaits(
        self, practitioner, young_person, submitted
    ):
        refused(
            lambda: draft_plan(practitioner, young_person),
            "This young person already has a child in need plan in draft, awaiting sign-off or in "
            "force. Change that plan, or end it before starting another.",
            "kind",
        )


class TestSignOff:
    def test_a_manager_of_the_holding_team_signs_it_off_into_force(self, team_manager, submitted):
        plan = plan_services.plan_sign_off(
            actor=team_manager,
            plan=submitted,
            reason=f"  {SIGN_OFF_REASON}  ",
            expected_version=submitted.version,
        )

        plan.refresh_from_db()
        assert (plan.status, plan.finalised_on, plan.finalised_by) == (
            "active",
            today(),
            team_manager,
        )
        assert (plan.signed_off_on, plan.signed_off_by, plan.sign_off_reason) == (
            today(),
            team_manager,
            SIGN_OFF_REASON,
        )
        assert plan.history.first().history_user == team_manager
        event = Event.objects.get(kind="plan.signed_off")
        # The reasoning is on the plan, never in the audit trail.
        assert (event.actor, event.detail) == (team_manager, {"finalised_on": today().isoformat()})

    @pytest.mark.parametrize("who", ["practitioner", "teammate", "service_manager"])
    def test_no_one_else_may(self, request, submitted, who):
        before = written()
        for call, message in (
            (
                plan_services.plan_sign_off,
                "Only a team manager of the team holding this case can sign off its plans",
            ),
            (
                plan_services.plan_return,
                "Only a team manager of the team holding this case can return its plans",
            ),
        ):
            refused(
                lambda call=call: call(
                    actor=request.getfixturevalue(who), plan=submitted, reason=SIGN_OFF_REASON
                ),
                message,
                kind=ForbiddenError,
            )
        assert written() == before
        assert Plan.objects.get().status == "submitted"

    def test_a_manager_of_another_team_may_not(self, other_team_manager, submitted):
        refused(
            lambda: plan_services.plan_sign_off(
                actor=other_team_manager, plan=submitted, reason=SIGN_OFF_REASON
            ),
            "Only a team manager of the team holding this case can sign off its plans",
            kind=ForbiddenError,
        )

    def test_the_reasoning_is_required(self, team_manager, submitted):
        refused(
            lambda: plan_services.plan_sign_off(actor=team_manager, plan=submitted, reason="  "),
            "Enter your reasoning for signing off the plan",
            "reason",
        )
        assert Plan.objects.get().status == "submitted"

    def test_only_a_plan_awaiting_sign_off(self, team_manager, ready):
        for call in (plan_services.plan_sign_off, plan_services.plan_return):
            refused(
                lambda call=call: call(actor=team_manager, plan=ready, reason=SIGN_OFF_REASON),
                "Only a plan awaiting sign-off can be signed off or returned",
            )

    def test_a_plan_changed_since_it_was_read_is_a_conflict(self, team_manager, submitted):
        with pytest.raises(ConflictError) as caught:
            plan_services.plan_sign_off(
                actor=team_manager,
                plan=submitted,
                reason=SIGN_OFF_REASON,
                expected_version=submitted.version - 1,
            )
        assert caught.value.current_version == submitted.version
        assert Plan.objects.get().status == "submitted"

    def test_a_date_before_the_submission_is_refused(self, team_manager, submitted):
        refused(
            lambda: plan_services.plan_sign_off(
                actor=team_manager,
                plan=submitted,
                reason=SIGN_OFF_REASON,
                signed_off_on=today() - timedelta(days=1),
            ),
            "The date signed off must be the same as or after the date the plan was submitted "
            f"({long_date(today())})",
            "signed_off_on",
        )


class TestReturn:
    def test_returned_to_draft_saying_why_and_the_submitter_is_told(
        self,
        practitioner,
        team_manager,
        young_person,
        submitted,
        django_capture_on_commit_callbacks,
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            plan = plan_services.plan_return(
                actor=team_manager, plan=submitted, reason="Say who leads on the school factor"
            )

        plan.refresh_from_db()
        assert (plan.status, plan.returned_on, plan.returned_by, plan.return_reason) == (
            "draft",
            today(),
            team_manager,
            "Say who leads on the school factor",
        )
        event = Event.objects.get(kind="plan.returned")
        assert (event.actor, event.detail) == (team_manager, {})
        [notice] = notices(NotificationKind.WORK_RETURNED)
        assert (notice.recipient, notice.title) == (
            practitioner,
            f"Child in need plan for {young_person.local_identifier} returned for more work",
        )
        assert notice.dedupe_key == f"plan-returned:{plan.pk}:v{plan.version}:{practitioner.pk}"
        [email] = [m for m in mail.outbox if "returned" in m.subject]
        assert email.to == [practitioner.email]
        assert "Zephyrine" not in email.subject + email.body
        # Idempotent.
        assert tasks.plan_returned_notify(plan.pk, plan.version) == 0

        # Changeable again; submitting again clears the return and tells the managers again.
        plan_services.plan_update(actor=practitioner, plan=plan, summary="School lead named")
        with django_capture_on_commit_callbacks(execute=True):
            plan_services.plan_submit(actor=practitioner, plan=plan)
        plan.refresh_from_db()
        assert (plan.status, plan.returned_on, plan.returned_by, plan.return_reason) == (
            "submitted",
            None,
            None,
            "",
        )
        assert plan.history.filter(return_reason="Say who leads on the school factor").exists()
        assert len(notices(NotificationKind.PLAN_AWAITING_SIGN_OFF)) == 2

    def test_what_more_is_needed_is_required(self, team_manager, submitted):
        refused(
            lambda: plan_services.plan_return(actor=team_manager, plan=submitted, reason=""),
            "Say what more is needed",
            "reason",
        )


class TestChildProtectionConference:
    @pytest.fixture
    def cp_plan(self, practitioner, young_person):
        return draft_plan(practitioner, young_person, kind="cp")

    def test_the_conference_date_is_required(self, practitioner, cp_plan):
        refused(
            lambda: plan_services.plan_finalise(actor=practitioner, plan=cp_plan),
            "Enter the date of the child protection conference",
            "conference_date",
        )
        assert Plan.objects.get().status == "draft"

    @pytest.mark.parametrize(
        ("days", "message"),
        [
            (+1, "The date of the child protection conference must be today or in the past"),
            (
                -19,
                "The date of the child protection conference must be the same as or before the "
                "plan's start date ({start})",
            ),
        ],
    )
    def test_not_in_the_future_nor_after_the_start(self, practitioner, cp_plan, days, message):
        refused(
            lambda: plan_services.plan_finalise(
                actor=practitioner, plan=cp_plan, conference_date=today() + timedelta(days=days)
            ),
            message.format(start=long_date(cp_plan.start_date)),
            "conference_date",
        )

    def test_recorded_when_it_goes_into_force(self, practitioner, cp_plan):
        day = cp_plan.start_date - timedelta(days=1)

        plan = plan_services.plan_finalise(actor=practitioner, plan=cp_plan, conference_date=day)

        plan.refresh_from_db()
        assert (plan.status, plan.conference_date) == ("active", day)

    def test_other_plans_record_none(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, kind="looked_after")
        refused(
            lambda: plan_services.plan_finalise(
                actor=practitioner, plan=plan, conference_date=today()
            ),
            "Only a child protection plan records a conference date",
            "conference_date",
        )

    def test_a_cp_plan_that_needs_sign_off_records_it_on_submission(
        self, administrator, practitioner, team_manager, cp_plan
    ):
        rule_services.plan_sign_off_rules_update(
            actor=administrator, kinds_needing_sign_off=["cin", "early_help", "cp"]
        )
        refused(
            lambda: plan_services.plan_submit(actor=practitioner, plan=cp_plan),
            "Enter the date of the child protection conference",
            "conference_date",
        )
        plan_services.plan_submit(
            actor=practitioner, plan=cp_plan, conference_date=cp_plan.start_date
        )
        plan = plan_services.plan_sign_off(actor=team_manager, plan=cp_plan, reason=SIGN_OFF_REASON)
        assert (plan.status, plan.conference_date) == ("active", cp_plan.start_date)


class TestConfiguration:
    def test_an_administrator_chooses_the_kinds(self, administrator, practitioner, young_person):
        changed = rule_services.plan_sign_off_rules_update(
            actor=administrator, kinds_needing_sign_off=["early_help", "looked_after"]
        )

        assert changed == ["cin", "looked_after"]
        assert dict(PlanSignOffRule.objects.values_list("kind", "needs_sign_off")) == {
            "cin": False,
            "cp": False,
            "looked_after": True,
            "early_help": True,
        }
        rule = PlanSignOffRule.objects.get(kind="cin")
        assert rule.history.first().history_user == administrator
        assert sorted(
            (e.actor, e.detail["kind"], e.detail["needs_sign_off"])
            for e in Event.objects.filter(kind="plan_sign_off_rules.changed")
        ) == [(administrator, "cin", False), (administrator, "looked_after", True)]
        # A child in need plan is now finalised by its practitioner.
        plan = draft_plan(practitioner, young_person)
        assert plan_services.plan_finalise(actor=practitioner, plan=plan).status == "active"

    def test_nothing_is_written_when_nothing_changes(self, administrator):
        before = Event.objects.count()
        assert (
            rule_services.plan_sign_off_rules_update(
                actor=administrator, kinds_needing_sign_off=["cin", "early_help"]
            )
            == []
        )
        assert Event.objects.count() == before

    @pytest.mark.parametrize("who", ["team_manager", "practitioner", "service_manager"])
    def test_only_an_administrator(self, request, who):
        refused(
            lambda: rule_services.plan_sign_off_rules_update(
                actor=request.getfixturevalue(who), kinds_needing_sign_off=[]
            ),
            "Only administrators can change which plans need sign-off",
            kind=ForbiddenError,
        )
        assert PlanSignOffRule.objects.filter(needs_sign_off=True).count() == 2

    def test_an_unknown_kind_is_refused(self, administrator):
        refused(
            lambda: rule_services.plan_sign_off_rules_update(
                actor=administrator, kinds_needing_sign_off=["tea"]
            ),
            "Choose kinds of plan from the list",
            "kinds",
        )
