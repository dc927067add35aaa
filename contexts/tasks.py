"""Background work for context records. Tasks load by id and are safe to run twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.urls import reverse

from csafe.accounts.models import User
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_gather

from .linked_professionals import linked_practitioner_ids
from .models import Context


# A database error that may pass (a restart, a fail-over) is retried after about 30 s, 1, 2, 4
# and 8 minutes (jittered); the change keys make a retry after a partial run gather only the rest.
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
    """Tell each practitioner of a linked young person (not the person who made the change),
    however many of their young people are linked. Changes to one context within
    ``CSAFE_CONTEXT_DIGEST_MINUTES`` reach each of them as one notification listing what
    changed, e-mailed once when the window ends (``notification_gather``). Idempotent: the
    change's key names the context, its version after the change, and the recipient (every
    notified change raises the version), so a re-delivered task gathers nothing new. Returns
    how many (recipient, change) pairs were new.

    The notification, and the e-mail made from it, name the context and the changes (each
    ``change`` is a fixed phrase from the service, such as "Meeting note recorded") and never a
    child: the recipients come from ``linked_practitioner_ids``, which returns staff ids only."""
    context = Context.objects.get(pk=context_id)
    linked = linked_practitioner_ids(context=context) if recipient_ids is None else recipient_ids
    ids = [pk for pk in linked if pk != actor_id]
    url = reverse("contexts:detail", args=[context.pk])
    window = timedelta(minutes=settings.CSAFE_CONTEXT_DIGEST_MINUTES)
    created = 0
    for worker in User.objects.filter(pk__in=ids).order_by("pk"):
        _, was_new = notification_gather(
            recipient=worker,
            kind=NotificationKind.CONTEXT_UPDATED,
            group_key=f"context:{context.pk}",
            change_key=f"context:{context.pk}:v{version}:{worker.pk}",
            change=change,
            url=url,
            window=window,
            describe=partial(describe_changes, context.name),
        )
        created += int(was_new)
    return created


def describe_changes(name: str, changes: Sequence[str]) -> tuple[str, str]:
    """The title (what the e-mail carries, so it says what changed as well as where) and body
    of a notification of ``changes`` to the context called ``name``."""
    why = "You are told because a young person you work with is linked to this context."
    if len(changes) == 1:
        [change] = changes
        return f"{change}: {name}", f"{change} on the context record {name}. {why}"
    listed = "; ".join(changes)
    return (
        f"{len(changes)} changes: {name}",
        f"{len(changes)} changes on the context record {name}: {listed}. {why}",
    )
