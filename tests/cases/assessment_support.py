"""State builders, messages and readers shared by the tests of assessments (services, pages,
API) and of the CIN census. Everything is made through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases import services as case_services
from cases.models import Assessment, AssessmentFactor, ContextualFactor, Document
from cases.services import assessments as services
from csafe.audit.models import Event
from harms.models import HarmType, IdentifiedAt

CCE = "Child criminal exploitation, including county lines"  # CIN code 24A
GANGS = "Gangs"  # 13A
SERIOUS_YOUTH_VIOLENCE = "Serious youth violence"  # a local type with no CIN code
CONCLUSION = "Exploited through a peer group that meets at the Millbrook Rec skate park"
AUTHORISE_REFUSED = (
    "Only a team manager of the team holding this case can authorise its assessments"
)
RETURN_REFUSED = "Only a team manager of the team holding this case can return its assessments"
CONFLICT = (
    "Someone else changed this assessment after you opened it. Your changes have not been "
    "saved: check the assessment as it is now and make them again."
)
LOCKED = "This assessment has been completed, so it can no longer be changed"


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def start(actor, young_person, started_on: date | None = None, **extra) -> Assessment:
    return services.assessment_start(
        actor=actor, young_person=young_person, started_on=started_on or days_ago(20), **extra
    )


def complete(actor, assessment, **overrides) -> Assessment:
    arguments = {
        "completed_on": days_ago(5),
        "conclusion": CONCLUSION,
        "outcome_nature": "extra_familial",
        "decision": "cin",
        "cin_factor_codes": ["24A", "13A"],
    } | overrides
    return services.assessment_complete(actor=actor, assessment=assessment, **arguments)


def add_factor(actor, assessment, domain="peer_group", description="Older peers at the rec"):
    return services.contextual_factor_add(
        actor=actor, assessment=assessment, domain=domain, description=description
    )


def raise_flag(actor, young_person, name: str):
    return case_services.harm_flag_raise(
        actor=actor,
        young_person=young_person,
        harm_type=HarmType.objects.get(name=name),
        identified_at=IdentifiedAt.REFERRAL,
        identified_on=days_ago(30),
    )


def snapshot() -> dict:
    """Everything an assessment service could write: each row's fields, and the events and
    history rows, so a refused request can be shown to have changed nothing."""
    return {
        "assessments": list(Assessment.objects.order_by("pk").values()),
        "factors": list(ContextualFactor.objects.order_by("pk").values()),
        "cin factors": list(AssessmentFactor.objects.order_by("pk").values()),
        "documents": list(Document.objects.order_by("pk").values()),
        "events": Event.objects.count(),
        "assessment history": Assessment.history.count(),
        "factor history": ContextualFactor.history.count(),
        "cin factor history": AssessmentFactor.history.count(),
    }
