"""The work on a context: assessments and meeting notes under the triangle headings, and the
context plan (actions against a side of the triangle, their progress, the plan's review date).

Every write here: practitioners and team managers in a team may make it (contexts are thematic
and open to all of them); the context must be open; text is refused when it contains the full
name of any young person (the thematic-text guard); the context's version is raised, one audit event
is written in the same transaction, and after commit the practitioners of linked young people are
told what changed (``notify_linked_practitioners``, keyed by the new version). Events carry no
young person: they belong to the context's chronology, not a child's.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.reference import ActionProgress, PartnerAgency
from cases.services.progress import progress_apply
from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import check_not_future, long_date
from csafe.core.errors import ApplicationError
from csafe.core.versioning import locked, versioned_save

from .. import permissions
from ..guard import refuse_identities, thematic_write
from ..models import Context, ContextPlanAction, ContextRecord
from ..reference import ContextRecordKind, ContextStatus, TriangleSide, triangle_headings
from ._common import notify_linked_practitioners

CANNOT_WORK_MESSAGE = "Only practitioners and team managers in a team can change context records"
CLOSED_MESSAGE = (
    "This context is closed. Reopen it to record assessments, meeting notes or changes to its plan."
)
NO_HEADING_MESSAGE = "Write under at least one of the three headings"
RECORD_CHANGES = {
    ContextRecordKind.ASSESSMENT: "Context assessment recorded",
    ContextRecordKind.MEETING: "Meeting note recorded",
}


def _begin(actor: User, context: Context) -> Context:
    """Check the actor may work on contexts, lock the context (so changes to it are made one at a
    time and its version rises by one each) and refuse a closed one."""
    if not permissions.can_work_on_contexts(actor):
        raise ApplicationError(CANNOT_WORK_MESSAGE)
    context = locked(context)
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(CLOSED_MESSAGE, code="locked")
    return context


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


@thematic_write
def context_record_add(
    *,
    actor: User,
    context: Context,
    kind: str,
    held_on: date,
    functioning: str = "",
    guardianship: str = "",
    environment: str = "",
    weighting: str = "",
    weighting_reason: str = "",
) -> ContextRecord:
    """Record a context assessment or a meeting note under the triangle headings, written for
    at least one of them, with the context weighting: which side must change first for safety to
    increase, and why (a side needs a reason, a reason needs a side)."""
    context = _begin(actor, context)
    if kind not in ContextRecordKind.values:
        raise ApplicationError(
            "Choose whether this is a context assessment or a meeting note", field="kind"
        )
    if held_on is None:
        raise ApplicationError("Enter the date of the assessment or meeting", field="held_on")
    check_not_future(held_on, "held_on", "The date of the assessment or meeting")
    texts = {
        "functioning": functioning.strip(),
        "guardianship": guardianship.strip(),
        "environment": environment.strip(),
    }
    if not any(texts.values()):
        raise ApplicationError(NO_HEADING_MESSAGE, field="functioning")
    weighting = weighting or ""
    weighting_reason = weighting_reason.strip()
    if weighting and weighting not in TriangleSide.values:
        raise ApplicationError("Choose which side must change first", field="weighting")
    if weighting and not weighting_reason:
        heading = triangle_headings(context.kind)[weighting]
        raise ApplicationError(
            f"Explain why {_lower_first(heading)} must change first", field="weighting_reason"
        )
    if weighting_reason and not weighting:
        raise ApplicationError(
            "Choose which side must change first, or leave the reason blank", field="weighting"
        )
    refuse_identities(actor=actor, context=context, **texts, weighting_reason=weighting_reason)
    record = ContextRecord(
        context=context,
        kind=kind,
        held_on=held_on,
        **texts,
        weighting=weighting,
        weighting_reason=weighting_reason,
        recorded_by=actor,
    )
    record._history_user = actor
    record.full_clean()
    record.save()
    versioned_save(context, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_RECORD_ADDED,
        target=record,
        detail={"context": context.pk, "kind": kind, "weighting": weighting},
    )
    notify_linked_practitioners(context=context, change=RECORD_CHANGES[kind], actor=actor)
    return record


@thematic_write
def context_action_add(
    *,
    actor: User,
    context: Context,
    side: str,
    description: str,
    partner_agency: str,
    owner: str,
    due_date: date | None,
) -> ContextPlanAction:
    """Add an action to the context's plan, against one side of the triangle, relying on a
    partner agency, with who is responsible and when it is due."""
    context = _begin(actor, context)
    if side not in TriangleSide.values:
        raise ApplicationError("Choose what the action works on", field="side")
    description = description.strip()
    if not description:
        raise ApplicationError("Describe the action", field="description")
    if partner_agency not in PartnerAgency.values:
        raise ApplicationError("Choose the partner agency", field="partner_agency")
    owner = owner.strip()
    if not owner:
        raise ApplicationError("Enter who is responsible for the action", field="owner")
    if due_date is None:
        raise ApplicationError("Enter the due date", field="due_date")
    refuse_identities(actor=actor, context=context, description=description, owner=owner)
    action = ContextPlanAction(
        context=context,
        side=side,
        description=description,
        partner_agency=partner_agency,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    action._history_user = actor
    action.full_clean()
    action.save()
    versioned_save(context, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_ACTION_ADDED,
        target=action,
        detail={
            "context": context.pk,
            "side": side,
            "partner_agency": partner_agency,
            "due_date": due_date.isoformat(),
        },
    )
    notify_linked_practitioners(context=context, change="Plan action added", actor=actor)
    return action


@thematic_write
def context_action_update_progress(
    *,
    actor: User,
    action: ContextPlanAction,
    progress: str,
    note: str = "",
    completed_on: date | None = None,
) -> ContextPlanAction:
    """Record progress on an action of the context's plan. A done action needs the date it was
    done (today or before); any other progress clears that date. Saving what is already there
    changes nothing and tells no one."""
    context = _begin(actor, action.context)
    action = locked(action, context=context)
    refuse_identities(actor=actor, context=context, note=note)
    note_before = action.progress_note
    previous = progress_apply(action, progress=progress, note=note, completed_on=completed_on)
    if previous is None:
        return action
    if action.progress_note and action.progress_note != note_before:
        # Whoever wrote the note now shown may correct or withdraw it (contexts.permissions).
        action.progress_noted_by = actor
    action._history_user = actor
    action.full_clean()
    action.save()
    versioned_save(context, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_ACTION_PROGRESS,
        # On the context, like the review date, so the context's chronology finds it there.
        target=context,
        detail={"action": action.pk, "from": previous, "progress": progress},
    )
    notify_linked_practitioners(
        context=context,
        change=f"Plan action marked as {ActionProgress(progress).label.lower()}",
        actor=actor,
    )
    return action


@transaction.atomic
def context_plan_review_set(*, actor: User, context: Context, review_date: date | None) -> Context:
    """Set the date the context's plan is next reviewed: today or later. Setting the date it
    already has changes nothing and tells no one."""
    context = _begin(actor, context)
    if review_date is None:
        raise ApplicationError("Enter the plan review date", field="review_date")
    if review_date < timezone.localdate():
        raise ApplicationError(
            "The plan review date must be today or in the future", field="review_date"
        )
    if context.plan_review_date == review_date:
        return context
    previous = context.plan_review_date
    context.plan_review_date = review_date
    context.full_clean()
    versioned_save(context, actor, only=("plan_review_date",))
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_PLAN_REVIEW_SET,
        target=context,
        detail={
            "from": previous.isoformat() if previous else None,
            "to": review_date.isoformat(),
        },
    )
    notify_linked_practitioners(
        context=context,
        change=f"Plan review date set to {long_date(review_date)}",
        actor=actor,
    )
    return context
