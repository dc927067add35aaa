"""The one place audit rows are written. Callers are services, inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AccessChannel, Event, EventKind, RecordAccess


def event_record(
    *,
    actor,
    kind: EventKind,
    target: models.Model,
    young_person=None,
    detail: dict[str, Any] | None = None,
) -> Event:
    """Write one domain event. Must be called inside the transaction that made the change."""
    return Event.objects.create(
        kind=EventKind(kind).value,  # ValueError for a kind nobody registered
        actor=actor if getattr(actor, "pk", None) else None,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        young_person=young_person,
        detail=detail or {},
    )


def record_access_log(*, user, young_person, channel: AccessChannel, resource: str) -> RecordAccess:
    """Note that ``user`` viewed ``young_person``'s record through ``channel``."""
    return RecordAccess.objects.create(
        user=user, young_person=young_person, channel=channel, resource=resource[:200]
    )


def record_access_log_many(*, user, young_person_ids, channel: AccessChannel, resource: str) -> int:
    """Note that ``user`` viewed each of ``young_person_ids`` at once (an export naming many
    young people), one row each, in bulk. Returns the number of rows written."""
    rows = [
        RecordAccess(user=user, young_person_id=pk, channel=channel, resource=resource[:200])
        for pk in dict.fromkeys(young_person_ids)
    ]
    RecordAccess.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def record_list_access(*, user, young_people: Iterable, resource: str) -> int:
    """Note that each of ``young_people`` (records or their ids) was shown to ``user`` as a row
    of a list: a search, a filtered caseload, a drill-down, a review queue. One "list" row each,
    in one INSERT (none for an empty list); returns the number written.

    Pass only the rows actually on screen (the current page, not the queryset behind it), in the
    request that shows them. Whether a list must be logged is the caller's rule: drill-downs and
    review queues always are; the caseload asks cases.selectors.caseload_rows_to_log. ``resource``
    is the path, never the query string: a search term can name a child."""
    ids = [getattr(person, "pk", person) for person in young_people]
    if not ids:
        return 0
    return record_access_log_many(
        user=user, young_person_ids=ids, channel=AccessChannel.LIST, resource=resource
    )
