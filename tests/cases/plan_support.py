"""Builders shared by the tests of plans (services, pages, API), relocations, route access
and accessibility: an authorised assessment with contextual factors, and a plan made from
it, through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases.models import Plan, PlanAction, PlanFactorGap, PlanReview
from cases.selectors.plans import plan_kind_needs_sign_off
from cases.services import assessments as assessment_services
from cases.services import plans as plan_services
from csafe.accounts.models import User
from csafe.audit.models import Event

PEERS = ("peer_group", "Spends evenings with older boys from the Larkspur estate")
SCHOOL = ("school", "Excluded from lessons; waits alone at the Ferrisby Road gates")
ONLINE = ("online", "Contacted on a gaming platform by an adult he has not met")


def today() -> date:
    return timezone.localdate()


def authorised_assessment(practitioner, team_manager, young_person, factors=(PEERS, SCHOOL)):
    """An assessment started 40 days ago with ``factors``, completed and authorised since.
    Returns (assessment, [factors in the order given])."""
    assessment = assessment_services.assessment_start(
        actor=practitioner, young_person=young_person, started_on=today() - timedelta(days=40)
    )
    made = [
        assessment_services.contextual_factor_add(
            actor=practitioner, assessment=assessment, domain=domain, description=description
        )
        for domain, description in factors
    ]
    assessment_services.assessment_complete(
        actor=practitioner,
        assessment=assessment,
        completed_on=today() - timedelta(days=30),
        conclusion="Harm is coming from outside the family, through peers and the estate",
        outcome_nature="extra_familial",
        decision="cin",
        cin_factor_codes=["24A"],
    )
    assessment = assessment_services.assessment_authorise(
        actor=team_manager,
        assessment=assessment,
        authorised_on=today() - timedelta(days=29),
        reason="The evidence supports the conclusion and the decision",
    )
    return assessment, made


def draft_plan(actor, young_person, kind="cin", **overrides) -> Plan:
    arguments = {
        "start_date": today() - timedelta(days=20),
        "review_date": today() + timedelta(days=70),
        "summary": "Keep Zephyrine safe from the people she meets at the estate",
    } | overrides
    return plan_services.plan_create(actor=actor, young_person=young_person, kind=kind, **arguments)


def contextual_action(actor, plan, factor=None, **overrides) -> PlanAction:
    arguments = {
        "description": "Detached youth work at the Larkspur estate on Friday evenings",
        "owner": "Youth worker, Westbrook Youth Hub",
        "due_date": today() + timedelta(days=14),
        "is_contextual": True,
        "target_context_kind": "location",
        "partner_agency": "youth_service",
        "factor": factor,
    } | overrides
    return plan_services.plan_action_add(actor=actor, plan=plan, **arguments)


def answer_all(actor, plan, factors) -> None:
    """Answer the first factor with an action and mark the rest as not addressed."""
    contextual_action(actor, plan, factors[0])
    for factor in factors[1:]:
        plan_services.plan_factor_not_addressed(
            actor=actor, plan=plan, factor=factor, reason="The school is working on this itself"
        )


# A kind of plan its practitioner puts in force (no sign-off by default), for tests of finalising.
FINALISED_KIND = "looked_after"
SIGN_OFF_REASON = "The actions answer what the assessment found; the school factor is in hand"


def team_manager_of(young_person) -> User:
    """The first active manager of the team holding the case (who may sign off its plans)."""
    return (
        User.objects.filter(groups=young_person.team.managers_group, is_active=True)
        .order_by("pk")
        .first()
    )


def put_in_force(
    actor, plan, *, finalised_on=None, signer=None, conference_date=None, reason=SIGN_OFF_REASON
) -> Plan:
    """Put a draft plan in force the way its kind must go: finalised by ``actor``, or, for a
    kind that needs sign-off, submitted by ``actor`` and signed off by ``signer`` (the holding
    team's manager unless given), both on ``finalised_on`` when it is given. A child protection
    plan's conference is on its start date unless ``conference_date`` says otherwise."""
    if plan.kind == "cp" and conference_date is None:
        conference_date = plan.start_date  # the conference that made it, the day it starts
    if not plan_kind_needs_sign_off(plan.kind):
        return plan_services.plan_finalise(
            actor=actor, plan=plan, finalised_on=finalised_on, conference_date=conference_date
        )
    plan = plan_services.plan_submit(
        actor=actor, plan=plan, conference_date=conference_date, submitted_on=finalised_on
    )
    return plan_services.plan_sign_off(
        actor=signer or team_manager_of(plan.young_person),
        plan=plan,
        reason=reason,
        signed_off_on=finalised_on,
    )


def in_force_plan(actor, young_person, factors, **overrides) -> Plan:
    plan = draft_plan(actor, young_person, **overrides)
    answer_all(actor, plan, factors)
    return put_in_force(actor, plan)


def written() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "actions": PlanAction.objects.count(),
        "gaps": PlanFactorGap.objects.count(),
        "reviews": PlanReview.objects.count(),
        "events": Event.objects.filter(kind__startswith="plan").count(),
    }
