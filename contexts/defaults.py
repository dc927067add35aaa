"""The starting naming conventions, one per kind of context, and the configuration row.
Administrators change them."""

from __future__ import annotations

from csafe.core.vocabulary import ContextKind

DEFAULT_CONVENTIONS = {
    ContextKind.PEER_GROUP: "{term} – {area} – {opened:%Y-%m}",
    ContextKind.SCHOOL: "{label}",
    ContextKind.LOCATION: "{location_type} – {postcode}",
    ContextKind.ONLINE: "Online – {label}",
    ContextKind.OTHER: "{label} – {area}",
}


def load_default_conventions(convention_model, configuration_model) -> int:
    """Create any missing convention and the configuration row; idempotent."""
    created = 0
    for kind, template in DEFAULT_CONVENTIONS.items():
        _, was_created = convention_model.objects.get_or_create(
            kind=str(kind), defaults={"template": template}
        )
        created += int(was_created)
    if not configuration_model.objects.exists():
        configuration_model.objects.create()
    return created
