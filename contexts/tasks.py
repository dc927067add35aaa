"""Background work for context records. Tasks load by id and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from csafe.accounts.models import User
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create

from .models import Context
from .selectors import linked_practitioner_ids


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def context_notify_change(
    self, context_id: int, change: str, actor_id: int | None, version: int
) -> int:
    """One notification per practitioner of a linked young person (not the person who made the
    change). Idempotent: the dedupe key names the context, its version after the change, and the
    recipient (every notified change raises the version), so a re-delivered task creates nothing
    new. Returns how many were created."""
    context = Context.objects.get(pk=context_id)
    ids = [pk for pk in linked_practitioner_ids(context=context) if pk != actor_id]
    created = 0
    for worker in User.objects.filter(pk__in=ids).order_by("pk"):
        worker_id = worker.pk
        _, was_created = notification_create(
            recipient=worker,
            kind=NotificationKind.CONTEXT_UPDATED,
            title=f"Context record updated: {context.name}",
            body=f"{change} on the context record {context.name}.",
            url=reverse("contexts:detail", args=[context.pk]),
            dedupe_key=f"context:{context.pk}:v{version}:{worker_id}",
        )
        created += int(was_created)
    return created
