"""Every read of young people. Access is decided in cases/permissions.py and applied here, so
pages, the API, exports and downloads all see the same records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from csafe.accounts import permissions as role_permissions
from csafe.audit.models import AccessChannel, EventKind
from csafe.audit.services import event_record, record_access_log, record_list_access
from harms.models import FlagStatus, HarmFlag

from .. import permissions
from ..models import Allocation, AllocationKind, LocationOfHarm, Referral, YoungPerson


def _current_flags() -> Prefetch:
    """Current harm flags only: archived flags stop labelling the child everywhere."""
    return Prefetch(
        "harm_flags",
        queryset=HarmFlag.objects.filter(status=FlagStatus.ACTIVE)
        .select_related("harm_type")
        .order_by("harm_type__name"),
        to_attr="current_flags",
    )


def _active_workers() -> Prefetch:
    return Prefetch(
        "allocations",
        queryset=Allocation.objects.filter(kind=AllocationKind.WORKER, ended_at__isnull=True)
        .select_related("worker", "worker__team")
        .order_by("started_at"),
        to_attr="active_worker_allocations",
    )


def young_person_get_for_user(
    *,
    user,
    pk: int,
    channel: AccessChannel,
    resource: str,
    perm: str = permissions.VIEW,
    with_current_flags: bool = False,
    with_active_workers: bool = False,
) -> YoungPerson:
    """The young person ``pk`` if ``user`` holds ``perm`` on it; otherwise Http404, so that a
    record's existence does not leak. Every successful fetch is written to the access log.
    ``with_current_flags`` prefetches ``current_flags`` and ``with_active_workers``
    ``active_worker_allocations`` (one more query each), for the serializers that show them:
    the pages and the other endpoints do not, so they do not pay for them."""
    prefetches = []
    if with_active_workers:
        prefetches.append(_active_workers())
    if with_current_flags:
        prefetches.append(_current_flags())
    young_person = (
        permissions.young_people_visible_to(user, perm)
        .filter(pk=pk)
        .select_related("team")
        .prefetch_related(*prefetches)
        .first()
    )
    if young_person is None:
        raise Http404("No young person found")
    record_access_log(user=user, young_person=young_person, channel=channel, resource=resource)
    return young_person


@dataclass(frozen=True)
class CaseloadFilters:
    search: str = ""
    status: str = ""
    allocated_to_me: bool = False
    ordering: str = "name"


ORDERINGS = {
    "name": ("last_name", "first_name", "pk"),
    "-updated": ("-updated_at", "pk"),
    "dob": ("date_of_birth", "pk"),
}


def young_person_list_for_user(
    *, user, filters: CaseloadFilters | None = None
) -> QuerySet[YoungPerson]:
    """The young people ``user`` may view, filtered, with team, active workers and current harm
    flags prefetched: four queries whatever the number of rows (count, records, workers, flags)."""
    filters = filters or CaseloadFilters()
    queryset = permissions.young_people_visible_to(user).select_related("team")
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(preferred_name__icontains=term)
            | Q(local_identifier__iexact=term)
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.allocated_to_me:
        queryset = queryset.filter(
            allocations__kind=AllocationKind.WORKER,
            allocations__worker=user,
            allocations__ended_at__isnull=True,
        )
    return queryset.prefetch_related(_active_workers(), _current_flags()).order_by(
        *ORDERINGS.get(filters.ordering, ORDERINGS["name"])
    )


def caseload_rows_to_log(
    *, user, filters: CaseloadFilters, young_people: list[YoungPerson]
) -> list[YoungPerson]:
    """The access-log rule for the caseload, page and API alike: which of the young people shown
    are written to the log as listed.

    A search or a status filter is a look-up, so every young person it shows is logged. An
    unfiltered list logs those the viewer is not allocated to as a worker (a team manager's team,
    say) and leaves out the viewer's own allocated young people, whom they see there every day
    as their work. "Only mine" and the sort order are not look-ups: they show no one the
    unfiltered list would not. ``young_people`` are the rows on screen, from
    young_person_list_for_user, whose prefetched ``active_worker_allocations`` this reads (no
    query)."""
    if filters.search.strip() or filters.status:
        return list(young_people)
    return [
        person
        for person in young_people
        if not any(a.worker_id == user.pk for a in person.active_worker_allocations)
    ]


def caseload_access_record(
    *, user, filters: CaseloadFilters, young_people: list[YoungPerson], resource: str
) -> int:
    """Write the caseload rows on screen that caseload_rows_to_log says to the access log, in one
    INSERT; returns how many. Call it with the page shown, in the request that shows it."""
    return record_list_access(
        user=user,
        young_people=caseload_rows_to_log(user=user, filters=filters, young_people=young_people),
        resource=resource,
    )


def allocation_history_for_young_person(
    *, young_person: YoungPerson, with_actors: bool = True
) -> QuerySet[Allocation]:
    """Everyone who has held the case, newest first, with worker and team. ``with_actors`` also
    joins who started and who ended each allocation; the record page shows neither, and two
    fewer joins of the users table make its query cheaper to build and to run. The caller has
    already checked access."""
    related = ["worker", "team", *(("started_by", "ended_by") if with_actors else ())]
    return young_person.allocations.select_related(*related).order_by("-started_at", "-pk")


def allocation_get_for_young_person(*, young_person_pk: int, pk: int) -> Allocation:
    """Allocation ``pk`` of young person ``young_person_pk``, with its worker and young person;
    Http404 for any other. Checks no access and writes no access-log row: the caller decides
    who may act on it (the page that ends an allocation refuses anyone but a manager of the
    holding team before it fetches the record)."""
    allocation = (
        Allocation.objects.select_related("worker", "young_person")
        .filter(pk=pk, young_person_id=young_person_pk)
        .first()
    )
    if allocation is None:
        raise Http404("No allocation found")
    return allocation


@dataclass(frozen=True)
class HomeSummary:
    open_cases: int | None = None
    allocated_to_me: int | None = None
    without_worker: int | None = None


def home_summary_for_user(*, user) -> HomeSummary:
    """Counts for the home page, from the records the user may see (one aggregate query)."""
    if not role_permissions.can_use_caseload(user):
        return HomeSummary()
    active_worker = Allocation.objects.filter(
        young_person=OuterRef("pk"), kind=AllocationKind.WORKER, ended_at__isnull=True
    )
    mine = active_worker.filter(worker=user)
    counts = (
        permissions.young_people_visible_to(user)
        .filter(status="open")
        .annotate(has_worker=Exists(active_worker), is_mine=Exists(mine))
        .aggregate(
            open_cases=Count("pk"),
            allocated_to_me=Count("pk", filter=Q(is_mine=True)),
            without_worker=Count("pk", filter=Q(has_worker=False)),
        )
    )
    return HomeSummary(**counts)


@dataclass(frozen=True)
class PossibleDuplicate:
    """A record that may be the same child. Details only when the user may see the record;
    otherwise just the team holding it, so the user can ask them instead of making a second."""

    team_name: str
    pk: int | None = None
    display_name: str = ""
    local_identifier: str = ""
    date_of_birth: date | None = None

    @property
    def visible(self) -> bool:
        return self.pk is not None


def young_person_possible_duplicates(
    *, user, first_name: str, last_name: str, date_of_birth: date
) -> list[PossibleDuplicate]:
    """Records that may be the same child, at most ten, in three queries.

    Records the user may see are matched loosely (the same date of birth and either name, or the
    same names with day and month swapped, a common slip) and shown in full. Records they may not
    see are matched only on both names and the date of birth (or its swap), and show only the team
    holding them: enough to ask that team rather than open a second record, too little to learn
    who is known to the service from a date of birth and one name. Each check that finds a record
    the user may not see is written to the audit trail, so probing can be spotted."""
    first, last = first_name.strip(), last_name.strip()
    both_names = Q(first_name__iexact=first, last_name__iexact=last)
    dates = [date_of_birth]
    if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
        swapped = date(date_of_birth.year, date_of_birth.day, date_of_birth.month)
        dates.append(swapped)
    near = Q(date_of_birth=date_of_birth) & (
        Q(first_name__iexact=first) | Q(last_name__iexact=last)
    )
    if len(dates) > 1:
        near |= Q(date_of_birth=dates[1]) & both_names
    candidates = list(
        YoungPerson.objects.filter(near).select_related("team").order_by("last_name", "pk")[:10]
    )
    visible = set(
        permissions.young_people_visible_to(user)
        .filter(pk__in=[c.pk for c in candidates])
        .values_list("pk", flat=True)
    )
    found = []
    unseen = 0
    for c in candidates:
        if c.pk in visible:
            found.append(
                PossibleDuplicate(
                    team_name=c.team.name if c.team else "no team",
                    pk=c.pk,
                    display_name=c.display_name,
                    local_identifier=c.local_identifier,
                    date_of_birth=c.date_of_birth,
                )
            )
        elif c.first_name.lower() == first.lower() and c.last_name.lower() == last.lower():
            found.append(PossibleDuplicate(team_name=c.team.name if c.team else "no team"))
            unseen += 1
    if unseen:
        event_record(
            actor=user,
            kind=EventKind.DUPLICATE_CHECK_MATCHED_UNSEEN,
            target=user,
            detail={"unseen_matches": unseen},
        )
    return found


def referrals_for_young_person(*, young_person: YoungPerson, with_names: bool = True):
    """Referrals newest first, with their recorder, their locations (with location type) and
    the flags they raised: three queries. ``with_names`` (the record page, the subject access
    export) also joins each location's context and each flag's harm type, to name them; the API
    gives flags as ids and no context, so it leaves both out."""
    location_related = ("location_type", "context") if with_names else ("location_type",)
    flags = HarmFlag.objects.all()
    if with_names:
        flags = flags.select_related("harm_type")
    return (
        Referral.objects.filter(young_person=young_person)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "locations",
                queryset=LocationOfHarm.objects.select_related(*location_related).order_by("pk"),
            ),
            Prefetch("harm_flags", queryset=flags),
        )
        .order_by("-received_on", "-pk")
    )
