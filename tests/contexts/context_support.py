"""State builders and readers for context records, shared by the tests of the context
services, pages and API, the guard and the reporting API. Everything is made through
the services; every person here is invented."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import LocationType
from contexts.linking.services import context_link_young_person
from contexts.models import Context, ContextLink, ContextStatusChange
from contexts.reference import LinkEndRule
from contexts.services import contexts as services
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from csafe.notifications.models import Notification
from harms.models import HarmType
from tests.factories import YoungPersonFactory

CONFLICT = (
    "Someone else changed this context after you opened it. Your changes have not been saved: "
    "check the context as it is now and make them again."
)
GANGS = "Gangs"
# The canary children: distinctive invented names that must never reach context-facing output.
CANARY_FIRST = "Perpetua"
CANARY_LAST = "Wolstenholme"
CANARY_IDENTIFIER = "CANARY0042"


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def park() -> LocationType:
    return LocationType.objects.get(name="Park or open space")


def harm_type(name: str) -> HarmType:
    return HarmType.objects.get(name=name)


def open_group(actor, *, area: str = "Eastfield", opened_on: date | None = None, **extra):
    """A peer group context, named "Group – <area> – <yyyy-mm>" by the default convention."""
    fields = {
        "kind": ContextKind.PEER_GROUP,
        "area": area,
        "opened_on": opened_on or days_ago(20),
        "incident": "Fight at the skate park after school",
        "description": "Older and younger members meet at the skate park most evenings",
        "confirmed_not_duplicate": True,
    } | extra
    return services.context_open(actor=actor, **fields)


def open_location(actor, *, postcode: str = "NB1 2AA", **extra):
    """A location context, named "<location type> – <postcode>" by the default convention."""
    fields = {
        "kind": ContextKind.LOCATION,
        "location_type": park(),
        "postcode": postcode,
        "opened_on": days_ago(20),
        "confirmed_not_duplicate": True,
    } | extra
    return services.context_open(actor=actor, **fields)


def group_name(area: str = "Eastfield", opened_on: date | None = None) -> str:
    return f"Group – {area} – {(opened_on or days_ago(20)):%Y-%m}"


def closure(**overrides) -> dict:
    return {
        "on": today(),
        "reason": "Safety has increased: the group no longer meets at the skate park",
        "functioning_change": "Fewer members; the older members have moved on",
        "guardianship_change": "Park wardens and detached youth workers are there most evenings",
        "environment_change": "The park is lit and the gap in the fence is closed",
        "links_rule": LinkEndRule.KEEP,
    } | overrides


def close(actor, context, **overrides):
    return services.context_close(actor=actor, context=context, **closure(**overrides))


def reopen(actor, context, **overrides):
    fields = {"on": today(), "reason": "The group is meeting again"} | overrides
    return services.context_reopen(actor=actor, context=context, **fields)


def canary_child(team_manager, practitioner):
    """A second invented child in team A, allocated to ``practitioner``."""
    person = YoungPersonFactory(
        actor=team_manager,
        first_name=CANARY_FIRST,
        last_name=CANARY_LAST,
        local_identifier=CANARY_IDENTIFIER,
        date_of_birth=date(2010, 2, 3),
    )
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    return person


def link(actor, context, young_person, reason: str = "Seen with the group at the skate park"):
    """Link through the links service (it checks the actor may change the young person)."""
    return context_link_young_person(
        actor=actor, context=context, young_person=young_person, reason=reason
    )


def details_of(context) -> dict:
    """What context_update takes, as the context has it now."""
    return {
        "label": context.label,
        "area": context.area,
        "postcode": context.postcode,
        "location_type": context.location_type,
        "opened_on": context.opened_on,
        "incident": context.incident,
        "description": context.description,
        "harm_types": list(context.harm_types.all()),
        "lead_practitioner": context.lead_practitioner,
    }


def update(actor, context, **changes):
    context.refresh_from_db()
    return services.context_update(
        actor=actor,
        context=context,
        expected_version=changes.pop("expected_version", context.version),
        **(details_of(context) | changes),
    )


def snapshot() -> dict[str, int]:
    return {
        "contexts": Context.objects.count(),
        "status_changes": ContextStatusChange.objects.count(),
        "active_links": ContextLink.objects.filter(ended_at__isnull=True).count(),
        # A refusal's own audit event (contexts.guard) is the one thing a refused write leaves.
        "events": Event.objects.exclude(kind=EventKind.CONTEXT_TEXT_REFUSED).count(),
        "notifications": Notification.objects.count(),
    }


def refused(act, message: str, field: str | None = None) -> ApplicationError:
    before = snapshot()
    with pytest.raises(ApplicationError) as caught:
        act()
    assert caught.value.message == message
    if field is not None:
        assert caught.value.field == field
    assert snapshot() == before, "nothing may be half-saved"
    return caught.value
