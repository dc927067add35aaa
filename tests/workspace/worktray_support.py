"""State builders for the worktray tests, all through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases import services as case_services
from cases.services import assessments
from cases.services import plans as plan_services
from harms.models import HarmType, IdentifiedAt
from tests.factories import YoungPersonFactory

CONCLUSION = "Exploited through a peer group that meets at the skate park"


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def completed_assessment(actor, young_person, *, completed_days_ago: int = 5):
    assessment = assessments.assessment_start(
        actor=actor, young_person=young_person, started_on=days_ago(completed_days_ago + 10)
    )
    return assessments.assessment_complete(
        actor=actor,
        assessment=assessment,
        completed_on=days_ago(completed_days_ago),
        conclusion=CONCLUSION,
        outcome_nature="extra_familial",
        decision="cin",
        cin_factor_codes=["24A"],
    )


def authorise(manager, assessment):
    return assessments.assessment_authorise(
        actor=manager, assessment=assessment, authorised_on=today(), reason="Sound analysis"
    )


def return_for_more_work(manager, assessment):
    return assessments.assessment_return(
        actor=manager, assessment=assessment, reason="Say more about the school"
    )


def plan(actor, young_person, *, kind: str = "looked_after", review_days: int = 30):
    """A draft plan started 60 days ago, reviewed ``review_days`` from today (negative: past)."""
    return plan_services.plan_create(
        actor=actor,
        young_person=young_person,
        kind=kind,
        start_date=days_ago(60),
        review_date=today() + timedelta(days=review_days),
    )


def plan_in_force(actor, young_person, **kwargs):
    return plan_services.plan_finalise(actor=actor, plan=plan(actor, young_person, **kwargs))


def action(actor, the_plan, *, due_days: int, description: str = "Meet at the youth club"):
    return plan_services.plan_action_add(
        actor=actor,
        plan=the_plan,
        description=description,
        owner="Allocated social worker",
        due_date=today() + timedelta(days=due_days),
    )


def flag(actor, young_person, *, review_days: int, name: str = "Gangs"):
    return case_services.harm_flag_raise(
        actor=actor,
        young_person=young_person,
        harm_type=HarmType.objects.get(name=name),
        identified_at=IdentifiedAt.REFERRAL,
        identified_on=days_ago(90),
        review_date=today() + timedelta(days=review_days),
    )


def unallocated_young_person(manager, **extra):
    """Opened by the team manager for their team, with no worker allocated."""
    return YoungPersonFactory(actor=manager, **extra)


def allocated_young_person(manager, worker, **extra):
    person = YoungPersonFactory(actor=manager, **extra)
    case_services.young_person_allocate_worker(actor=manager, young_person=person, worker=worker)
    return person


def context(lead, *, area: str = "Eastfield"):
    """A peer group context led by ``lead`` for their team."""
    from contexts.services.contexts import context_open
    from csafe.core.vocabulary import ContextKind

    return context_open(
        actor=lead,
        kind=ContextKind.PEER_GROUP,
        area=area,
        opened_on=days_ago(20),
        incident="Fight at the skate park after school",
        confirmed_not_duplicate=True,
    )


def context_action(
    actor, a_context, *, due_days: int, description: str = "Youth workers at the rec"
):
    from contexts.services.work import context_action_add

    return context_action_add(
        actor=actor,
        context=a_context,
        side="environment",
        description=description,
        partner_agency="youth_service",
        owner="Detached youth work team",
        due_date=today() + timedelta(days=due_days),
    )


def context_review(actor, a_context, *, days: int = 0):
    from contexts.services.work import context_plan_review_set

    return context_plan_review_set(
        actor=actor, context=a_context, review_date=today() + timedelta(days=days)
    )


def long(value: date) -> str:
    from csafe.core.dates import long_date

    return long_date(value)


def short(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def submitted_plan(actor, young_person, *, kind: str = "cin"):
    """A draft plan of a kind that needs sign-off, submitted for it."""
    return plan_services.plan_submit(actor=actor, plan=plan(actor, young_person, kind=kind))


def return_plan(manager, the_plan):
    return plan_services.plan_return(actor=manager, plan=the_plan, reason="Add the school's part")


def sign_off(manager, the_plan):
    return plan_services.plan_sign_off(actor=manager, plan=the_plan, reason="A sound plan")
