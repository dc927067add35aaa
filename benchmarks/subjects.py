"""Who and what the benchmarks look at, chosen by query from whatever data the database holds, so
the same run works on the demo and on every scale of generated data."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from cases.models import Allocation, AllocationKind, YoungPerson
from contexts.models import Context, ContextLink
from contexts.reference import ContextStatus
from csafe.accounts.models import Role, User
from csafe.audit.models import Event
from harms.models import HarmFlag

from .timing import BenchmarkError

MEDIAN = "median"
LARGEST = "largest"


@dataclass(frozen=True)
class Subjects:
    """Ids and the numbers that made each choice; ids only, never a name."""

    practitioner_id: int
    practitioner_pick: str  # MEDIAN or LARGEST caseload
    caseload: int  # the practitioner's active worker allocations
    practitioners_with_caseload: int
    young_person_id: int  # the heaviest record on that caseload
    young_person_flags: int
    young_person_events: int
    context_id: int  # the open context with the most active links
    context_open: bool
    context_active_links: int
    team_manager_id: int  # a manager of the team holding the most young people
    team_young_people: int
    service_manager_id: int

    def as_dict(self) -> dict:
        return asdict(self)


def _active_worker_allocations() -> Q:
    return Q(
        allocations__kind=AllocationKind.WORKER,
        allocations__ended_at__isnull=True,
    )


def _practitioner(pick: str) -> tuple[int, int, int]:
    """(id, caseload, how many practitioners have one): the practitioner whose count of active
    worker allocations is the median of those who have any, or the largest."""
    caseloads = list(
        User.objects.filter(role=Role.PRACTITIONER, is_active=True, team__isnull=False)
        .annotate(caseload=Count("allocations", filter=_active_worker_allocations()))
        .filter(caseload__gt=0)
        .order_by("caseload", "pk")
        .values_list("pk", "caseload")
    )
    if not caseloads:
        raise BenchmarkError("No active practitioner has a young person allocated")
    chosen = caseloads[-1] if pick == LARGEST else caseloads[len(caseloads) // 2]
    return chosen[0], chosen[1], len(caseloads)


def _count_per_young_person(model) -> Coalesce:
    counted = (
        model.objects.filter(young_person=OuterRef("pk"))
        .order_by()
        .values("young_person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _heaviest_young_person(practitioner_id: int) -> YoungPerson:
    """The practitioner's young person with the most harm flags and audit events together: the
    record whose page, chronology and flag list have the most to show."""
    allocated = Allocation.objects.filter(
        worker_id=practitioner_id, kind=AllocationKind.WORKER, ended_at__isnull=True
    ).values("young_person_id")
    return (
        YoungPerson.objects.filter(pk__in=allocated)
        .annotate(
            flag_count=_count_per_young_person(HarmFlag),
            event_count=_count_per_young_person(Event),
        )
        .order_by((F("flag_count") + F("event_count")).desc(), "pk")
        .first()
    )


def _busiest_context() -> Context:
    """Contexts are open to every practitioner (contexts.permissions.can_view_contexts), so any
    context will do: the one with the most active links, an open one if there is any (a closed
    context's page also reads its closure, so runs that picked one of each would not compare)."""
    links = (
        ContextLink.objects.filter(context=OuterRef("pk"), ended_at__isnull=True)
        .order_by()
        .values("context")
        .annotate(n=Count("pk"))
        .values("n")
    )
    context = (
        Context.objects.annotate(
            active_links=Coalesce(Subquery(links, output_field=IntegerField()), Value(0))
        )
        .order_by(
            Case(When(status=ContextStatus.OPEN, then=Value(0)), default=Value(1)),
            "-active_links",
            "pk",
        )
        .first()
    )
    if context is None:
        raise BenchmarkError("There is no context record")
    return context


def _team_manager() -> User:
    """An active team manager of the team holding the most young people."""
    manager = (
        User.objects.filter(role=Role.TEAM_MANAGER, is_active=True, team__isnull=False)
        .annotate(team_young_people=Count("team__young_people"))
        .order_by("-team_young_people", "pk")
        .first()
    )
    if manager is None:
        raise BenchmarkError("There is no active team manager with a team")
    return manager


def pick_subjects(*, practitioner: str = MEDIAN) -> Subjects:
    practitioner_id, caseload, with_caseload = _practitioner(practitioner)
    young_person = _heaviest_young_person(practitioner_id)
    context = _busiest_context()
    manager = _team_manager()
    service_manager = (
        User.objects.filter(role=Role.SERVICE_MANAGER, is_active=True).order_by("pk").first()
    )
    if service_manager is None:
        raise BenchmarkError("There is no active service manager")
    return Subjects(
        practitioner_id=practitioner_id,
        practitioner_pick=practitioner,
        caseload=caseload,
        practitioners_with_caseload=with_caseload,
        young_person_id=young_person.pk,
        young_person_flags=young_person.flag_count,
        young_person_events=young_person.event_count,
        context_id=context.pk,
        context_active_links=context.active_links,
        context_open=context.status == ContextStatus.OPEN,
        team_manager_id=manager.pk,
        team_young_people=manager.team_young_people,
        service_manager_id=service_manager.pk,
    )
