"""Reads of assessments. Callers have fetched the young person through
``young_person_get_for_user``, which checked access."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Assessment, YoungPerson


def assessments_for_young_person(*, young_person: YoungPerson) -> QuerySet[Assessment]:
    """Newest first, with who authorised each, for the record page and the API list."""
    return Assessment.objects.filter(young_person=young_person).select_related(
        "authorised_by", "recorded_by"
    )
