"""State builders and readers for contexts and their links, shared by the tests of linking
(tests/contexts/test_links.py), privacy, the API, the form fuzz and the benchmarks. Everything is
made through the services. Every person here is invented."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import LocationOfHarm, LocationType
from contexts.linking import services as link_services
from contexts.models import Context, ContextLink
from contexts.reference import LinkEndRule
from contexts.services.contexts import context_close, context_open
from csafe.audit.models import Event
from csafe.core.vocabulary import ContextKind
from csafe.notifications.models import Notification

OPENED = date(2025, 3, 1)


def open_context(actor, *, kind: str = ContextKind.PEER_GROUP, **details) -> Context:
    """Open a context through the service. Peer groups are named by area and month, schools by
    label, locations by type and postcode."""
    arguments = {"opened_on": OPENED, "confirmed_not_duplicate": True}
    if kind == ContextKind.PEER_GROUP:
        arguments["area"] = "Riverside"
    elif kind == ContextKind.LOCATION:
        arguments["location_type"] = LocationType.objects.order_by("pk").first()
        arguments["postcode"] = "NB7 3QT"
    else:
        arguments["label"] = "Harbourview Academy"
    return context_open(actor=actor, kind=kind, **(arguments | details))


def link(actor, context, young_person, reason="Seen with the group at the skate park"):
    return link_services.context_link_young_person(
        actor=actor, context=context, young_person=young_person, reason=reason
    )


def end(actor, a_link, reason="Moved out of the area"):
    return link_services.context_link_end(actor=actor, link=a_link, reason=reason)


def close(actor, context, links_rule=LinkEndRule.END):
    return context_close(
        actor=actor,
        context=context,
        on=timezone.localdate(),
        reason="The group no longer meets",
        functioning_change="Members have moved on to college courses",
        guardianship_change="Youth workers now run the Friday session",
        environment_change="The underpass is lit and watched",
        links_rule=links_rule,
    )


def place_of_harm(actor, young_person, **location) -> LocationOfHarm:
    """A referral with one place where harm happened, recorded through the referral service."""
    location = {"location_type": LocationType.objects.order_by("pk").first()} | (
        location or {"postcode": "NB7 3QT"}
    )
    outcome = case_services.referral_record(
        actor=actor,
        young_person=young_person,
        received_on=date(2025, 2, 3),
        source="1A",
        reason="Seen near the station late at night",
        nature_of_harm="extra_familial",
        decision="assessment",
        locations=[case_services.LocationInput(**location)],
    )
    return outcome.referral.locations.get()


def written() -> dict[str, int]:
    """What a refused request must leave as it was."""
    return {
        "links": ContextLink.objects.count(),
        "active": ContextLink.objects.filter(ended_at__isnull=True).count(),
        "linked_events": Event.objects.filter(kind="context.linked").count(),
        "ended_events": Event.objects.filter(kind="context.link_ended").count(),
        "versions": sum(Context.objects.values_list("version", flat=True)),
        "notifications": Notification.objects.count(),
    }


def location_link_url(young_person, place) -> str:
    return reverse("contexts:location_link", args=[young_person.pk, place.pk])
