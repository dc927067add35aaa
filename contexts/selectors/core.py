"""Reads of context records themselves: the configuration, the list, the duplicate search run
when a context is opened, and a context's chronology.

Context-facing, like the rest of this package: every function here returns contexts, staff and
counts. Where a read has to touch the link table (the count of linked young people, the link
entries of the chronology) it asks the database for a count or for timestamps only, so no
young person, and no link row, ever reaches a caller.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from cases.reference import ActionProgress
from csafe.accounts.models import User
from csafe.audit.models import Event, EventKind
from csafe.core.dates import long_date
from csafe.core.validators import normalise_postcode
from csafe.core.vocabulary import ContextKind

from .. import permissions
from ..models import (
    Context,
    ContextConfiguration,
    ContextLink,
    ContextPlanAction,
    ContextRecord,
    ContextStatusChange,
    NamingConvention,
)
from ..naming import normalise
from ..reference import ContextStatus, PeerGroupTerm, triangle_headings

# --- Configuration ------------------------------------------------------------------------------


def context_configuration() -> ContextConfiguration:
    """The configuration row (the data migration makes it); an unsaved row with the defaults if
    it has gone, so that reading never writes."""
    return ContextConfiguration.objects.order_by("pk").first() or ContextConfiguration()


def peer_group_word(configuration: ContextConfiguration | None = None) -> str:
    """The word shown for a peer group: "Group", "Network", "Non-familial connection"..."""
    configuration = configuration or context_configuration()
    return PeerGroupTerm(configuration.peer_group_term).label


def kind_label(kind: str, term: str) -> str:
    """How a kind of context is shown: a peer group is shown with the configured word."""
    if kind == ContextKind.PEER_GROUP:
        return term
    try:  # not ``kind in ContextKind.values``, which builds the list again on every call
        return ContextKind(kind).label
    except ValueError:
        return kind


def kind_choices(term: str) -> list[tuple[str, str]]:
    """(value, label) for every kind, the peer group worded as configured."""
    return [(value, kind_label(value, term)) for value in ContextKind.values]


def naming_conventions() -> dict[str, NamingConvention]:
    """{kind: convention} for every kind that has one, in one query."""
    return {c.kind: c for c in NamingConvention.objects.select_related("updated_by")}


def naming_convention_for(kind: str) -> NamingConvention | None:
    return NamingConvention.objects.filter(kind=kind).first()


def lead_practitioner_choices() -> QuerySet:
    """Staff who may lead a context: active practitioners and team managers in a team."""
    return (
        User.objects.filter(is_active=True, role__in=list(permissions.WRITERS), team__isnull=False)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


# --- The list ------------------------------------------------------------------------------------


def _active_link_count() -> Coalesce:
    """The number of active links of the outer context, as a correlated subquery (an index-only
    scan of the partial unique index on active links)."""
    active = (
        ContextLink.objects.filter(context=OuterRef("pk"), ended_at__isnull=True)
        .order_by()
        .values("context")
        .annotate(n=Count("context"))  # the indexed column: an index-only scan
        .values("n")
    )
    return Coalesce(Subquery(active, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class ContextFilters:
    kind: str = ""
    status: str = ""
    search: str = ""


def context_list_for_user(*, user, filters: ContextFilters | None = None) -> QuerySet[Context]:
    """Contexts for someone who may view them (none for anyone else), each annotated with
    ``linked_young_people``: the number of young people linked now, counted in the same query
    (one active link per child and context is a database constraint, so active links count
    children). Open contexts first, then by name.

    The count is a correlated subquery, not a join and GROUP BY: PostgreSQL computes it after
    the sort and limit, for the rows of the page only, and the paginator's COUNT(*) leaves it
    out; a join would count the links of every context before the first page could be cut."""
    if not permissions.can_view_contexts(user):
        return Context.objects.none()
    filters = filters or ContextFilters()
    contexts = Context.objects.select_related("lead_practitioner", "team", "location_type")
    if filters.kind:
        contexts = contexts.filter(kind=filters.kind)
    if filters.status:
        contexts = contexts.filter(status=filters.status)
    search = filters.search.strip()
    if search:
        query = Q(name__icontains=search) | Q(area__icontains=search)
        query |= Q(label__icontains=search)
        compact = normalise(search)
        if compact:
            query |= Q(normalised_name__contains=compact)
        postcode = normalise_postcode(search)
        if len(postcode) >= 2:
            query |= Q(postcode__istartswith=postcode) | Q(postcode_district__iexact=postcode)
        contexts = contexts.filter(query)
    return contexts.annotate(linked_young_people=_active_link_count()).order_by(
        "-status", "name", "pk"
    )  # "open" sorts after "closed": descending puts it first


def with_harm_types(*, contexts: QuerySet[Context]) -> QuerySet[Context]:
    """``contexts`` with each context's harm types read into the list ``harm_type_list``, in one
    more query. A list (``to_attr``), not the prefetch cache of ``harm_types``: filling that
    cache costs Django a related manager and a queryset clone for every row, which was half of
    the time the API took to answer a page of fifty."""
    return contexts.prefetch_related(Prefetch("harm_types", to_attr="harm_type_list"))


def context_with_link_count(*, pk: int) -> Context | None:
    """One context with ``linked_young_people`` annotated and ``harm_type_list`` read, as the
    API list has them (for the API's answers about one context)."""
    return with_harm_types(
        contexts=Context.objects.select_related("lead_practitioner", "team", "location_type")
        .annotate(linked_young_people=_active_link_count())
        .filter(pk=pk)
    ).first()


# --- Duplicates ---------------------------------------------------------------------------------

# Near-duplicate names: difflib's ratio on normalised names, among contexts of the same kind.
SIMILARITY = 0.85
# ratio = 2 * matches / (len(a) + len(b)) and matches <= the shorter length, so a ratio of 0.85
# needs the shorter name to be at least 0.85 / 1.15 of the longer: the database filters on
# length first, and compares at most this many of the most recently opened candidates.
_LENGTH_RATIO = SIMILARITY / (2 - SIMILARITY)
MAX_SIMILARITY_CANDIDATES = 500
MAX_NEAR_MATCHES = 10


@dataclass(frozen=True)
class NameMatches:
    """Contexts that may already be the one being opened. ``open_match`` and ``closed_match``
    have exactly the name; ``near`` are the same name written differently, the same kind and
    postcode, or a similar name of the same kind."""

    open_match: Context | None = None
    closed_match: Context | None = None
    near: list[Context] = field(default_factory=list)


def _similar_pks(kind: str, normalised: str, exclude: set[int]) -> list[int]:
    if not normalised:
        return []
    length = len(normalised)
    shortest = int(length * _LENGTH_RATIO)
    longest = int(length / _LENGTH_RATIO) + 1
    candidates = (
        Context.objects.filter(kind=kind)
        .exclude(pk__in=exclude)
        .annotate(name_length=Length("normalised_name"))
        .filter(name_length__gte=shortest, name_length__lte=longest)
        .order_by("-opened_on", "-pk")
        .values_list("pk", "normalised_name")[:MAX_SIMILARITY_CANDIDATES]
    )
    similar = []
    for pk, other in candidates:
        matcher = difflib.SequenceMatcher(None, normalised, other, autojunk=False)
        if (
            matcher.real_quick_ratio() >= SIMILARITY
            and matcher.quick_ratio() >= SIMILARITY
            and matcher.ratio() >= SIMILARITY
        ):
            similar.append(pk)
    return similar


def context_name_matches(
    *, name: str, kind: str, postcode: str = "", exclude_pk: int | None = None
) -> NameMatches:
    """What the duplicate check on opening a context finds for ``name``: at most four queries,
    whatever the number of contexts (the similarity comparison is bounded)."""
    base = Context.objects.select_related("lead_practitioner", "team", "location_type")
    if exclude_pk is not None:
        base = base.exclude(pk=exclude_pk)
    exact = list(base.filter(name__iexact=name.strip()).order_by("-status", "-opened_on", "pk"))
    open_match = next((c for c in exact if c.status == ContextStatus.OPEN), None)
    closed_match = next((c for c in exact if c.status == ContextStatus.CLOSED), None)
    exclude = {c.pk for c in exact}
    if exclude_pk is not None:
        exclude.add(exclude_pk)
    normalised = normalise(name)
    postcode = normalise_postcode(postcode)
    near_query = Q(normalised_name=normalised) if normalised else Q(pk__in=[])
    if postcode:
        near_query |= Q(kind=kind, postcode=postcode)
    similar = _similar_pks(kind, normalised, exclude)
    if similar:
        near_query |= Q(pk__in=similar)
    near = list(
        base.filter(near_query)
        .exclude(pk__in=exclude)
        .order_by("-status", "name", "pk")[:MAX_NEAR_MATCHES]
    )
    return NameMatches(open_match=open_match, closed_match=closed_match, near=near)


# --- A context's details -------------------------------------------------------------------------


def context_harm_types(*, context: Context) -> list:
    """The harm types the context is associated with, retired ones too, by name: one query."""
    return list(context.harm_types.order_by("name"))


# --- Closure -------------------------------------------------------------------------------------


def latest_status_change(*, context: Context) -> ContextStatusChange | None:
    """The last closure or reopening, with who made it: one query."""
    return (
        ContextStatusChange.objects.filter(context=context)
        .select_related("by")
        .order_by("-on", "-pk")
        .first()
    )


# --- Chronology ----------------------------------------------------------------------------------


class ChronologyKind:
    OPENED = "opened"
    STATUS = "status"
    RECORD = "record"
    ACTION = "action"
    LINK = "link"
    UPDATE = "update"

    LABELS = {
        OPENED: "Opened",
        STATUS: "Status",
        RECORD: "Assessment or note",
        ACTION: "Plan",
        LINK: "Link",
        UPDATE: "Details",
    }


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
        return ChronologyKind.LABELS[self.kind]


def _person(user) -> str:
    return user.get_full_name() or user.username if user is not None else ""


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _opened(context: Context) -> list[ChronologyEntry]:
    return [
        ChronologyEntry(
            on=context.opened_on,
            kind=ChronologyKind.OPENED,
            title="Context opened",
            by=_person(context.created_by),
            detail=context.incident,
            recorded_at=context.created_at,
        )
    ]


def _status_changes(context: Context) -> list[ChronologyEntry]:
    headings = triangle_headings(context.kind)
    entries = []
    for change in ContextStatusChange.objects.filter(context=context).select_related("by"):
        lines = [f"Reason: {change.reason}"]
        if change.action == ContextStatusChange.Action.CLOSED:
            lines += [
                f"{headings['functioning']}: {change.functioning_change}",
                f"{headings['guardianship']}: {change.guardianship_change}",
                f"{headings['environment']}: {change.environment_change}",
            ]
        entries.append(
            ChronologyEntry(
                on=change.on,
                kind=ChronologyKind.STATUS,
                title=f"Context {change.get_action_display().lower()}",
                by=_person(change.by),
                detail="\n".join(lines),
                recorded_at=change.created_at,
            )
        )
    return entries


def _records(context: Context) -> list[ChronologyEntry]:
    return [
        ChronologyEntry(
            on=record.held_on,
            kind=ChronologyKind.RECORD,
            title=f"{record.get_kind_display()} recorded",
            by=_person(record.recorded_by),
            recorded_at=record.created_at,
        )
        for record in ContextRecord.objects.filter(context=context).select_related("recorded_by")
    ]


def _actions(context: Context, done_by: dict[int, str]) -> list[ChronologyEntry]:
    """``done_by``: who last marked each action done, from the context's progress events."""
    headings = triangle_headings(context.kind)
    entries = []
    rows = ContextPlanAction.objects.filter(context=context).select_related("created_by")
    for action in rows:
        detail = (
            f"{headings.get(action.side, action.get_side_display())}: {action.description} "
            f"({action.get_partner_agency_display()}, owner {action.owner}, due "
            f"{long_date(action.due_date)})"
        )
        entries.append(
            ChronologyEntry(
                on=_day(action.created_at),
                kind=ChronologyKind.ACTION,
                title="Plan action added",
                by=_person(action.created_by),
                detail=detail,
                recorded_at=action.created_at,
            )
        )
        if action.completed_on:
            entries.append(
                ChronologyEntry(
                    on=action.completed_on,
                    kind=ChronologyKind.ACTION,
                    title="Plan action done",
                    by=done_by.get(action.pk, ""),
                    detail=action.description,
                    recorded_at=action.updated_at,
                )
            )
    return entries


def _links(context: Context) -> list[ChronologyEntry]:
    """Links as counts per day and per member of staff who made or ended them: "Young people
    linked: 2 more" by the practitioner who linked them, "Links ended: 1" by whoever ended it.
    A professional's name is the context's to show (as its list of professionals working with
    linked young people does); never which young person, nor why they were linked or the link
    ended. The query selects the two timestamps and the two members of staff's names only, no
    column of the young person or of the link's reasons; the last moment of each group orders
    it among the day's other entries (it is not shown)."""
    rows = ContextLink.objects.filter(context=context).values_list(
        "linked_at",
        "linked_by__first_name",
        "linked_by__last_name",
        "linked_by__username",
        "ended_at",
        "ended_by__first_name",
        "ended_by__last_name",
        "ended_by__username",
    )
    groups: dict[tuple[str, date, str], tuple[int, datetime]] = {}
    for linked_at, *linker, ended_at, first, last_name, username in rows:
        ender = (first, last_name, username)
        for what, moment, names in (("linked", linked_at, linker), ("ended", ended_at, ender)):
            if moment is None:
                continue
            key = (what, _day(moment), _staff_name(*names))
            count, latest = groups.get(key, (0, moment))
            groups[key] = (count + 1, max(latest, moment))
    titles = {"linked": "Young people linked: {} more", "ended": "Links ended: {}"}
    return [
        ChronologyEntry(
            on=day,
            kind=ChronologyKind.LINK,
            title=titles[what].format(count),
            by=by,
            recorded_at=latest,
        )
        for (what, day, by), (count, latest) in groups.items()
    ]


def _staff_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """As ``_person`` names a member of staff, from the columns of a values() query."""
    return f"{first_name or ''} {last_name or ''}".strip() or (username or "")


# Events that add to the chronology what the rows above cannot show. Never link events: those
# carry a young person and belong on the child's chronology only.
_EVENT_TITLES = {
    EventKind.CONTEXT_UPDATED: "Details changed",
    EventKind.CONTEXT_ACTION_PROGRESS: "Plan action progress updated",
    EventKind.CONTEXT_PLAN_REVIEW_SET: "Plan review date set",
    # Which row's text was corrected, withdrawn or redacted, never the text (the event holds
    # none: contexts.services.corrections).
    EventKind.CONTEXT_TEXT_CORRECTED: "Text corrected",
    EventKind.CONTEXT_TEXT_WITHDRAWN: "Text withdrawn",
    EventKind.CONTEXT_TEXT_REDACTED: "Passage redacted",
}
_TEXT_PARTS = {
    "record": "An assessment or meeting note",
    "action": "A plan action",
    "status_change": "A closure or reopening",
}
_TEXT_EVENTS = {
    EventKind.CONTEXT_TEXT_CORRECTED,
    EventKind.CONTEXT_TEXT_WITHDRAWN,
    EventKind.CONTEXT_TEXT_REDACTED,
}


def _event_detail(event: Event) -> str:
    detail = event.detail if isinstance(event.detail, dict) else {}
    if event.kind == EventKind.CONTEXT_UPDATED and detail.get("changed"):
        return f"Changed: {', '.join(detail['changed'])}"
    if event.kind == EventKind.CONTEXT_ACTION_PROGRESS and detail.get("progress"):
        progress = detail["progress"]
        return ActionProgress(progress).label if progress in ActionProgress.values else ""
    if event.kind in _TEXT_EVENTS:
        return _TEXT_PARTS.get(detail.get("part"), "")
    if event.kind == EventKind.CONTEXT_PLAN_REVIEW_SET and detail.get("to"):
        try:
            return f"Review on {long_date(date.fromisoformat(detail['to']))}"
        except ValueError:
            return ""
    return ""


def _event_rows(context: Context) -> list[Event]:
    return list(
        Event.objects.filter(
            kind__in=[str(kind) for kind in _EVENT_TITLES],
            young_person__isnull=True,
            target_type=ContentType.objects.get_for_model(Context),
            target_id=str(context.pk),
        )
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )


def _done_by(events: list[Event]) -> dict[int, str]:
    """Who last marked each plan action done (the events are oldest first)."""
    done = {}
    for event in events:
        detail = event.detail if isinstance(event.detail, dict) else {}
        if event.kind == EventKind.CONTEXT_ACTION_PROGRESS and detail.get("progress") == "done":
            done[detail.get("action")] = _person(event.actor)
    return done


def _events(events: list[Event]) -> list[ChronologyEntry]:
    return [
        ChronologyEntry(
            on=_day(event.occurred_at),
            kind=ChronologyKind.UPDATE
            if event.kind == EventKind.CONTEXT_UPDATED or event.kind in _TEXT_EVENTS
            else ChronologyKind.ACTION,
            title=_EVENT_TITLES[EventKind(event.kind)],
            by=_person(event.actor),
            detail=_event_detail(event),
            recorded_at=event.occurred_at,
        )
        for event in events
    ]


def context_chronology(*, context: Context) -> list[ChronologyEntry]:
    """Everything that happened to the context, newest first: opened, assessments and meeting
    notes, plan actions, changes of details, closures and reopenings, and links as counts per
    day and member of staff ("Young people linked: 2 more" by who linked them, "Links ended: 1"),
    naming no young person (see ``_links``). One query per kind, whatever the length.
    The caller has fetched ``context`` through ``contexts.access.context_for_request``."""
    events = _event_rows(context)
    entries = [
        *_opened(context),
        *_status_changes(context),
        *_records(context),
        *_actions(context, done_by=_done_by(events)),
        *_links(context),
        *_events(events),
    ]
    epoch = timezone.make_aware(datetime(1970, 1, 1))
    entries.sort(key=lambda e: (e.on, e.recorded_at or epoch), reverse=True)
    return entries
