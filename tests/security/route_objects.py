"""The objects of ``world`` (tests/security/conftest.py) that a route's path parameters point at.

A support module for the tests that ask every route (tests/security/test_route_access.py,
tests/security/test_query_fuzz.py): ``object_for`` names the object of ``world`` a parameter
names, from the path segment before it; ``route_kwargs`` fills a route's whole path.
"""

from __future__ import annotations

import re

# The object a parameter names is decided by the path segment before it: the pk after
# "assessments" is an assessment, the one after "young-people" a young person. A "factors" or
# "actions" segment belongs to the nearest of these owners before it.
SEGMENT_OBJECTS = {
    "young-people": "young_person",
    "allocations": "allocation",
    "assessments": "assessment",
    "plans": "plan",
    "documents": "document",
    "harm-flags": "flag",
    "flags": "flag",
    "harm-types": "harm_type",
    "contexts": "context",
    "records": "context_record",
    "status-changes": "status_change",
    "links": "link",
    "context-links": "link",
    "locations-of-harm": "place",
    "notifications": "notification",
    "exports": "export_job",
    "naming": "convention_kind",
    "dashboard": "measure",
    "measures": "measure",
    "rules": "retention_rule",
    "api-token": "api_token",
}
NESTED_OBJECTS = {
    ("assessments", "factors"): "assessment_factor",
    ("plans", "factors"): "plan_factor",
    ("plans", "actions"): "plan_action",
    ("contexts", "actions"): "context_action",
}
OWNERS = {"assessments", "plans", "contexts"}
# Where the segment is not enough.
ROUTE_OBJECTS = {
    # Reinstating needs an archived flag.
    ("flags:reinstate", "pk"): "archived_flag",
    ("POST /api/v1/young-people/{young_person_pk}/flags/{id}/reinstate/", "id"): "archived_flag",
    # retention/<record_kind>/<pk>/: the young person's case.
    ("retention:decide", "record_kind"): "record_kind",
    ("retention:decide", "pk"): "young_person",
    # set-password/<uidb64>/<token>/: a link that does not work.
    ("accounts:password_set", "uidb64"): "password_link_uid",
    ("accounts:password_set", "token"): "password_link_token",
}


def _segments(pattern: str) -> list[str]:
    """The pattern's path segments, each parameter written "{name}" (from Django's <int:name>,
    a regex's (?P<name>...) or the schema's {name})."""
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
    for noise in ("^", "$", "\\", "/?"):
        text = text.replace(noise, "/" if noise == "/?" else "")
    return [segment for segment in text.split("/") if segment]


def object_for(route_key: str, pattern: str, parameter: str) -> str:
    """The world's key for ``parameter`` of the route (pattern in Django or schema form)."""
    if (route_key, parameter) in ROUTE_OBJECTS:
        return ROUTE_OBJECTS[(route_key, parameter)]
    segments = _segments(pattern)
    here = next((i for i, s in enumerate(segments) if f"{{{parameter}}}" in s), None)
    if here is None:
        raise LookupError(f"{route_key}: cannot find {parameter} in {pattern}")
    before = segments[here - 1] if here else ""
    owner = next((s for s in reversed(segments[: max(here - 1, 0)]) if s in OWNERS), None)
    if (owner, before) in NESTED_OBJECTS:
        return NESTED_OBJECTS[(owner, before)]
    if before in SEGMENT_OBJECTS:
        return SEGMENT_OBJECTS[before]
    raise LookupError(
        f"{route_key}: no object for {parameter} after '{before}' in {pattern}; teach "
        "SEGMENT_OBJECTS or ROUTE_OBJECTS (tests/security/route_objects.py) what it is"
    )


def route_kwargs(world, route_key: str, pattern: str, parameters) -> dict:
    kwargs = {}
    for parameter in parameters:
        if parameter == "format":
            kwargs[parameter] = "json"
        else:
            kwargs[parameter] = world.objects[object_for(route_key, pattern, parameter)]
    return kwargs
