"""The chronology: every event on a young person's record, merged in date order.

Each kind of record is read in one query of its own (so the page costs the same number of queries
however long the record), and the rows are merged here. Dates are the dates things happened as
recorded by the practitioner (a referral's date received, a note's date of contact), not when
they were typed in; entries on the same day keep the order they were recorded in.
The caller has fetched the young person through ``young_person_get_for_user``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import timezone

from csafe.audit.models import Event, EventKind
from csafe.core.dates import long_date
from harms.models import HarmFlag

from ..models import (
    Allocation,
    AllocationKind,
    Assessment,
    CaseNote,
    Document,
    OversightNote,
    Plan,
    PlanAction,
    PlanReview,
    Referral,
    Relocation,
    YoungPerson,
)


class ChronologyKind(models.TextChoices):
    REFERRAL = "referral", "Referrals"
    ASSESSMENT = "assessment", "Assessments"
    FLAG = "flag", "Harm flags"
    PLAN = "plan", "Plans and actions"
    RELOCATION = "relocation", "Relocations"
    NOTE = "note", "Case notes"
    DOCUMENT = "document", "Documents"
    ALLOCATION = "allocation", "Allocations"
    OVERSIGHT = "oversight", "Management oversight"


@dataclass(frozen=True)
class ChronologyEntry:
    on: date
    kind: str
    title: str
    by: str = ""
    detail: str = ""
    url: str = ""
    # Orders entries on the same day: when each was recorded.
    recorded_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return ChronologyKind(self.kind).label


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _recorded(young_person: YoungPerson, kind: str, fallback, **detail) -> Coalesce:
    """When the latest event of ``kind`` on the outer row was recorded (a subquery, so no query
    of its own). A step such as completing an assessment has no timestamp of its own, and the
    row's ``updated_at`` moves on with every later change (authorising it, adding an action to
    a plan), so same-day entries would be put in the wrong order. ``fallback`` is for rows
    whose event is missing."""
    events = Event.objects.filter(
        young_person=young_person,
        kind=kind,
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        **{f"detail__{key}": value for key, value in detail.items()},
    ).order_by("-occurred_at", "-pk")
    return Coalesce(Subquery(events.values("occurred_at")[:1]), fallback)


def _recorded_by(young_person: YoungPerson, kind: str, **detail) -> Subquery:
    """The full name of whoever recorded the latest event of ``kind`` on the outer row (a
    subquery, so no query of its own): for a step whose row keeps no actor of its own, such as
    completing an assessment or ending a plan. NULL when the event, or its actor, is missing."""
    events = Event.objects.filter(
        young_person=young_person,
        kind=kind,
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        **{f"detail__{key}": value for key, value in detail.items()},
    ).order_by("-occurred_at", "-pk")
    name = Concat("actor__first_name", Value(" "), "actor__last_name", output_field=CharField())
    return Subquery(events.annotate(actor_name=name).values("actor_name")[:1])


def _by(name: str | None) -> str:
    return (name or "").strip()


def _referrals(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    # URLs that do not change from row to row are reversed once per kind, not once per row.
    record_url = reverse("cases:detail", args=[young_person.pk])
    for r in Referral.objects.filter(young_person=young_person).select_related("recorded_by"):
        yield ChronologyEntry(
            on=r.received_on,
            kind=ChronologyKind.REFERRAL,
            title="Referral received",
            by=_name(r.recorded_by),
            detail=(
                f"From {r.get_source_display()}. Nature of harm: "
                f"{r.get_nature_of_harm_display()}. Decision: {r.get_decision_display()}."
            ),
            url=f"{record_url}#referral-{r.pk}",
            recorded_at=r.created_at,
        )


def authorised_summary(assessment: Assessment) -> str:
    """ "Authorised: No harm found; no further action": what an authorised assessment found
    and decided, as the record and the chronology say it."""
    return (
        f"Authorised: {assessment.get_outcome_nature_display()}; "
        f"{assessment.get_decision_display().lower()}"
    )


def _assessments(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    rows = (
        Assessment.objects.filter(young_person=young_person)
        .select_related("recorded_by", "authorised_by", "returned_by")
        .annotate(
            completed_at=_recorded(young_person, EventKind.ASSESSMENT_COMPLETED, "updated_at"),
            completed_by=_recorded_by(young_person, EventKind.ASSESSMENT_COMPLETED),
            authorised_at=_recorded(young_person, EventKind.ASSESSMENT_AUTHORISED, "updated_at"),
            returned_at=_recorded(young_person, EventKind.ASSESSMENT_RETURNED, "updated_at"),
        )
    )
    for a in rows:
        url = reverse("cases:assessment_detail", args=[young_person.pk, a.pk])
        yield ChronologyEntry(
            on=a.started_on,
            kind=ChronologyKind.ASSESSMENT,
            title="Assessment started",
            by=_name(a.recorded_by),
            url=url,
            recorded_at=a.created_at,
        )
        if a.completed_on:
            yield ChronologyEntry(
                on=a.completed_on,
                kind=ChronologyKind.ASSESSMENT,
                title="Assessment completed",
                by=_by(a.completed_by),
                detail=(
                    f"Nature of harm found: {a.get_outcome_nature_display()}. "
                    f"Decision: {a.get_decision_display()}."
                ),
                url=url,
                recorded_at=a.completed_at,
            )
        if a.authorised_on:
            yield ChronologyEntry(
                on=a.authorised_on,
                kind=ChronologyKind.ASSESSMENT,
                title="Assessment authorised",
                by=_name(a.authorised_by),
                detail=" ".join(
                    part
                    for part in (
                        f"{authorised_summary(a)}.",
                        f"Reasoning: {a.authorisation_reason}" if a.authorisation_reason else "",
                    )
                    if part
                ),
                url=url,
                recorded_at=a.authorised_at,
            )
        # The latest return only: the row keeps the last date, manager and reason (earlier
        # returns are in the assessment's history and the audit trail).
        if a.returned_on:
            yield ChronologyEntry(
                on=a.returned_on,
                kind=ChronologyKind.ASSESSMENT,
                title="Assessment returned for more work",
                by=_name(a.returned_by),
                detail=f"What more is needed: {a.return_reason}",
                url=url,
                recorded_at=a.returned_at,
            )


def _flags(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    """Read from the flags' history, a row per change, because the flag itself keeps only its
    latest archive and reinstatement: reinstating clears the archive, which must still show."""
    rows = (
        HarmFlag.history.filter(young_person=young_person)
        .select_related("harm_type", "raised_by", "archived_by", "reinstated_by")
        .order_by("id", "history_date", "history_id")
    )
    url = reverse("cases:detail", args=[young_person.pk]) + "#harm-flags-heading"
    previous = None  # the row before, for the same flag
    for f in rows:
        if previous is None or previous.id != f.id:
            previous = None  # a flag's first row is its raising
            yield ChronologyEntry(
                on=f.identified_on,
                kind=ChronologyKind.FLAG,
                title=f"Harm flag raised: {f.harm_type}",
                by=_name(f.raised_by),
                detail=f"{f.get_nature_display()}, identified at {f.get_identified_at_display()}.",
                url=url,
                recorded_at=f.created_at,
            )
        if f.reinstated_at and f.reinstated_at != getattr(previous, "reinstated_at", None):
            yield ChronologyEntry(
                on=_day(f.reinstated_at),
                kind=ChronologyKind.FLAG,
                title=f"Harm flag reinstated: {f.harm_type}",
                by=_name(f.reinstated_by),
                url=url,
                recorded_at=f.reinstated_at,
            )
        if f.archived_at and f.archived_at != getattr(previous, "archived_at", None):
            yield ChronologyEntry(
                on=_day(f.archived_at),
                kind=ChronologyKind.FLAG,
                title=f"Harm flag archived: {f.harm_type}",
                by=_name(f.archived_by),
                detail=f"{f.get_archive_reason_display()}.",
                url=url,
                recorded_at=f.archived_at,
            )
        previous = f


def _plans(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    plans = (
        Plan.objects.filter(young_person=young_person)
        .select_related("created_by", "finalised_by")
        .annotate(
            # A plan of a kind that needs sign-off is put in force by the manager's sign-off.
            finalised_at=_recorded(
                young_person,
                EventKind.PLAN_SIGNED_OFF,
                _recorded(young_person, EventKind.PLAN_FINALISED, "updated_at"),
            ),
            ended_at=_recorded(young_person, EventKind.PLAN_ENDED, "updated_at"),
            ended_by=_recorded_by(young_person, EventKind.PLAN_ENDED),
        )
    )
    for p in plans:
        url = reverse("cases:plan_detail", args=[young_person.pk, p.pk])
        label = p.get_kind_display()
        yield ChronologyEntry(
            on=p.start_date,
            kind=ChronologyKind.PLAN,
            title=f"{label} plan starts",
            by=_name(p.created_by),
            url=url,
            recorded_at=p.created_at,
        )
        if p.finalised_on:
            signed_off = p.signed_off_on is not None
            yield ChronologyEntry(
                on=p.finalised_on,
                kind=ChronologyKind.PLAN,
                title=f"{label} plan signed off" if signed_off else f"{label} plan finalised",
                by=_name(p.finalised_by),
                # The manager's reasoning: management oversight on the record.
                detail=p.sign_off_reason if signed_off else "",
                url=url,
                recorded_at=p.finalised_at,
            )
        if p.ended_on:
            yield ChronologyEntry(
                on=p.ended_on,
                kind=ChronologyKind.PLAN,
                title=f"{label} plan ended",
                by=_by(p.ended_by),
                detail=p.end_reason,
                url=url,
                recorded_at=p.ended_at,
            )


def _plan_reviews(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    reviews = PlanReview.objects.filter(plan__young_person=young_person).select_related(
        "plan", "reviewed_by"
    )
    for r in reviews:
        yield ChronologyEntry(
            on=r.reviewed_on,
            kind=ChronologyKind.PLAN,
            title=f"{r.plan.get_kind_display()} plan reviewed",
            by=_name(r.reviewed_by),
            detail=f"Next review {long_date(r.next_review_date)}.",
            url=reverse("cases:plan_detail", args=[young_person.pk, r.plan_id]),
            recorded_at=r.created_at,
        )


def _plan_actions(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    actions = (
        PlanAction.objects.filter(young_person=young_person)
        .select_related("created_by")
        .annotate(
            done_at=_recorded(
                young_person, EventKind.PLAN_ACTION_PROGRESS, "updated_at", progress="done"
            ),
            done_by=_recorded_by(young_person, EventKind.PLAN_ACTION_PROGRESS, progress="done"),
        )
    )
    for a in actions:
        url = reverse("cases:plan_detail", args=[young_person.pk, a.plan_id])
        what = "Contextual action" if a.is_contextual else "Plan action"
        detail = a.description
        if a.is_contextual:
            target = a.get_target_context_kind_display()
            detail = f"{target}, with {a.get_partner_agency_display()}: {detail}"
        yield ChronologyEntry(
            on=_day(a.created_at),
            kind=ChronologyKind.PLAN,
            title=f"{what} added",
            by=_name(a.created_by),
            detail=detail,
            url=url,
            recorded_at=a.created_at,
        )
        if a.completed_on:
            yield ChronologyEntry(
                on=a.completed_on,
                kind=ChronologyKind.PLAN,
                title=f"{what} done",
                by=_by(a.done_by),
                detail=a.description,
                url=url,
                recorded_at=a.done_at,
            )


def _relocations(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    url = reverse("cases:relocation_list", args=[young_person.pk])
    for r in Relocation.objects.filter(young_person=young_person).select_related("recorded_by"):
        because = "because of extra-familial harm" if r.because_of_extra_familial_harm else ""
        yield ChronologyEntry(
            on=r.moved_on,
            kind=ChronologyKind.RELOCATION,
            title=f"Relocation: {r.get_kind_display()}",
            by=_name(r.recorded_by),
            detail=" ".join(
                part
                for part in (
                    f"To {r.destination}." if r.destination else "",
                    f"Moved {because}." if because else "",
                    f"Plan addresses the contextual factors: "
                    f"{r.get_plan_addresses_factors_display()}.",
                )
                if part
            ),
            url=url,
            recorded_at=r.created_at,
        )


def _notes(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    url = reverse("cases:note_list", args=[young_person.pk])
    for n in CaseNote.objects.filter(young_person=young_person).select_related("author"):
        yield ChronologyEntry(
            on=n.noted_on,
            kind=ChronologyKind.NOTE,
            title=f"Case note: {n.subject}",
            by=_name(n.author),
            detail=n.body,
            url=url,
            recorded_at=n.created_at,
        )


def _documents(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    for d in Document.objects.filter(young_person=young_person).select_related("uploaded_by"):
        yield ChronologyEntry(
            on=_day(d.uploaded_at),
            kind=ChronologyKind.DOCUMENT,
            title=f"{d.get_kind_display()} added: {d.title}",
            by=_name(d.uploaded_by),
            url=reverse("cases:document_download", args=[young_person.pk, d.pk]),
            recorded_at=d.uploaded_at,
        )


def _allocations(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    rows = Allocation.objects.filter(young_person=young_person).select_related(
        "worker", "team", "started_by", "ended_by"
    )
    for a in rows:
        holder = a.worker.get_full_name() if a.kind == AllocationKind.WORKER else str(a.team)
        noun = "Worker" if a.kind == AllocationKind.WORKER else "Team"
        yield ChronologyEntry(
            on=_day(a.started_at),
            kind=ChronologyKind.ALLOCATION,
            title=f"{noun} allocated: {holder}",
            by=_name(a.started_by),
            recorded_at=a.started_at,
        )
        if a.ended_at:
            yield ChronologyEntry(
                on=_day(a.ended_at),
                kind=ChronologyKind.ALLOCATION,
                title=f"{noun} allocation ended: {holder}",
                by=_name(a.ended_by),
                detail=a.end_reason,
                recorded_at=a.ended_at,
            )


def _oversight(young_person: YoungPerson) -> Iterator[ChronologyEntry]:
    url = reverse("cases:oversight_list", args=[young_person.pk])
    notes = OversightNote.objects.filter(young_person=young_person).select_related("recorded_by")
    for n in notes:
        next_due = f" Next oversight due {long_date(n.next_review_on)}." if n.next_review_on else ""
        yield ChronologyEntry(
            on=n.recorded_on,
            kind=ChronologyKind.OVERSIGHT,
            title="Management oversight",
            by=_name(n.recorded_by),
            detail=f"Decision: {n.decision}\nReasons: {n.reasons}{next_due}",
            url=f"{url}#oversight-{n.pk}",
            recorded_at=n.created_at,
        )


# One query each; context links join here when context records arrive.
_SOURCES = {
    ChronologyKind.REFERRAL: (_referrals,),
    ChronologyKind.ASSESSMENT: (_assessments,),
    ChronologyKind.FLAG: (_flags,),
    ChronologyKind.PLAN: (_plans, _plan_reviews, _plan_actions),
    ChronologyKind.RELOCATION: (_relocations,),
    ChronologyKind.NOTE: (_notes,),
    ChronologyKind.DOCUMENT: (_documents,),
    ChronologyKind.ALLOCATION: (_allocations,),
    ChronologyKind.OVERSIGHT: (_oversight,),
}


def chronology_for_young_person(
    *, young_person: YoungPerson, kinds: Iterable[str] = ()
) -> list[ChronologyEntry]:
    """Every entry of the chosen kinds (all when none are chosen), newest first."""
    chosen = [k for k in ChronologyKind.values if k in set(kinds)] or ChronologyKind.values
    entries = [
        entry for kind in chosen for source in _SOURCES[kind] for entry in source(young_person)
    ]
    earliest = timezone.make_aware(datetime.min.replace(year=1900))
    entries.sort(key=lambda e: (e.on, e.recorded_at or earliest), reverse=True)
    return entries
