"""The one place audit rows are written. Callers are services, inside their own transaction."""

from __future__ import annotations

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
