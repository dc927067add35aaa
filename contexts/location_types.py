"""The types of location a neighbourhood or location context may have (park, stairwell, bus
stop, ...): reference data, not about any person. The list lives in cases (``cases.LocationType``)
because a referral's locations of harm use the same one, so that both are counted alike.

Thematic code reaches it here, through the foreign key of ``Context.location_type``, rather than
by importing ``cases.models``, which holds young people and which the import contract in
pyproject.toml forbids thematic code to import. Call it once the app registry is ready (from a
form, serializer or view module, as Django loads them)."""

from __future__ import annotations

from django.db import models

from .models import Context


def location_type_model() -> type[models.Model]:
    """``cases.LocationType``, as the model that ``Context.location_type`` points at."""
    return Context._meta.get_field("location_type").related_model
