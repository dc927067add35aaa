"""Linking young people to contexts, ending those links, and tying a referral's location of harm
to a location context.

Every write here needs the acting user's ``change`` permission on the young person, checked in
the service so that the pages and the API refuse alike. The refusal never says whether the young
person exists: it reads the same for a record the user cannot see as for one they can only view.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import permissions as case_permissions
from cases.models import LocationOfHarm, YoungPerson
from cases.services.young_people import _lock as lock_young_person
from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from ..models import Context, ContextLink
from ..reference import ContextKind, ContextStatus
from ._common import lock_context, text_contains_name

NO_PERMISSION = (
    "You can only link a young person to a context, or end their link, if you can change their "
    "record. Ask their allocated worker or their team manager."
)
NO_PERMISSION_LOCATION = (
    "You can only link a place where harm happened to a context if you can change the young "
    "person's record. Ask their allocated worker or their team manager."
)
CHOOSE_CONTEXT = "Choose an open context to link to"
ALREADY_LINKED = "This young person is already linked to this context"
CONTEXT_CLOSED = "This context is closed. Reopen it before linking anyone to it."
LINK_ENDED = "This link has already ended"
REASON_REQUIRED = "Enter why the young person is linked to this context"
END_REASON_REQUIRED = "Enter why the link is ending"
NOT_A_LOCATION = "Choose a neighbourhood or location context: a place can only be part of one"
LOCATION_ALREADY_LINKED = "This place is already linked to this context"


def named_in_context_message(name: str) -> str:
    return (
        f"You cannot link {name} to this context because its details contain their full name. "
        "Context records are thematic and everyone working on the context can read them: ask "
        "the lead practitioner to take the name out of the context's details first."
    )


def _named_in_context(context: Context, young_person: YoungPerson) -> str | None:
    """The full name of ``young_person`` (first or preferred name with last name) if the
    context's name, label, area, incident or description contains it."""
    texts = (context.name, context.label, context.area, context.incident, context.description)
    for first in filter(None, (young_person.first_name, young_person.preferred_name)):
        full = f"{first} {young_person.last_name}"
        if any(text_contains_name(text, full) for text in texts):
            return full
    return None


def _can_change(actor: User, young_person: YoungPerson) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and case_permissions.user_has_perm(actor, case_permissions.CHANGE, young_person)
    )


def _active_link_exists(*, context: Context, young_person: YoungPerson) -> bool:
    return ContextLink.objects.filter(
        context=context, young_person=young_person, ended_at__isnull=True
    ).exists()


@transaction.atomic
def context_link_young_person(
    *, actor: User, context: Context, young_person: YoungPerson, reason: str
) -> ContextLink:
    """Link ``young_person`` to the open ``context``, saying why.

    Needs ``change`` on the young person. One active link per child and context: a second is
    refused, by the check here and, for two requests racing past it, by the database constraint.
    Linking again after a link ended makes a new link, so the history of both stays. Refused
    when the context's details contain the young person's full name (the message names them:
    the linker can see them), so that linking never ties a named child to a context everyone
    can read.

    Linking changes the young person's record, not the context: nobody is notified and the
    context's version stays (a notification per link would be a timeline of a child on the
    context side)."""
    # The young person first, then the context, in every service here: one order, no deadlock.
    # The lock also queues two requests linking the same child so the second sees the first.
    young_person = lock_young_person(young_person)
    if not _can_change(actor, young_person):
        raise ApplicationError(NO_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(REASON_REQUIRED, field="reason")
    context = lock_context(context)
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(CONTEXT_CLOSED, field="context")
    if _active_link_exists(context=context, young_person=young_person):
        raise ApplicationError(ALREADY_LINKED, field="context")
    named = _named_in_context(context, young_person)
    if named:
        raise ApplicationError(named_in_context_message(named), field="context")
    link = ContextLink(
        context=context,
        young_person=young_person,
        reason=reason,
        linked_by=actor,
        linked_at=timezone.now(),
    )
    link._history_user = actor
    # The constraint is the database's to hold (see below), not full_clean's.
    link.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        raise ApplicationError(ALREADY_LINKED, field="context") from exc
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_LINKED,
        target=link,
        young_person=young_person,
        detail={"context": context.pk},
    )
    return link


@transaction.atomic
def context_link_end(*, actor: User, link: ContextLink, reason: str) -> ContextLink:
    """End an active link, with a reason, when the context is no longer relevant to that young
    person. The context stays as it is (open or closed) for everyone else: nobody is notified
    and its version stays, as for linking. Needs ``change`` on the young person."""
    young_person = lock_young_person(link.young_person)
    if not _can_change(actor, young_person):
        raise ApplicationError(NO_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(END_REASON_REQUIRED, field="reason")
    context = lock_context(link.context)
    link = ContextLink.objects.select_for_update().get(pk=link.pk)
    if link.ended_at is not None:
        raise ApplicationError(LINK_ENDED)
    link.ended_at = timezone.now()
    link.ended_by = actor
    link.end_reason = reason
    link._history_user = actor
    link.full_clean(validate_constraints=False)
    link.save(update_fields=["ended_at", "ended_by", "end_reason"])
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_LINK_ENDED,
        target=link,
        young_person=young_person,
        detail={"context": context.pk},
    )
    return link


@transaction.atomic
def location_of_harm_link_context(
    *, actor: User, location: LocationOfHarm, context: Context
) -> LocationOfHarm:
    """Record that a place where harm happened, from a referral, is part of an open location
    context. Needs ``change`` on the young person whose referral it is. The young person is not
    linked to the context by this: that is a decision of its own, with its own reason."""
    young_person = lock_young_person(location.young_person)
    if not _can_change(actor, young_person):
        raise ApplicationError(NO_PERMISSION_LOCATION)
    context = lock_context(context)
    if context.kind != ContextKind.LOCATION:
        raise ApplicationError(NOT_A_LOCATION, field="context")
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(CONTEXT_CLOSED, field="context")
    location = LocationOfHarm.objects.select_for_update().get(pk=location.pk)
    if location.context_id == context.pk:
        raise ApplicationError(LOCATION_ALREADY_LINKED, field="context")
    previous = location.context_id
    location.context = context
    location._history_user = actor
    location.full_clean()
    location.save(update_fields=["context"])
    # A link event on the young person's chronology, like linking the young person, so that
    # context-facing pages (which never read link events) do not show it either.
    event_record(
        actor=actor,
        kind=EventKind.LOCATION_LINKED_TO_CONTEXT,
        target=location,
        young_person=young_person,
        detail={"context": context.pk, "location_of_harm": location.pk, "previous": previous},
    )
    return location
