"""The one guard on text that reaches a context record.

Every context write service passes every piece of text it is about to save through
``refuse_identities`` and is wrapped in ``thematic_write`` instead of ``transaction.atomic``.
What is recognised as a person's identity is decided in one place, ``cases.identity``; this
module decides what a refusal does:

* it says which field and why, naming no one (``IdentityRefused``: a field error on pages and
  in the API's 400);
* it writes an audit event (who, when, which context, field and rule, never the text) that
  survives the rollback of the refused write (``thematic_write``);
* after ``CSAFE_GUARD_REFUSAL_LIMIT`` refusals in ``CSAFE_GUARD_WINDOW_MINUTES``, that person's
  context text is not checked, and so not saved, until the window has passed.

The guard is no oracle: beyond the generic rules, it matches only the young people the writer
can already open (``cases.identity.identities_visible_to``), so whether a text is refused never
depends on a young person the writer cannot see. The README's privacy section says why and
what it cannot do.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases.identity import FindingKind, find_identity, identities_visible_to, staff_names
from csafe.audit.models import Event, EventKind
from csafe.audit.services import event_record
from csafe.core.errors import InvalidError, TooManyAttemptsError

from .models import Context

# Short, as GOV.UK error messages are: the page says above the form why context records are
# thematic; each message says what to do, and why in a few words.
_READ_BY_ALL = "everyone working on contexts can read this"
MESSAGES = {
    FindingKind.NAME: (
        f"Take out the person’s name: {_READ_BY_ALL}. Describe people by their role or as a "
        "group, such as “a young person” or “older males” (names of csafe staff "
        "can stay)"
    ),
    FindingKind.IDENTIFIER: f"Take out the reference number or NHS number: {_READ_BY_ALL}",
    FindingKind.RECORD_LINK: f"Take out the link to a young person’s record: {_READ_BY_ALL}",
    FindingKind.DATE_OF_BIRTH: f"Take out the date of birth: {_READ_BY_ALL}",
    FindingKind.ADDRESS: f"Take out the young person’s address: {_READ_BY_ALL}",
}
NAME_MESSAGE = MESSAGES[FindingKind.NAME]
THROTTLED_MESSAGE = (
    "Too much of your context text has been refused in a short time, so context text you write "
    "is not being saved for the next {minutes} minutes. Nothing has been saved. If you think "
    "the check is wrong, ask your team manager."
)


class IdentityRefused(InvalidError):
    """Text that would put a person's identity on a context: one message per field."""

    def __init__(self, errors: dict[str, FindingKind], *, context_id: int | None, actor):
        self.errors = errors
        self.context_id = context_id
        self.actor = actor
        # Where the refusal's audit event was written (the stack of savepoints then), so that
        # an enclosing ``thematic_write`` knows whether its rollback took the event with it.
        self.recorded_in: list[str] | None = None
        field, kind = next(iter(errors.items()))
        super().__init__(MESSAGES[kind], field=field, code="identity")

    def as_field_errors(self) -> dict[str, list[str]]:
        return {field: [MESSAGES[kind]] for field, kind in self.errors.items()}


class IdentityCheckThrottled(TooManyAttemptsError):
    """Every check paused for a writer after too many refusals in a short time (code
    "throttled"): a 429 from the API, the message on the form on pages."""

    def __init__(self, *, context_id: int | None, actor):
        self.context_id = context_id
        self.actor = actor
        self.recorded_in: list[str] | None = None
        minutes = settings.CSAFE_GUARD_WINDOW_MINUTES
        super().__init__(THROTTLED_MESSAGE.format(minutes=minutes))


def _throttled(actor) -> bool:
    if not getattr(actor, "pk", None):
        return False
    since = timezone.now() - timedelta(minutes=settings.CSAFE_GUARD_WINDOW_MINUTES)
    refusals = Event.objects.filter(
        kind=EventKind.CONTEXT_TEXT_REFUSED, actor_id=actor.pk, occurred_at__gte=since
    )
    return refusals.count() >= settings.CSAFE_GUARD_REFUSAL_LIMIT


def refuse_identities(
    *, actor, context=None, also: Iterable[tuple[str, str]] = (), **texts: str
) -> None:
    """Refuse (IdentityRefused) when any of ``texts`` (field name: text) carries a person's
    identity, as ``cases.identity`` recognises it for ``actor``; refuse every check while
    ``actor`` is throttled (IdentityCheckThrottled). Three queries when there is text: the
    throttle, the young people ``actor`` can see, the staff names. ``also``: more (field, text)
    pairs, for a text refused against a field it does not come from (a context's name, against
    the first detail it is made from)."""
    present = [(field, text) for field, text in (*texts.items(), *also) if text and text.strip()]
    if not present:
        return
    # A context, or the pk of one (a check of a context's new details before it is locked).
    context_id = getattr(context, "pk", context)
    if _throttled(actor):
        raise IdentityCheckThrottled(context_id=context_id, actor=actor)
    known = identities_visible_to(actor) if getattr(actor, "pk", None) else []
    staff = staff_names()
    errors = {}
    for field, text in present:
        if field in errors:
            continue
        finding = find_identity(
            text,
            known=known,
            staff=staff,
            identifier_patterns=settings.CSAFE_IDENTIFIER_PATTERNS,
        )
        if finding is not None:
            errors[field] = finding.kind
    if errors:
        raise IdentityRefused(errors, context_id=context_id, actor=actor)


def _record(refusal: IdentityRefused | IdentityCheckThrottled) -> None:
    actor = refusal.actor
    if not getattr(actor, "pk", None):
        return
    target = Context.objects.filter(pk=refusal.context_id).first() if refusal.context_id else None
    if isinstance(refusal, IdentityRefused):
        kind = EventKind.CONTEXT_TEXT_REFUSED
        detail = {
            "context": refusal.context_id,
            "fields": sorted(refusal.errors),
            "rules": sorted({str(k) for k in refusal.errors.values()}),
        }
    else:
        kind = EventKind.CONTEXT_TEXT_THROTTLED
        detail = {"context": refusal.context_id}
    event_record(actor=actor, kind=kind, target=target or actor, detail=detail)


def thematic_write(service):
    """``transaction.atomic`` for a service that writes context text, which also writes the
    audit event of a refusal once the refused change has been rolled back (inside the atomic
    block it would be rolled back with it). Nested: the event is written again by an outer
    ``thematic_write`` when the outer rollback took it away."""
    atomic_service = transaction.atomic(service)

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return atomic_service(*args, **kwargs)
        except (IdentityRefused, IdentityCheckThrottled) as refusal:
            written = refusal.recorded_in
            # Still there only if it was written at this depth or above it.
            if written is None or len(written) > len(connection.savepoint_ids):
                with transaction.atomic():
                    _record(refusal)
                refusal.recorded_in = list(connection.savepoint_ids)
            raise

    return wrapper
