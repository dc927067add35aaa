"""URLs, readers and form builders shared by the tests of the pages of context records."""

from __future__ import annotations

from django.urls import reverse

from tests.contexts.context_support import GANGS, days_ago, harm_type, today
from tests.html_forms import date_fields

WORKERS = ["practitioner", "team_manager", "teammate", "other_team_practitioner"]
READERS = [*WORKERS, "service_manager"]
LIST = reverse("contexts:list")
NEW = reverse("contexts:new")


def closing(context, **overrides) -> dict:
    return {
        **date_fields("on", today()),
        "functioning_change": "Fewer members",
        "guardianship_change": "Wardens most evenings",
        "environment_change": "The park is lit",
        "reason": "Safety has increased",
        "links_rule": "end",
        "version": str(context.version),
    } | overrides


def url(name: str, context) -> str:
    return reverse(f"contexts:{name}", args=[context.pk])


def opening(**overrides) -> dict[str, str]:
    """The form for a peer group in Eastfield opened 20 days ago (named group_name())."""
    return {
        "kind": "peer_group",
        "area": "Eastfield",
        "incident": "Fight at the skate park after school",
        **date_fields("opened_on", days_ago(20)),
        "harm_types": [str(harm_type(GANGS).pk)],
        "step": "check",
    } | overrides


def with_lead(data: dict, lead) -> dict:
    return data | {"lead_practitioner": str(lead.pk)}


def editing(context, **overrides) -> dict:
    return {
        "label": context.label,
        "area": context.area,
        "postcode": context.postcode,
        "location_type": str(context.location_type_id or ""),
        **date_fields("opened_on", context.opened_on),
        "incident": context.incident,
        "description": context.description,
        "harm_types": [str(pk) for pk in context.harm_types.values_list("pk", flat=True)],
        "lead_practitioner": str(context.lead_practitioner_id),
        "version": str(context.version),
    } | overrides
