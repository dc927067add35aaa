"""Reads of a young person's harm flags. Callers have already fetched the young person through
``cases.access.young_person_for_request`` (or ``young_person_get_for_user``), which checks access
and writes the access log; these take that record and read only its own flags."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from csafe.audit.models import Event, EventKind
from harms.models import FlagStatus, HarmFlag, Nature

from ..models import YoungPerson


@dataclass
class YoungPersonFlags:
    extra_familial: list[HarmFlag]
    intra_familial: list[HarmFlag]
    archived: list[HarmFlag]

    @property
    def current(self) -> list[HarmFlag]:
        return self.extra_familial + self.intra_familial

    @property
    def every(self) -> list[HarmFlag]:
        """Current and archived: every flag the young person has."""
        return self.current + self.archived


def flags_for_young_person(*, young_person) -> YoungPersonFlags:
    """Current flags grouped by nature, and archived flags, in one query."""
    flags = list(
        HarmFlag.objects.filter(young_person=young_person)
        .select_related("harm_type", "raised_by", "archived_by")
        .order_by("harm_type__name", "-identified_on")
    )
    current = [f for f in flags if f.status == FlagStatus.ACTIVE]
    return YoungPersonFlags(
        extra_familial=[f for f in current if f.nature == Nature.EXTRA_FAMILIAL],
        intra_familial=[f for f in current if f.nature == Nature.INTRA_FAMILIAL],
        archived=sorted(
            (f for f in flags if f.status == FlagStatus.ARCHIVED),
            key=lambda f: f.archived_at,
            reverse=True,
        ),
    )


FLAG_EVENT_KINDS = [
    EventKind.FLAG_RAISED,
    EventKind.FLAG_ARCHIVED,
    EventKind.FLAG_REINSTATED,
    EventKind.FLAG_REVIEW_DATE_CHANGED,
]


@dataclass
class FlagTimelineEntry:
    event: Event
    flag: HarmFlag | None

    @property
    def kind_label(self) -> str:
        """The event's kind as shown, as ``Event.kind_label`` gives it, without building the
        list of every kind of event again for each entry."""
        try:
            return EventKind(self.event.kind).label
        except ValueError:
            return self.event.kind


def flag_timeline_for_young_person(
    *, young_person, limit: int = 50, flags: YoungPersonFlags | None = None
) -> list[FlagTimelineEntry]:
    """Flags raised, archived and reinstated, newest first: two queries, or one when ``flags``
    (``flags_for_young_person`` of the same young person, already read for the page) is given:
    a flag event on a young person's record names one of that young person's own flags, so the
    flags are taken from there. Any flag not found there is read as before."""
    events = list(
        Event.objects.filter(young_person=young_person, kind__in=FLAG_EVENT_KINDS)
        .select_related("actor")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    flag_ids = {int(e.target_id) for e in events}
    known = {f.pk: f for f in flags.every} if flags is not None else {}
    missing = flag_ids - known.keys()
    if missing:
        known.update(HarmFlag.objects.select_related("harm_type").in_bulk(missing))
    return [FlagTimelineEntry(e, known.get(int(e.target_id))) for e in events]


def harm_flag_get_for_young_person(*, young_person: YoungPerson, pk: int) -> HarmFlag:
    """One flag of an already-authorised young person, with its type and record (Http404 for
    a flag that is not this young person's)."""
    return get_object_or_404(
        HarmFlag.objects.select_related("harm_type", "young_person"),
        pk=pk,
        young_person=young_person,
    )


def harm_flag_list_for_young_person(
    *, young_person: YoungPerson, status: str | None = None
) -> QuerySet[HarmFlag]:
    """An already-authorised young person's flags, newest identified first, with their type and
    who raised them; only those of ``status`` (active or archived) when it is given."""
    flags = HarmFlag.objects.filter(young_person=young_person).select_related(
        "harm_type", "raised_by"
    )
    if status is not None:
        flags = flags.filter(status=status)
    return flags
