"""Reads of a context's work: its assessments and meeting notes, and its plan.

Context-facing, like the rest of this package: records and plan actions describe the context and
name only staff (who recorded them), never a young person. Callers have fetched the context
through ``contexts.access.context_for_request``, which checked access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet, Window
from django.http import Http404
from django.utils import timezone

from cases.reference import ActionProgress

from .. import permissions
from ..models import Context, ContextPlanAction, ContextRecord, ContextStatusChange
from ..reference import ContextStatus, TriangleSide, triangle_headings

# How many assessments and meeting notes the context page shows; the rest are on the list page.
LATEST_RECORDS = 5
_FINISHED = {ActionProgress.DONE, ActionProgress.STOPPED}


def action_is_overdue(action: ContextPlanAction, today: date) -> bool:
    """Due before today and neither done nor stopped."""
    return action.progress not in _FINISHED and action.due_date < today


def review_is_overdue(context: Context, today: date) -> bool:
    """The plan's review date has passed while the context is open."""
    return (
        context.status == ContextStatus.OPEN
        and context.plan_review_date is not None
        and context.plan_review_date < today
    )


def heading_for(context: Context, side: str) -> str:
    """What ``side`` of the triangle is called for this kind of context ("" for none)."""
    return triangle_headings(context.kind).get(side, "") if side else ""


@dataclass(frozen=True)
class Section:
    side: str
    heading: str
    text: str


@dataclass(frozen=True)
class RecordRow:
    """An assessment or meeting note with its triangle headings worded for the context's kind."""

    record: ContextRecord
    sections: tuple[Section, ...]
    weighting_heading: str


def record_row(context: Context, record: ContextRecord) -> RecordRow:
    headings = triangle_headings(context.kind)
    return RecordRow(
        record=record,
        sections=tuple(
            Section(side=side, heading=headings[side], text=getattr(record, side))
            for side in TriangleSide.values
        ),
        weighting_heading=headings.get(record.weighting, ""),
    )


def records_for_context(*, context: Context) -> QuerySet[ContextRecord]:
    """Newest first (by the date held, then entry), with who recorded each and who withdrew
    it: one query."""
    return ContextRecord.objects.filter(context=context).select_related(
        "recorded_by", "withdrawn_by"
    )


def record_rows_for_context(*, context: Context) -> list[RecordRow]:
    return [record_row(context, record) for record in records_for_context(context=context)]


def context_record_get(*, context: Context, pk: int) -> ContextRecord:
    """One record of ``context``; Http404 for a record of another context or none."""
    try:
        return records_for_context(context=context).get(pk=pk)
    except (ContextRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No record found") from exc


@dataclass(frozen=True)
class ActionRow:
    action: ContextPlanAction
    side_heading: str
    overdue: bool
    # Whether the reader may correct or withdraw its text, and redact a passage of it.
    can_correct: bool = False
    can_redact: bool = False


def plan_actions_for_context(*, context: Context) -> QuerySet[ContextPlanAction]:
    """Soonest due first, with who withdrew each (an action names its owner as text): one
    query."""
    return (
        ContextPlanAction.objects.filter(context=context)
        .select_related("withdrawn_by")
        .order_by("due_date", "pk")
    )


def action_rows(context: Context, actions, today: date | None = None, user=None) -> list[ActionRow]:
    """The actions worded for the context's kind; with ``user``, whether they may correct,
    withdraw or redact each (no query: contexts.permissions reads the rows' own ids)."""
    today = today or timezone.localdate()
    headings = triangle_headings(context.kind)
    may_redact = user is not None and permissions.can_redact_context_text(user, context)
    return [
        ActionRow(
            action=action,
            side_heading=headings.get(action.side, action.get_side_display()),
            overdue=action_is_overdue(action, today),
            can_correct=user is not None
            and not action.is_withdrawn
            and permissions.can_correct_context_text(user, context, action),
            can_redact=may_redact,
        )
        for action in actions
    ]


def context_action_get(*, context: Context, pk: int) -> ContextPlanAction:
    """One action of ``context``'s plan; Http404 for an action of another context or none."""
    try:
        return plan_actions_for_context(context=context).get(pk=pk)
    except (ContextPlanAction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No action found") from exc


@dataclass(frozen=True)
class WorkSummary:
    """What the context page shows of the work on a context: the latest assessments and meeting
    notes, the whole plan with overdue actions flagged, the review date, and whether the reader
    may add to them. Staff and counts only: nothing here reaches a young person."""

    latest_records: tuple[RecordRow, ...]
    record_count: int
    actions: tuple[ActionRow, ...]
    open_action_count: int
    overdue_action_count: int
    done_action_count: int
    plan_review_date: date | None
    review_overdue: bool
    can_work: bool


def context_work_summary(*, context: Context, user) -> WorkSummary:
    """The work section of the context page, in two queries whatever the number of records
    and actions: the latest records with their authors, each carrying the number of all the
    context's records (a window count, taken before the limit), and the actions."""
    today = timezone.localdate()
    records = list(
        records_for_context(context=context).annotate(of_all=Window(Count("pk")))[:LATEST_RECORDS]
    )
    latest = [record_row(context, record) for record in records]
    # No record at all is the one case with no row to carry the count.
    record_count = records[0].of_all if records else 0
    rows = action_rows(context, plan_actions_for_context(context=context), today, user)
    return WorkSummary(
        latest_records=tuple(latest),
        record_count=record_count,
        actions=tuple(rows),
        open_action_count=sum(1 for row in rows if row.action.progress not in _FINISHED),
        overdue_action_count=sum(1 for row in rows if row.overdue),
        done_action_count=sum(1 for row in rows if row.action.progress == ActionProgress.DONE),
        plan_review_date=context.plan_review_date,
        review_overdue=review_is_overdue(context, today),
        can_work=permissions.can_work_on_contexts(user) and context.status == ContextStatus.OPEN,
    )


def context_status_change_get(*, context: Context, pk: int) -> ContextStatusChange:
    """One closure or reopening of ``context``; Http404 for one of another context or none."""
    try:
        return ContextStatusChange.objects.select_related("by", "withdrawn_by").get(
            context=context, pk=pk
        )
    except (ContextStatusChange.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No closure or reopening found") from exc


def context_text_row_get(*, context: Context, part: str, pk: int):
    """The row of ``context`` whose text is corrected, withdrawn or redacted: ``part`` is
    "record", "action" or "status_change" (contexts.services.corrections.PARTS); Http404 for a
    row of another context or none."""
    getters = {
        "record": context_record_get,
        "action": context_action_get,
        "status_change": context_status_change_get,
    }
    return getters[part](context=context, pk=pk)
