"""State builders and readers shared by the tests of correcting, withdrawing and redacting
context text (tests/contexts/test_corrections_*.py). Everything is made through the services.

The slipped name is a nickname ("Zeph"), which the thematic-text guard cannot know: the guard
refuses full names of young people, so a nickname or a name recorded before the young person
had a record is what these tools exist to take out.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.reference import PartnerAgency
from contexts.models import ContextPlanAction, ContextRecord, ContextStatusChange
from contexts.reference import ContextRecordKind, LinkEndRule, TriangleSide
from contexts.services import work as work_services
from contexts.services.contexts import context_close, context_open, context_reopen
from csafe.audit.models import Event, EventKind
from csafe.core.vocabulary import ContextKind

SLIPPED = "Zeph"
NOTE_WITH_NAME = "Zeph and two older members meet at the lockups after dark."
CLEAN_NOTE = "Three members meet at the lockups after dark."
TEXT_EVENTS = [
    EventKind.CONTEXT_TEXT_CORRECTED,
    EventKind.CONTEXT_TEXT_WITHDRAWN,
    EventKind.CONTEXT_TEXT_REDACTED,
]


def today():
    return timezone.localdate()


def open_group(lead):
    return context_open(
        actor=lead,
        kind=ContextKind.PEER_GROUP,
        opened_on=today() - timedelta(days=60),
        incident="Fights near the lockups",
        confirmed_not_duplicate=True,
        area="Lockside",
        label="",
        postcode="",
        location_type=None,
    )


def meeting_note(actor, context, **overrides) -> ContextRecord:
    fields = {
        "kind": ContextRecordKind.MEETING,
        "held_on": today() - timedelta(days=2),
        "functioning": NOTE_WITH_NAME,
        "guardianship": "No adult is at the lockups after 6pm.",
        "environment": "",
        "weighting": TriangleSide.GUARDIANSHIP,
        "weighting_reason": "Adults there would change how the group uses the place.",
    }
    return work_services.context_record_add(actor=actor, context=context, **fields | overrides)


def plan_action(actor, context) -> ContextPlanAction:
    return work_services.context_action_add(
        actor=actor,
        context=context,
        side=TriangleSide.GUARDIANSHIP,
        description=f"Youth work at the lockups; {SLIPPED} asked for it",
        partner_agency=PartnerAgency.YOUTH_SERVICE,
        owner="Youth work lead",
        due_date=today() + timedelta(days=30),
    )


def closure_and_reopening(lead, context) -> tuple[ContextStatusChange, ContextStatusChange]:
    closure = context_close(
        actor=lead,
        context=context,
        on=today(),
        reason=f"The group stopped meeting once {SLIPPED} moved away",
        functioning_change="Members meet less and in daylight.",
        guardianship_change="Youth workers are there three evenings a week.",
        environment_change="The lockups are lit.",
        links_rule=LinkEndRule.KEEP,
    )
    reopening = context_reopen(
        actor=lead, context=context, on=today(), reason="The group meets at night again"
    )
    return closure, reopening


def history_texts(row) -> list[str]:
    """Every text value of every history row of ``row``, read from the history table."""
    texts = []
    for version in row.history.model.objects.filter(id=row.pk).values():
        texts += [value for value in version.values() if isinstance(value, str)]
    return texts


def text_events(context):
    return list(Event.objects.filter(kind__in=[str(k) for k in TEXT_EVENTS]).order_by("pk"))
