"""Reads of management oversight notes. Callers have fetched the young person through
``young_person_get_for_user``, which checked access."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import OversightNote, YoungPerson


def oversight_notes_for_young_person(*, young_person: YoungPerson) -> QuerySet[OversightNote]:
    """Newest first: by the date of the oversight, then the most recently recorded. Each with
    who recorded it, in one query."""
    return (
        OversightNote.objects.filter(young_person=young_person)
        .select_related("recorded_by")
        .order_by("-recorded_on", "-pk")
    )
