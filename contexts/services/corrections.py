"""Correcting, withdrawing and redacting the text of a context's rows: its assessments and
meeting notes, its plan actions, and its closures and reopenings.

Context text is thematic and must never carry a child's identity; when a name slipped in, these
take it out everywhere it is kept:

- **correct**: new text for the row's text fields, with a reason;
- **withdraw**: every text field of the row replaced by one marker saying who withdrew it, when
  and why (the row stays, with its dates and counts: nothing is deleted);
- **redact**: a passage (a name found later) replaced by ``[redacted]``.

django-simple-history keeps a full copy of a row each time it changes, so the old text would
survive in the history tables (and on history views) unless it is taken out there too: each
service rewrites the row's history rows in place with ``QuerySet.update`` (which writes no
history of its own), as retention.redaction does for erased records, and then saves the
row, so that its newest history row holds the text as it now is.

Every write here: the actor may correct (the author, or a team manager of the context's team;
redaction is for that team manager only: contexts.permissions); the context and the row are
locked, in that order (as contexts.services.work locks them); the version the editor read is
checked; every text that reaches the context (the corrected text and every reason) goes through
the thematic-text guard; the context's version is raised; one audit event is written naming the
row and its fields, never the text or the reason (the reason is kept on the row, guarded); and
after commit the practitioners of linked young people are told, with a change text holding none
of the text ("Meeting note corrected"). Closed contexts can be corrected: a name must come out
whatever the context's status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Value, When
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.versioning import locked, versioned_save

from .. import permissions
from ..guard import refuse_identities, thematic_write
from ..models import Context, ContextPlanAction, ContextRecord, ContextStatusChange
from ..reference import ContextRecordKind
from ._common import check_version, notify_linked_practitioners
from .work import NO_HEADING_MESSAGE

REDACTED = "[redacted]"
CANNOT_CORRECT = (
    "Only the person who wrote this text, or a team manager of the context's team, can "
    "correct or withdraw it"
)
CANNOT_REDACT = "Only a team manager of the context's team can redact a passage"
NOTHING_CHANGED = "Change the text you want to correct, or cancel"
CORRECTION_REASON_REQUIRED = "Enter why you are correcting the text"
WITHDRAWAL_REASON_REQUIRED = "Enter why you are withdrawing the text"
REDACTION_REASON_REQUIRED = "Enter why you are redacting the passage"
ALREADY_WITHDRAWN = "This text has already been withdrawn"
WITHDRAWN_NOT_CORRECTED = "This text has been withdrawn: it cannot be corrected"
CHOOSE_FIELD = "Choose the part of the text that holds the passage"
PASSAGE_REQUIRED = "Enter the passage to redact, copied exactly from the text"
PASSAGE_TOO_SHORT = "The passage must be at least 2 characters long"
PASSAGE_NOT_FOUND = (
    "This passage is not in that part of the text: copy it exactly, with the same capital letters"
)
# The reasons a withdrawal or correction left on the row: a passage found in them is redacted too.
REASON_FIELDS = ("correction_reason", "withdrawal_reason")


@dataclass(frozen=True)
class Part:
    """One kind of context row whose text can be corrected, withdrawn and redacted."""

    key: str
    model: type[models.Model]
    texts: tuple[str, ...]
    noun: str  # for the change told to linked practitioners: "Plan action corrected"

    def label_of(self, row) -> str:
        if isinstance(row, ContextRecord):
            return "Meeting note" if row.kind == ContextRecordKind.MEETING else "Context assessment"
        if isinstance(row, ContextStatusChange):
            return "Closure" if row.action == ContextStatusChange.Action.CLOSED else "Reopening"
        return self.noun


PARTS = {
    "record": Part(
        "record",
        ContextRecord,
        ("functioning", "guardianship", "environment", "weighting_reason"),
        "Assessment or meeting note",
    ),
    "action": Part(
        "action", ContextPlanAction, ("description", "owner", "progress_note"), "Plan action"
    ),
    "status_change": Part(
        "status_change",
        ContextStatusChange,
        ("reason", "functioning_change", "guardianship_change", "environment_change"),
        "Closure or reopening",
    ),
}
CorrectableRow = ContextRecord | ContextPlanAction | ContextStatusChange


def part_of(row: CorrectableRow) -> Part:
    for part in PARTS.values():
        if isinstance(row, part.model):
            return part
    raise TypeError(f"{type(row).__name__} has no correctable text")


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length if name in {"owner"} else None


def _fits(model, name: str, text: str, short: str) -> str:
    """``text``, or ``short`` where the field is too short to hold it (a plan action's owner)."""
    limit = _max_length(model, name)
    return short if limit is not None and len(text) > limit else text


def _replace(model, name: str, text: str, passage: str) -> str:
    replaced = (text or "").replace(passage, REDACTED)
    limit = _max_length(model, name)
    return replaced[:limit] if limit is not None else replaced


def _staff(user: User) -> str:
    return user.get_full_name() or user.username


def _begin(actor: User, row: CorrectableRow, *, redact: bool = False):
    """Lock the context and then the row, and check the actor may change the row's text as
    they are now saved (the row's authors or the context's team may have changed since the
    caller read them). Returns (part, context, row) as now saved."""
    part = part_of(row)

    def check(context: Context, row) -> None:
        if redact:
            if not permissions.can_redact_context_text(actor, context):
                raise ForbiddenError(CANNOT_REDACT)
        elif not permissions.can_correct_context_text(actor, context, row):
            raise ForbiddenError(CANNOT_CORRECT)

    if not permissions.can_work_on_contexts(actor):
        raise ForbiddenError(CANNOT_REDACT if redact else CANNOT_CORRECT)
    context = locked(row.context)
    row = locked(row, context=context)
    check(context, row)
    return part, context, row


def _required(part: Part, row, texts: dict[str, str]) -> None:
    """What a row must still hold after a correction, as when it was first written."""
    if part.key == "record":
        if not any(texts[side] for side in ("functioning", "guardianship", "environment")):
            raise ApplicationError(NO_HEADING_MESSAGE, field="functioning")
        if row.weighting and not texts["weighting_reason"]:
            raise ApplicationError(
                "Explain why this side must change first", field="weighting_reason"
            )
        if texts["weighting_reason"] and not row.weighting:
            raise ApplicationError(
                "No side was chosen to change first: leave the reason blank",
                field="weighting_reason",
            )
    elif part.key == "action":
        if not texts["description"]:
            raise ApplicationError("Describe the action", field="description")
        if not texts["owner"]:
            raise ApplicationError("Enter who is responsible for the action", field="owner")
        if len(texts["owner"]) > 200:
            raise ApplicationError(
                "Who is responsible must be 200 characters or fewer", field="owner"
            )
    else:
        if not texts["reason"]:
            raise ApplicationError("Enter the reason", field="reason")
        if row.action == ContextStatusChange.Action.CLOSED:
            for name in ("functioning_change", "guardianship_change", "environment_change"):
                if not texts[name]:
                    raise ApplicationError("Enter how this side changed", field=name)
        else:
            for name in ("functioning_change", "guardianship_change", "environment_change"):
                if texts[name]:
                    raise ApplicationError(
                        "A reopening records only its reason: leave this blank", field=name
                    )


def _history(part: Part, row):
    return part.model.history.model.objects.filter(id=row.pk)


def _finish(*, actor: User, context: Context, part: Part, row, kind: EventKind, detail, change):
    row._history_user = actor
    row.full_clean()
    row.save()
    versioned_save(context, actor, only=())
    event_record(
        actor=actor,
        kind=kind,
        target=context,  # on the context, so its chronology finds it
        detail={"context": context.pk, "part": part.key, "id": row.pk, **detail},
    )
    notify_linked_practitioners(
        context=context, change=f"{part.label_of(row)} {change}", actor=actor
    )
    return row


@thematic_write
def context_text_correct(
    *,
    actor: User,
    row: CorrectableRow,
    correction_reason: str,
    expected_version: int | None = None,
    **texts: str,
) -> CorrectableRow:
    """Correct the text fields of ``row`` (those given in ``texts``; the others stay), with a
    reason. The old text is gone from the row and from every history row (each old version of
    a changed field becomes a marker saying it was corrected, when and by whom); what the row
    must hold (a heading, a reason for the weighting, an action's description) still holds.
    For the row's author or a team manager of the context's team; not for withdrawn text."""
    part, context, row = _begin(actor, row)
    check_version(context, expected_version)
    if row.is_withdrawn:
        raise ApplicationError(WITHDRAWN_NOT_CORRECTED, code="locked")
    unknown = set(texts) - set(part.texts)
    if unknown:
        raise ApplicationError(
            f"{sorted(unknown)[0]} cannot be corrected", field=sorted(unknown)[0]
        )
    new = {
        name: (texts[name] if texts.get(name) is not None else getattr(row, name)).strip()
        for name in part.texts
    }
    changed = [name for name in part.texts if new[name] != getattr(row, name)]
    if not changed:
        raise ApplicationError(NOTHING_CHANGED, field=part.texts[0])
    _required(part, row, new)
    reason = (correction_reason or "").strip()
    if not reason:
        raise ApplicationError(CORRECTION_REASON_REQUIRED, field="correction_reason")
    refuse_identities(
        actor=actor,
        context=context,
        **{name: new[name] for name in changed},
        correction_reason=reason,
    )
    now = timezone.now()
    marker = f"[corrected on {long_date(timezone.localdate(now))} by {_staff(actor)}]"
    _history(part, row).update(
        **{
            name: Case(
                When(**{name: ""}, then=Value("")),
                When(**{name: new[name]}, then=Value(new[name])),
                default=Value(_fits(part.model, name, marker, "[corrected]")),
            )
            for name in changed
        }
    )
    for name in changed:
        setattr(row, name, new[name])
    row.corrected_at, row.corrected_by, row.correction_reason = now, actor, reason
    return _finish(
        actor=actor,
        context=context,
        part=part,
        row=row,
        kind=EventKind.CONTEXT_TEXT_CORRECTED,
        detail={"fields": changed},
        change="corrected",
    )


@thematic_write
def context_text_withdraw(
    *,
    actor: User,
    row: CorrectableRow,
    withdrawal_reason: str,
    expected_version: int | None = None,
) -> CorrectableRow:
    """Withdraw the whole text of ``row``, with a reason: every text field that holds text,
    in the row and in every history row, becomes "[withdrawn on <date> by <staff>: <reason>]".
    The row stays, with its dates, kind and counts. For the row's author or a team manager of
    the context's team; once only."""
    part, context, row = _begin(actor, row)
    check_version(context, expected_version)
    if row.is_withdrawn:
        raise ApplicationError(ALREADY_WITHDRAWN, code="locked")
    reason = (withdrawal_reason or "").strip()
    if not reason:
        raise ApplicationError(WITHDRAWAL_REASON_REQUIRED, field="withdrawal_reason")
    refuse_identities(actor=actor, context=context, withdrawal_reason=reason)
    now = timezone.now()
    marker = f"[withdrawn on {long_date(timezone.localdate(now))} by {_staff(actor)}: {reason}]"
    marks = {name: _fits(part.model, name, marker, "[withdrawn]") for name in part.texts}
    _history(part, row).update(
        **{
            name: Case(When(**{name: ""}, then=Value("")), default=Value(marks[name]))
            for name in part.texts
        }
    )
    withdrawn = [name for name in part.texts if getattr(row, name)]
    for name in withdrawn:
        setattr(row, name, marks[name])
    row.withdrawn_at, row.withdrawn_by, row.withdrawal_reason = now, actor, reason
    return _finish(
        actor=actor,
        context=context,
        part=part,
        row=row,
        kind=EventKind.CONTEXT_TEXT_WITHDRAWN,
        detail={"fields": withdrawn},
        change="withdrawn",
    )


def redactable_fields(row: CorrectableRow) -> tuple[str, ...]:
    """The fields a passage may be chosen from: the row's text and the reasons left on it."""
    return (*part_of(row).texts, *REASON_FIELDS)


@thematic_write
def context_text_redact(
    *,
    actor: User,
    row: CorrectableRow,
    field: str,
    passage: str,
    redaction_reason: str,
    expected_version: int | None = None,
) -> CorrectableRow:
    """Redact a passage found to name a child: ``passage``, found in ``field`` of ``row`` as
    typed, becomes "[redacted]" wherever it appears in the row's text and reasons, in the row
    and in every history row. The passage itself is never stored nor put in the audit event
    (it is the name being taken out); the reason is guarded. For a team manager of the context's
    team."""
    part, context, row = _begin(actor, row, redact=True)
    check_version(context, expected_version)
    fields = redactable_fields(row)
    if field not in fields:
        raise ApplicationError(CHOOSE_FIELD, field="field")
    passage = (passage or "").strip()
    if not passage:
        raise ApplicationError(PASSAGE_REQUIRED, field="passage")
    if len(passage) < 2:
        raise ApplicationError(PASSAGE_TOO_SHORT, field="passage")
    history = _history(part, row)
    # Python's ``in`` and the replacement below are both case-sensitive, unlike SQLite's LIKE.
    versions = list(history.values_list("history_id", *fields))
    in_history = [
        version[0] for version in versions if any(passage in (text or "") for text in version[1:])
    ]
    if passage not in (getattr(row, field) or "") and not any(
        passage in (version[1 + fields.index(field)] or "") for version in versions
    ):
        raise ApplicationError(PASSAGE_NOT_FOUND, field="passage")
    reason = (redaction_reason or "").strip()
    if not reason:
        raise ApplicationError(REDACTION_REASON_REQUIRED, field="redaction_reason")
    refuse_identities(actor=actor, context=context, redaction_reason=reason)
    changed_versions = list(history.filter(history_id__in=in_history))
    for version in changed_versions:
        for name in fields:
            setattr(version, name, _replace(part.model, name, getattr(version, name), passage))
    history.model.objects.bulk_update(changed_versions, list(fields))
    redacted = [name for name in fields if passage in (getattr(row, name) or "")]
    for name in redacted:
        setattr(row, name, _replace(part.model, name, getattr(row, name), passage))
    row.redacted_at, row.redacted_by, row.redaction_reason = timezone.now(), actor, reason
    return _finish(
        actor=actor,
        context=context,
        part=part,
        row=row,
        kind=EventKind.CONTEXT_TEXT_REDACTED,
        detail={"field": field, "fields": redacted, "history_rows": len(in_history)},
        change="redacted",
    )
