"""Reads of plans. Callers have fetched the young person through ``young_person_get_for_user``,
which checked access."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Plan, YoungPerson


def plans_for_young_person(*, young_person: YoungPerson) -> QuerySet[Plan]:
    """Newest first, for the record page and the API list."""
    return Plan.objects.filter(young_person=young_person)
