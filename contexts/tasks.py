"""Background work for context records. Tasks load by id and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from csafe.accounts.models import User
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create

from .linked_professionals import linked_practitioner_ids
from .models import Context


# A database error that may pass (a restart, a fail-over) is retried after about 30 s, 1, 2, 4
# and 8 minutes (jittered); the dedupe keys make a retry after a partial run create only the rest.
@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=5,
)
def context_notify_change(
    self,
    context_id: int,
    change: str,
    actor_id: int | None,
    version: int,
    recipient_ids: list[int] | None = None,
) -> int:
    """One notification per practitioner of a linked young person (not the person who made the
    change), however many of their young people are linked. Idempotent: the dedupe key names the
    context, its version after the change, and the recipient (every notified change raises the
    version), so a re-delivered task creates nothing new. Returns how many were created.

    The notification, and the e-mail made from its title, name the context and the change
    (``change`` is a fixed phrase from the service, such as "Meeting note recorded") and never a
    child: the recipients come from ``linked_practitioner_ids``, which returns staff ids only."""
    context = Context.objects.get(pk=context_id)
    linked = linked_practitioner_ids(context=context) if recipient_ids is None else recipient_ids
    ids = [pk for pk in linked if pk != actor_id]
    url = reverse("contexts:detail", args=[context.pk])
    # The title is what the e-mail carries, so it says what changed as well as where.
    title = f"{change}: {context.name}"[:200]
    created = 0
    for worker in User.objects.filter(pk__in=ids).order_by("pk"):
        _, was_created = notification_create(
            recipient=worker,
            kind=NotificationKind.CONTEXT_UPDATED,
            title=title,
            body=(
                f"{change} on the context record {context.name}. You are told because a young "
                "person you work with is linked to this context."
            ),
            url=url,
            dedupe_key=f"context:{context.pk}:v{version}:{worker.pk}",
        )
        created += int(was_created)
    return created
