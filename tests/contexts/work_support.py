"""State builders for the work on a context (assessments, meeting notes, the plan), shared
by the tests of the context work services, pages and API, of notifications and of the
workers. Everything is made through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cases.models import LocationType
from cases.reference import PartnerAgency
from contexts.linking.services import context_link_end, context_link_young_person
from contexts.models import Context, ContextPlanAction, ContextRecord
from contexts.reference import ContextRecordKind, LinkEndRule, TriangleSide
from contexts.services import work as work_services
from contexts.services.contexts import context_close, context_open
from csafe.audit.models import Event, EventKind
from csafe.core.vocabulary import ContextKind

FUNCTIONING = TriangleSide.FUNCTIONING
GUARDIANSHIP = TriangleSide.GUARDIANSHIP
ENVIRONMENT = TriangleSide.ENVIRONMENT
WORK_EVENTS = [
    EventKind.CONTEXT_RECORD_ADDED,
    EventKind.CONTEXT_ACTION_ADDED,
    EventKind.CONTEXT_ACTION_PROGRESS,
    EventKind.CONTEXT_PLAN_REVIEW_SET,
]


def today() -> date:
    return timezone.localdate()


def open_context_for_test(
    *, lead, kind: str = ContextKind.PEER_GROUP, area: str = "Northbrook", postcode: str = ""
) -> Context:
    """A context opened by ``lead`` through the service, named by the default convention for
    its kind from ``area`` (and, for a location, ``postcode``)."""
    fields = {"area": area, "label": "", "postcode": postcode, "location_type": None}
    if kind in {ContextKind.SCHOOL, ContextKind.ONLINE, ContextKind.OTHER}:
        fields["label"] = f"{area} Academy"
    if kind == ContextKind.LOCATION:
        fields["location_type"] = LocationType.objects.order_by("pk").first()
        fields["postcode"] = postcode or "NB1 4QT"
    return context_open(
        actor=lead,
        kind=kind,
        opened_on=today() - timedelta(days=60),
        incident="Fights after school near the precinct",
        confirmed_not_duplicate=True,
        **fields,
    )


def close_for_test(context: Context) -> None:
    """Close the context through the service, as its lead, keeping the links."""
    context_close(
        actor=context.lead_practitioner,
        context=context,
        on=today(),
        reason="Safety has increased",
        functioning_change="The group meets less and in daylight.",
        guardianship_change="Detached youth workers are there three evenings a week.",
        environment_change="The underpass is lit.",
        links_rule=LinkEndRule.KEEP,
    )
    context.refresh_from_db()


def link(actor, context, young_person, reason: str = "Seen with the group after school"):
    """Link through the links service, as a practitioner who may change the young person."""
    return context_link_young_person(
        actor=actor, context=context, young_person=young_person, reason=reason
    )


def end_link(actor, link_row, reason: str = "No longer spends time with the group"):
    return context_link_end(actor=actor, link=link_row, reason=reason)


def add_record(actor, context, **overrides) -> ContextRecord:
    fields = {
        "kind": ContextRecordKind.ASSESSMENT,
        "held_on": today() - timedelta(days=3),
        "functioning": "The group meets daily at the precinct; older members recruit.",
        "guardianship": "No adult presence after 6pm; shop staff feel unable to intervene.",
        "environment": "Poor lighting under the underpass; no youth provision nearby.",
        "weighting": GUARDIANSHIP,
        "weighting_reason": "Guardians in place would change how the group uses the space.",
    }
    fields.update(overrides)
    return work_services.context_record_add(actor=actor, context=context, **fields)


def add_action(actor, context, **overrides) -> ContextPlanAction:
    fields = {
        "side": GUARDIANSHIP,
        "description": "Detached youth work at the precinct on weekday evenings",
        "partner_agency": PartnerAgency.YOUTH_SERVICE,
        "owner": "Detached youth work lead",
        "due_date": today() + timedelta(days=30),
    }
    fields.update(overrides)
    return work_services.context_action_add(actor=actor, context=context, **fields)


def written() -> dict:
    """Everything the work services write, to show a refusal left nothing behind."""
    return {
        "records": ContextRecord.objects.count(),
        "actions": list(
            ContextPlanAction.objects.order_by("pk").values_list(
                "progress", "progress_note", "completed_on"
            )
        ),
        "events": Event.objects.filter(kind__in=[str(k) for k in WORK_EVENTS]).count(),
        "contexts": list(
            Context.objects.order_by("pk").values_list("version", "plan_review_date", "status")
        ),
    }
