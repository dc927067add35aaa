"""Erasing a record after a retention review, by redaction in place.

Nothing is deleted: every row stays, with its dates, codes, links and counts, so the dashboards
and the chronology's shape are unchanged and the erasure itself can be audited. What goes is
every piece of text that could identify or describe the young person (or, for a context, the
group or place): it is replaced by one fixed marker, or emptied where the field is too short to
hold it (postcodes). Stored document files are removed from disk once the change is committed.

django-simple-history keeps a full copy of a row each time it changes, so the old names and
text survive in the history tables (and on the history pages) unless those are redacted too:
each part below is redacted in its table *and* in its history table. The updates go through
``QuerySet.update``, which writes no new history rows, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import TruncYear

from cases import files
from cases.models import (
    Allocation,
    Assessment,
    CaseNote,
    ContextualFactor,
    Document,
    LocationOfHarm,
    Plan,
    PlanAction,
    PlanFactorGap,
    PlanReview,
    Referral,
    Relocation,
    YoungPerson,
)
from contexts.models import (
    Context,
    ContextLink,
    ContextPlanAction,
    ContextRecord,
    ContextStatusChange,
)
from csafe.audit.models import Event
from harms.models import HarmFlag

MARKER = "[erased after retention review]"


@dataclass(frozen=True)
class Part:
    """The text fields of one model to redact, and how its rows are found from the record.

    ``marked`` fields become the marker where they hold text (empty stays empty, so the page
    still shows what was never filled in); ``forced`` fields become the marker always (database
    constraints need them filled); ``cleared`` fields are emptied."""

    model: type[models.Model]
    owner: str
    marked: tuple[str, ...] = ()
    forced: tuple[str, ...] = ()
    cleared: tuple[str, ...] = ()

    def changes(self) -> dict:
        changes: dict = {name: _mark(name) for name in self.marked}
        changes.update({name: Value(MARKER) for name in self.forced})
        changes.update({name: Value("") for name in self.cleared})
        return changes


def _mark(name: str) -> Case:
    return Case(When(**{name: ""}, then=Value("")), default=Value(MARKER))


YOUNG_PERSON_PARTS = (
    Part(
        YoungPerson,
        "pk",
        marked=("preferred_name", "gender_identity", "address_line_1", "address_line_2", "town"),
        forced=("first_name", "last_name"),
        cleared=("postcode",),
    ),
    Part(Allocation, "young_person_id", marked=("end_reason",)),
    Part(Referral, "young_person_id", marked=("reason",)),
    # The postcode district stays, for the dashboard of locations by district.
    Part(LocationOfHarm, "young_person_id", forced=("place_name",), cleared=("postcode",)),
    Part(
        Assessment,
        "young_person_id",
        marked=(
            "peers",
            "school",
            "neighbourhood",
            "online",
            "capacity_undermining",
            "capacity_boosting",
            "conclusion",
            "return_reason",
        ),
    ),
    Part(ContextualFactor, "young_person_id", marked=("description",)),
    Part(
        Plan,
        "young_person_id",
        marked=("summary", "end_reason", "sign_off_reason", "return_reason"),
    ),
    Part(PlanAction, "young_person_id", marked=("description", "owner", "progress_note")),
    Part(PlanFactorGap, "plan__young_person_id", marked=("reason",)),
    Part(PlanReview, "plan__young_person_id", marked=("summary",)),
    Part(Relocation, "young_person_id", marked=("destination", "reason")),
    Part(CaseNote, "young_person_id", marked=("subject", "body")),
    Part(
        Document,
        "young_person_id",
        marked=("shaped_conclusion",),
        forced=("title", "original_name"),
    ),
    Part(HarmFlag, "young_person_id", marked=("note", "archive_rationale", "reinstate_reason")),
    # Why a child was linked to a context is part of the child's record, not the context's.
    Part(ContextLink, "young_person_id", marked=("reason", "end_reason")),
)

# Why a context row's text was corrected, withdrawn or redacted (contexts.services.corrections).
_CORRECTION_REASONS = ("correction_reason", "withdrawal_reason", "redaction_reason")

CONTEXT_PARTS = (
    Part(
        Context,
        "pk",
        marked=("incident", "description"),
        forced=("name",),
        # The normalised name is emptied so duplicate checks never offer an erased context.
        # The postcode district stays, for the dashboards.
        cleared=("label", "area", "postcode", "normalised_name"),
    ),
    Part(
        ContextStatusChange,
        "context_id",
        marked=(
            "reason",
            "functioning_change",
            "guardianship_change",
            "environment_change",
            *_CORRECTION_REASONS,
        ),
    ),
    Part(
        ContextRecord,
        "context_id",
        marked=(
            "functioning",
            "guardianship",
            "environment",
            "weighting_reason",
            *_CORRECTION_REASONS,
        ),
    ),
    Part(
        ContextPlanAction,
        "context_id",
        marked=("description", "owner", "progress_note", *_CORRECTION_REASONS),
    ),
)

# Keys of audit event details that hold free text typed by a person (reasons for closing a
# case, ending an allocation or archiving a flag; a context's name).
_EVENT_TEXT_KEYS = ("reason", "rationale", "name")


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def _redact_part(part: Part, record_pk: int) -> None:
    live = part.model._default_manager.filter(**{part.owner: record_pk})
    changes = part.changes()
    if part.model is YoungPerson:
        # The year of birth stays, so age bands on reports stay right; the day does not.
        changes["date_of_birth"] = TruncYear("date_of_birth")
    history_changes = dict(changes)
    if _has_field(part.model, "version"):
        # An editor who loaded the record before the erasure must not save the old text back:
        # the version check refuses their stale form.
        changes["version"] = F("version") + 1
    live.update(**changes)
    history = part.model.history.model.objects.filter(id__in=live.values("pk"))
    history_changes["history_change_reason"] = Case(
        When(history_change_reason__isnull=True, then=Value(None)),
        When(history_change_reason="", then=Value("")),
        default=Value(MARKER),
    )
    history.update(**history_changes)


def _redact_events(events) -> None:
    """The audit log is otherwise never changed; an erasure is the one exception, for the free
    text some events carry. Kinds, ids, dates and actors stay."""
    changed = []
    for event in events.filter(detail__has_any_keys=list(_EVENT_TEXT_KEYS)):
        for key in _EVENT_TEXT_KEYS:
            if isinstance(event.detail.get(key), str) and event.detail[key]:
                event.detail[key] = MARKER
        changed.append(event)
    Event.objects.bulk_update(changed, ["detail"], batch_size=500)


def redact_young_person(young_person_pk: int) -> int:
    """Redact the young person's record and its history; remove its stored files after commit.
    Returns the number of documents whose files are removed. Called by retention_decide inside
    its transaction, with the young person's row locked."""
    stored_names = list(
        Document.objects.filter(young_person_id=young_person_pk).values_list(
            "stored_name", flat=True
        )
    )
    for part in YOUNG_PERSON_PARTS:
        _redact_part(part, young_person_pk)
    _redact_events(Event.objects.filter(young_person_id=young_person_pk))
    transaction.on_commit(lambda: _remove_files(stored_names))
    return len(stored_names)


def _remove_files(stored_names: list[str]) -> None:
    for stored_name in stored_names:
        files.discard(stored_name)


def redact_context(context_pk: int) -> None:
    """Redact the context record, its closures, assessments, notes and plan, and their history.
    Links to young people keep their reasons: those belong to each child's own record."""
    for part in CONTEXT_PARTS:
        _redact_part(part, context_pk)
    context_type = ContentType.objects.get_for_model(Context)
    _redact_events(Event.objects.filter(target_type=context_type, target_id=str(context_pk)))
