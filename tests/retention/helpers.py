"""Records built through the services for the retention tests, and small page readers.

Dates are relative to today, since closing a case through its service dates the closure today:
a young person born 30 years ago whose case closes today is due under the default rule (kept
until age 25) at once; one born 15 years ago is due on their 25th birthday."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services as case_services
from cases.models import LocationType
from cases.reference import (
    AssessmentDecision,
    NatureOfHarm,
    PlanKind,
    ReferralDecision,
    ReferralSource,
)
from cases.services import harm_flag_raise
from cases.services.assessments import (
    assessment_complete,
    assessment_return,
    assessment_start,
    contextual_factor_add,
)
from cases.services.documents import document_upload
from cases.services.notes import case_note_add
from cases.services.plans import plan_action_add, plan_create, plan_return, plan_submit
from cases.services.relocations import relocation_record
from contexts.linking.services import context_link_young_person
from contexts.reference import ContextRecordKind, LinkEndRule, TriangleSide
from contexts.services import contexts as context_services
from contexts.services import work as context_work
from csafe.core.vocabulary import ContextKind
from harms.models import HarmType
from retention import services as retention_services
from retention.models import RetentionRule
from retention.selectors import add_years
from tests.factories import YoungPersonFactory


def today() -> date:
    return timezone.localdate()


def born_years_ago(years: int) -> date:
    return add_years(today(), -years)


def rule(kind: str) -> RetentionRule:
    return RetentionRule.objects.get(kind=kind)


def close_case(actor, young_person, reason: str = "Work complete"):
    return case_services.young_person_set_status(
        actor=actor, young_person=young_person, status="closed", reason=reason
    )


def closed_young_person(actor, *, born: date, looked_after: bool = False, **fields):
    person = YoungPersonFactory(actor=actor, date_of_birth=born, **fields)
    if looked_after:
        plan_create(
            actor=actor,
            young_person=person,
            kind=PlanKind.LOOKED_AFTER,
            start_date=today() - timedelta(days=30),
            review_date=today(),
        )
    return close_case(actor, person)


def open_context(actor, *, area: str, opened_on: date, **extra):
    return context_services.context_open(
        actor=actor,
        kind=ContextKind.PEER_GROUP,
        area=area,
        opened_on=opened_on,
        incident=extra.pop("incident", "Fight at the skate park after school"),
        description=extra.pop("description", "Members meet at the skate park most evenings"),
        confirmed_not_duplicate=True,
        **extra,
    )


def close_context(actor, context, *, on: date, reason: str = "Safety increased", **texts):
    return context_services.context_close(
        actor=actor,
        context=context,
        on=on,
        reason=reason,
        functioning_change=texts.get("functioning_change", "Fewer members meet"),
        guardianship_change=texts.get("guardianship_change", "Wardens in the evenings"),
        environment_change=texts.get("environment_change", "The park is lit"),
        links_rule=LinkEndRule.KEEP,
    )


def closed_context(actor, *, area: str, closed_on: date):
    context = open_context(actor, area=area, opened_on=closed_on - timedelta(days=60))
    close_context(actor, context, on=closed_on)
    context.refresh_from_db()
    return context


def fill_young_persons_record(*, manager, worker, young_person, canary: str, context=None):
    """Write ``canary`` into every kind of free text a young person's record holds, through the
    services, and return the stored document. ``worker`` is allocated to the record."""
    location_type = LocationType.objects.first()
    harm_type = HarmType.objects.filter(is_active=True, nature="extra_familial").first()
    outcome = case_services.referral_record(
        actor=worker,
        young_person=young_person,
        received_on=today() - timedelta(days=100),
        source=ReferralSource.INDIVIDUAL_FAMILY,
        reason=f"Referral about {canary}",
        nature_of_harm=NatureOfHarm.EXTRA_FAMILIAL,
        decision=ReferralDecision.ASSESSMENT,
        locations=[
            case_services.LocationInput(
                location_type=location_type, postcode="NB1 2AA", place_name=f"{canary} bus stop"
            )
        ],
    )
    assessment = assessment_start(
        actor=worker,
        young_person=young_person,
        started_on=today() - timedelta(days=90),
        referral=outcome.referral,
        peers=f"{canary} spends time with older boys",
        conclusion=f"{canary} is at risk outside the home",
    )
    contextual_factor_add(
        actor=worker,
        assessment=assessment,
        domain=ContextKind.PEER_GROUP,
        description=f"{canary}'s peer group",
    )
    plan = plan_create(
        actor=worker,
        young_person=young_person,
        kind=PlanKind.CHILD_IN_NEED,
        start_date=today() - timedelta(days=60),
        review_date=today(),
        summary=f"Keep {canary} safe",
    )
    plan_action_add(
        actor=worker, plan=plan, description=f"Visit {canary} weekly", owner=f"{canary}'s aunt"
    )
    # Submitted for sign-off and returned: the manager's words are on the plan until it is
    # submitted again.
    plan_submit(actor=worker, plan=plan)
    plan_return(actor=manager, plan=plan, reason=f"Say who sees {canary} on Fridays")
    relocation_record(
        actor=worker,
        young_person=young_person,
        moved_on=today() - timedelta(days=50),
        kind="within_area",
        reason=f"{canary} moved away from the group",
        because_of_extra_familial_harm=True,
        plan_addresses_factors="no_plan",
        destination=f"{canary}'s grandmother's town",
    )
    case_note_add(
        actor=worker,
        young_person=young_person,
        noted_on=today() - timedelta(days=10),
        subject=f"Home visit to {canary}",
        body=f"{canary} was at home with their mother",
    )
    harm_flag_raise(
        actor=worker,
        young_person=young_person,
        harm_type=harm_type,
        identified_at="assessment",
        identified_on=today() - timedelta(days=80),
        note=f"Seen with {canary}'s older cousin",
    )
    document = document_upload(
        actor=worker,
        young_person=young_person,
        uploaded=SimpleUploadedFile(
            f"{canary}.txt", f"Letter about {canary}".encode(), content_type="text/plain"
        ),
        title=f"Letter about {canary}",
    )
    if context is not None:
        context_link_young_person(
            actor=worker,
            context=context,
            young_person=young_person,
            reason=f"{canary} is part of this group",
        )
    return document


def fill_context(actor, context, *, canary: str):
    """Write ``canary`` into the context's own texts: an assessment and a plan action."""
    context_work.context_record_add(
        actor=actor,
        context=context,
        kind=ContextRecordKind.ASSESSMENT,
        held_on=today() - timedelta(days=5),
        functioning=f"The {canary} crew meets after school",
        guardianship=f"Nobody supervises the {canary} crew",
        environment="The underpass is dark",
        weighting=TriangleSide.GUARDIANSHIP,
        weighting_reason=f"Guardianship of the {canary} crew first",
    )
    context_work.context_action_add(
        actor=actor,
        context=context,
        side=TriangleSide.GUARDIANSHIP,
        description=f"Detached youth work with the {canary} crew",
        partner_agency="youth_service",
        owner="Youth service lead",
        due_date=today() + timedelta(days=30),
    )


HOLD_REASON = "Civil claim against the council, reference CL-2031"


def hold(actor, young_person, *, reason: str = HOLD_REASON, review_in_days: int = 180):
    """A legal hold placed through the service, to be reviewed in ``review_in_days``."""
    return retention_services.legal_hold_place(
        actor=actor,
        young_person=young_person,
        reason=reason,
        review_on=today() + timedelta(days=review_in_days),
    )


def complete_assessment(actor, young_person, *, codes: list[str], assessment=None):
    """An assessment (started now, unless one is given) completed with CIN factor ``codes``."""
    if assessment is None:
        assessment = assessment_start(
            actor=actor, young_person=young_person, started_on=today() - timedelta(days=20)
        )
    assessment.refresh_from_db()
    return assessment_complete(
        actor=actor,
        assessment=assessment,
        completed_on=today(),
        conclusion="Risk outside the home",
        outcome_nature=NatureOfHarm.EXTRA_FAMILIAL,
        decision=AssessmentDecision.CHILD_IN_NEED,
        cin_factor_codes=codes,
    )


def return_assessment(actor, assessment):
    assessment.refresh_from_db()
    return assessment_return(actor=actor, assessment=assessment, reason="Say more about school")
