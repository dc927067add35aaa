"""The starting list of location types: common places where extra-familial
harm happens (park, stairwell, bus stop, shop, school, home of an adult, online platform...).
Administrators add to it; types are retired, never deleted."""

from __future__ import annotations

LOCATION_TYPES = [
    "Park or open space",
    "Stairwell or communal area",
    "Bus stop",
    "Shop or takeaway",
    "School or college",
    "Transport hub (station, interchange)",
    "Street",
    "Estate",
    "Home of an adult",
    "Party or gathering at a private address",
    "Online platform",
    "Other",
]


# Someone's home: contexts for these are named without the full postcode.
PRIVATE_ADDRESS_TYPES = {"Home of an adult", "Party or gathering at a private address"}


def load_default_location_types(location_type_model) -> int:
    """Create any missing default location types; idempotent. Returns how many it created.
    Works on the model as any migration sees it (the private-address flag came later)."""
    flagged = any(f.name == "is_private_address" for f in location_type_model._meta.fields)
    created = 0
    for order, name in enumerate(LOCATION_TYPES, start=1):
        defaults = {"sort_order": order * 10}
        if flagged:
            defaults["is_private_address"] = name in PRIVATE_ADDRESS_TYPES
        _, was_created = location_type_model.objects.get_or_create(name=name, defaults=defaults)
        created += int(was_created)
    return created


# Plan kinds that go into force only when a team manager of the holding team signs them off. A
# child protection plan is made at a conference (its date is recorded instead); a looked-after
# child's care plan is reviewed by the independent reviewing officer.
PLAN_KINDS_NEEDING_SIGN_OFF = {"cin", "early_help"}


def load_default_plan_sign_off_rules(rule_model) -> int:
    """One sign-off rule per plan kind, leaving any an administrator has set; idempotent.
    Returns how many it created."""
    from .reference import PlanKind

    created = 0
    for kind in PlanKind.values:
        _, was_created = rule_model.objects.get_or_create(
            kind=kind, defaults={"needs_sign_off": kind in PLAN_KINDS_NEEDING_SIGN_OFF}
        )
        created += int(was_created)
    return created
