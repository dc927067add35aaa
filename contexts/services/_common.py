"""Rules every context service shares."""

from __future__ import annotations

import re

from django.db import transaction

from csafe.core.errors import ApplicationError

from ..models import Context, ContextLink

THEMATIC_MESSAGE = (
    "Context records are thematic: they describe the group, place or setting, not the children "
    "in it, because everyone working on the context can read them. This text names {name}, who "
    "is linked to this context. Describe what you saw without naming the young person; write "
    "about them on their own record."
)


def lock_context(context: Context) -> Context:
    return Context.objects.select_for_update().get(pk=context.pk)


def check_version(context: Context, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != context.version:
        raise ApplicationError(
            "Someone else changed this context after you opened it. Your changes have not been "
            "saved: check the context as it is now and make them again.",
            code="conflict",
        )


def _words(text: str) -> str:
    # Apostrophes split words, so "Dilly Wrackenbury's mentor" still contains the full name;
    # hyphens do not, so a double-barrelled surname stays whole.
    return " ".join(re.findall(r"[\w-]+", text.lower()))


def refuse_linked_names(context: Context, **texts: str) -> None:
    """Refuse text that contains the full name (first or preferred name with last name) of a young
    person linked to the context, now or before. The message names the field, and names the
    child only back to the person who typed them."""
    links = ContextLink.objects.filter(context=context).select_related("young_person")
    names = set()
    for link in links:
        person = link.young_person
        for first in filter(None, (person.first_name, person.preferred_name)):
            names.add((_words(f"{first} {person.last_name}"), f"{first} {person.last_name}"))
    if not names:
        return
    for field, text in texts.items():
        haystack = f" {_words(text or '')} "
        for needle, shown in names:
            if needle and f" {needle} " in haystack:
                raise ApplicationError(THEMATIC_MESSAGE.format(name=shown), field=field)


def notify_linked_practitioners(
    *, context: Context, change: str, actor, recipient_ids: list[int] | None = None
) -> None:
    """After commit, tell the practitioners of linked young people what changed (in the app and
    by e-mail). The notification names the context and the change, never a child. The caller
    must have raised ``context.version`` for this change: the version keys the notifications,
    so each change is told once. A change that itself ends links (closing with "end every link")
    passes ``recipient_ids`` read before the links ended, or nobody would be told."""
    from ..tasks import context_notify_change

    actor_id = getattr(actor, "pk", None)
    version = context.version
    transaction.on_commit(
        lambda: context_notify_change.delay(context.pk, change, actor_id, version, recipient_ids)
    )
