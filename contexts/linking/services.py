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
from cases.identity import FindingKind, find_identity, identity_of
from cases.models import LocationOfHarm, YoungPerson
from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError
from csafe.core.versioning import locked
from csafe.core.vocabulary import ContextKind

from ..models import (
    Context,
    ContextLink,
    ContextPlanAction,
    ContextRecord,
    ContextStatusChange,
    CorrectableText,
)
from ..reference import ContextRecordKind, ContextStatus

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


# What of the young person a text was found to carry, as the refusal says it.
_FOUND = {
    FindingKind.NAME: "their name",
    FindingKind.IDENTIFIER: "their identifier",
    FindingKind.DATE_OF_BIRTH: "their date of birth",
    FindingKind.ADDRESS: "their address",
    FindingKind.RECORD_LINK: "a link to their record",
}
CONTEXT_DETAILS = "the context's details"


def named_in_context_message(
    name: str, where: str = CONTEXT_DETAILS, found: str = "their name"
) -> str:
    """The refusal to link ``name`` to a context whose text (at ``where``: "the meeting note of
    3 March 2026") identifies them. It may name the child: the linker can see them."""
    return (
        f"You cannot link {name} to this context because {found} is in {where}. Context records "
        "are thematic and everyone working on the context can read them: ask the lead "
        f"practitioner to take it out of {where} first."
    )


# The text fields of each kind of row on a context; with each, the reasons written when a row's
# text is corrected, withdrawn or redacted (every TextField of CorrectableText), which everyone
# working on the context reads too. A withdrawn or corrected row needs no case of its own: its
# text has already been replaced.
_REASONS = tuple(
    f.name for f in CorrectableText._meta.get_fields() if f.get_internal_type() == "TextField"
)
_CONTEXT_TEXTS = ("name", "label", "area", "incident", "description")
_RECORD_TEXTS = ("functioning", "guardianship", "environment", "weighting_reason", *_REASONS)
_ACTION_TEXTS = ("description", "owner", "progress_note", *_REASONS)
_STATUS_CHANGE_TEXTS = (
    "reason",
    "functioning_change",
    "guardianship_change",
    "environment_change",
    *_REASONS,
)
_RECORD_KINDS = dict(ContextRecordKind.choices)
_STATUS_ACTIONS = {
    ContextStatusChange.Action.CLOSED: "closure",
    ContextStatusChange.Action.REOPENED: "reopening",
}


def _texts_on_context(context: Context):
    """Every text on ``context``, each with where it is, as the refusal names it: the context's
    own fields (already read), then its records, plan actions and closures and reopenings, in
    three queries whatever their number."""
    for field in _CONTEXT_TEXTS:
        yield (
            ("the context's name" if field == "name" else CONTEXT_DETAILS),
            getattr(context, field),
        )
    records = ContextRecord.objects.filter(context=context).order_by("held_on", "pk")
    for kind, held_on, *texts in records.values_list("kind", "held_on", *_RECORD_TEXTS):
        label = _RECORD_KINDS.get(kind, "record").lower()
        yield from ((f"the {label} of {long_date(held_on)}", text) for text in texts)
    actions = ContextPlanAction.objects.filter(context=context).order_by("due_date", "pk")
    for due_date, *texts in actions.values_list("due_date", *_ACTION_TEXTS):
        yield from ((f"the plan action due {long_date(due_date)}", text) for text in texts)
    changes = ContextStatusChange.objects.filter(context=context).order_by("on", "pk")
    for action, on, *texts in changes.values_list("action", "on", *_STATUS_CHANGE_TEXTS):
        what = _STATUS_ACTIONS.get(action, "change of status")
        yield from ((f"the {what} of {long_date(on)}", text) for text in texts)


def _identified_in_context(context: Context, young_person: YoungPerson) -> str | None:
    """The refusal if any text on ``context`` identifies ``young_person`` in any rendering
    (their name in any order or form, surname alone, initials, identifiers, date of birth,
    address), recognised by cases.identity; None if none does. Only this child is looked for
    (``generic=False``): the text was allowed when written, and other young people are not the
    linker's to learn about."""
    known = [identity_of(young_person)]
    for where, text in _texts_on_context(context):
        finding = find_identity(text or "", known=known, generic=False)
        if finding is not None:
            found = _FOUND.get(finding.kind, "their name")
            return named_in_context_message(young_person.display_name, where, found)
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
    when any text already on the context (its details, and every record, plan action, closure
    and reopening on it) identifies the young person, so that linking never ties a named child to
    a context everyone can read; the message names the child (the linker can see them) and says
    where the text is, so the lead practitioner can correct it.

    Linking changes the young person's record, not the context: nobody is notified and the
    context's version stays (a notification per link would be a timeline of a child on the
    context side)."""
    # The young person first, then the context, in every service here: one order, no deadlock.
    # The lock also queues two requests linking the same child so the second sees the first.
    young_person = locked(young_person)
    if not _can_change(actor, young_person):
        raise ApplicationError(NO_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(REASON_REQUIRED, field="reason")
    context = locked(context)
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(CONTEXT_CLOSED, field="context")
    if _active_link_exists(context=context, young_person=young_person):
        raise ApplicationError(ALREADY_LINKED, field="context")
    refusal = _identified_in_context(context, young_person)
    if refusal:
        raise ApplicationError(refusal, field="context")
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
    young_person = locked(link.young_person)
    if not _can_change(actor, young_person):
        raise ApplicationError(NO_PERMISSION)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(END_REASON_REQUIRED, field="reason")
    context = locked(link.context)
    link = locked(link)
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
    young_person = locked(location.young_person)
    if not _can_change(actor, young_person):
        raise ApplicationError(NO_PERMISSION_LOCATION)
    context = locked(context)
    if context.kind != ContextKind.LOCATION:
        raise ApplicationError(NOT_A_LOCATION, field="context")
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(CONTEXT_CLOSED, field="context")
    location = locked(location)
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
