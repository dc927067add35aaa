"""Reads of the audit tables. Access to them is checked by the caller's *_get_for_user."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import RecordAccess


def access_log_for_young_person(*, young_person) -> QuerySet[RecordAccess]:
    """Every view of the record, newest first, with the viewer's name and team in one query."""
    return (
        RecordAccess.objects.filter(young_person=young_person)
        .select_related("user", "user__team")
        .order_by("-accessed_at", "-pk")
    )
