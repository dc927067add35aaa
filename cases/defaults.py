"""The starting list of location types, from the product brief's examples of where extra-familial
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


def load_default_location_types(location_type_model) -> int:
    """Create any missing default location types; idempotent. Returns how many it created."""
    created = 0
    for order, name in enumerate(LOCATION_TYPES, start=1):
        _, was_created = location_type_model.objects.get_or_create(
            name=name, defaults={"sort_order": order * 10}
        )
        created += int(was_created)
    return created
