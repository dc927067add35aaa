"""Rules every context service shares."""

from __future__ import annotations

from django.db import transaction

from csafe.core.versioning import require_version

from ..models import Context
from ..tasks import context_notify_change

CONFLICT_MESSAGE = (
    "Someone else changed this context after you opened it. Your changes have not been "
    "saved: check the context as it is now and make them again."
)


def check_version(context: Context, expected_version: int | None) -> None:
    """ConflictError, carrying the version saved now, when ``context`` (locked) is not at the
    version the editor loaded."""
    require_version(context, expected_version, CONFLICT_MESSAGE)


def notify_linked_practitioners(
    *, context: Context, change: str, actor, recipient_ids: list[int] | None = None
) -> None:
    """After commit, tell the practitioners of linked young people what changed (in the app and
    by e-mail). The notification names the context and the change, never a child. The caller
    must have raised ``context.version`` for this change: the version keys the notifications,
    so each change is told once. A change that itself ends links (closing with "end every link")
    passes ``recipient_ids`` read before the links ended, or nobody would be told."""
    actor_id = getattr(actor, "pk", None)
    version = context.version
    transaction.on_commit(
        lambda: context_notify_change.delay(context.pk, change, actor_id, version, recipient_ids)
    )
