"""A young person's own contexts, for their record. The caller has fetched the young person
through ``cases.selectors.young_person_get_for_user``; this is the only selector that joins a
young person to contexts, and nothing context-facing may use it."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import ContextLink


def links_for_young_person(*, young_person) -> QuerySet[ContextLink]:
    """Every link, current and ended, newest first, with the context."""
    return ContextLink.objects.filter(young_person=young_person).select_related(
        "context", "linked_by", "ended_by"
    )
