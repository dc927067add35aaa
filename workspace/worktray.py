"""The worktray: the work waiting for someone, read from the records themselves.

There is no task table that could drift from the records: every row is a record in a state that
needs someone (an assessment completed and not authorised, a plan submitted and not signed off,
a review date passed...), found by one query per kind of work. The header's count is the same
queries, counted together in one.

Whose work it is:

* A team manager: the young people their team holds that they may see, and the contexts their
  team leads. Only dates already passed count as overdue.
* A practitioner (or anyone allocated to young people as a worker): the young people allocated to
  them that they may see, and the contexts they lead; what is overdue and what falls due within
  ``DUE_SOON_DAYS``, and work returned to them.

Young people come only from ``cases.permissions.young_people_visible_to`` (never by role), so a
row never names a child the reader may not see. Context rows name the context and its lead,
never a child linked to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse

from cases import permissions
from cases.models import (
    Allocation,
    AllocationKind,
    Assessment,
    CaseStatus,
    Plan,
    PlanAction,
    Referral,
    YoungPerson,
)
from cases.reference import ActionProgress, PlanStatus
from contexts.models import Context, ContextPlanAction
from contexts.reference import ContextStatus
from csafe.accounts import permissions as role_permissions
from csafe.accounts.models import User
from csafe.core.dates import long_date
from csafe.notifications.selectors import notifications_for_user
from harms.models import FlagStatus, HarmFlag

# How far ahead a practitioner's tray looks for reviews and actions falling due.
DUE_SOON_DAYS = 7

OPEN_PROGRESS = (ActionProgress.NOT_STARTED, ActionProgress.IN_PROGRESS)
# A plan that has not ended: its actions are still being worked.
CURRENT_PLAN = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.ACTIVE)


class WorkKind:
    """The kinds of work, in the order the page's summary lists them."""

    ASSESSMENT_TO_AUTHORISE = "assessment_to_authorise"
    PLAN_TO_SIGN_OFF = "plan_to_sign_off"
    REFERRAL_TO_ALLOCATE = "referral_to_allocate"
    ASSESSMENT_RETURNED = "assessment_returned"
    PLAN_RETURNED = "plan_returned"
    FLAG_REVIEW = "flag_review"
    PLAN_REVIEW = "plan_review"
    PLAN_ACTION = "plan_action"
    CONTEXT_PLAN_REVIEW = "context_plan_review"
    CONTEXT_ACTION = "context_action"

    LABELS = {
        ASSESSMENT_TO_AUTHORISE: "Assessments awaiting authorisation",
        PLAN_TO_SIGN_OFF: "Plans awaiting sign-off",
        REFERRAL_TO_ALLOCATE: "Young people awaiting allocation to a worker",
        ASSESSMENT_RETURNED: "Assessments returned for more work",
        PLAN_RETURNED: "Plans returned for more work",
        FLAG_REVIEW: "Harm flag reviews",
        PLAN_REVIEW: "Plan reviews",
        PLAN_ACTION: "Plan actions",
        CONTEXT_PLAN_REVIEW: "Context plan reviews",
        CONTEXT_ACTION: "Context plan actions",
    }
    MANAGERS = tuple(LABELS)
    PRACTITIONERS = (
        ASSESSMENT_RETURNED,
        PLAN_RETURNED,
        FLAG_REVIEW,
        PLAN_REVIEW,
        PLAN_ACTION,
        CONTEXT_PLAN_REVIEW,
        CONTEXT_ACTION,
    )
    # Kinds dated by when they fall due (the others by when they began to wait).
    DUE = frozenset({FLAG_REVIEW, PLAN_REVIEW, PLAN_ACTION, CONTEXT_PLAN_REVIEW, CONTEXT_ACTION})


@dataclass(frozen=True)
class Scope:
    """Whose work: the young people and contexts it covers, the kinds it lists, and the day
    before which a due date counts (today for managers; a week ahead for practitioners)."""

    young_people: QuerySet[YoungPerson]
    contexts: QuerySet[Context]
    kinds: tuple[str, ...]
    today: date
    horizon: date
    is_manager: bool


def has_worktray(user) -> bool:
    """Practitioners and team managers carry casework; service managers and administrators do
    not (the page tells them so)."""
    return role_permissions.can_use_caseload(user) and user.team_id is not None


def scope_for(*, user: User, today: date) -> Scope | None:
    """The scope of ``user``'s worktray, or None when they carry no casework."""
    if not has_worktray(user):
        return None
    visible = permissions.young_people_visible_to(user)
    if role_permissions.manages_a_team(user):
        return Scope(
            young_people=visible.filter(team_id=user.team_id),
            contexts=Context.objects.filter(team_id=user.team_id),
            kinds=WorkKind.MANAGERS,
            today=today,
            horizon=today,
            is_manager=True,
        )
    allocated = Allocation.objects.filter(
        kind=AllocationKind.WORKER, worker=user, ended_at__isnull=True
    ).values("young_person_id")
    return Scope(
        young_people=visible.filter(pk__in=allocated),
        contexts=Context.objects.filter(lead_practitioner=user),
        kinds=WorkKind.PRACTITIONERS,
        today=today,
        horizon=today + timedelta(days=DUE_SOON_DAYS + 1),
        is_manager=False,
    )


def _allocated_to(worker_id: int, path: str = "pk") -> Exists:
    return Exists(
        Allocation.objects.filter(
            young_person_id=OuterRef(path),
            kind=AllocationKind.WORKER,
            worker_id=worker_id,
            ended_at__isnull=True,
        )
    )


def _sources(scope: Scope, worker_id: int | None = None) -> dict[str, QuerySet]:
    """One queryset per kind of work in ``scope``, each annotated with ``on`` (the date it is
    ordered by), optionally only the work of one worker (their allocated young people, the
    contexts they lead)."""
    people = scope.young_people
    contexts = scope.contexts.filter(status=ContextStatus.OPEN)
    if worker_id is not None:
        people = people.filter(_allocated_to(worker_id))
        contexts = contexts.filter(lead_practitioner_id=worker_id)
    open_people = people.filter(status=CaseStatus.OPEN)
    before = scope.horizon
    latest_referral = Referral.objects.filter(young_person_id=OuterRef("pk")).order_by(
        "-received_on", "-pk"
    )
    has_worker = Exists(
        Allocation.objects.filter(
            young_person_id=OuterRef("pk"), kind=AllocationKind.WORKER, ended_at__isnull=True
        )
    )
    every = {
        WorkKind.ASSESSMENT_TO_AUTHORISE: Assessment.objects.filter(
            young_person__in=people, completed_on__isnull=False, authorised_on__isnull=True
        ).annotate(on=F("completed_on")),
        WorkKind.PLAN_TO_SIGN_OFF: Plan.objects.filter(
            young_person__in=people, status=PlanStatus.SUBMITTED
        ).annotate(on=F("submitted_on")),
        WorkKind.REFERRAL_TO_ALLOCATE: open_people.filter(~has_worker).annotate(
            on=Coalesce(
                Subquery(latest_referral.values("received_on")[:1]),
                Cast("created_at", DateField()),
            ),
            referral_on=Subquery(latest_referral.values("received_on")[:1]),
        ),
        WorkKind.ASSESSMENT_RETURNED: Assessment.objects.filter(
            young_person__in=people, returned_on__isnull=False, completed_on__isnull=True
        ).annotate(on=F("returned_on")),
        WorkKind.PLAN_RETURNED: Plan.objects.filter(
            young_person__in=people, returned_on__isnull=False, status=PlanStatus.DRAFT
        ).annotate(on=F("returned_on")),
        WorkKind.FLAG_REVIEW: HarmFlag.objects.filter(
            young_person__in=open_people, status=FlagStatus.ACTIVE, review_date__lt=before
        ).annotate(on=F("review_date")),
        WorkKind.PLAN_REVIEW: Plan.objects.filter(
            young_person__in=open_people, status=PlanStatus.ACTIVE, review_date__lt=before
        ).annotate(on=F("review_date")),
        WorkKind.PLAN_ACTION: PlanAction.objects.filter(
            young_person__in=open_people,
            plan__status__in=CURRENT_PLAN,
            progress__in=OPEN_PROGRESS,
            due_date__lt=before,
        ).annotate(on=F("due_date")),
        WorkKind.CONTEXT_PLAN_REVIEW: contexts.filter(plan_review_date__lt=before).annotate(
            on=F("plan_review_date")
        ),
        WorkKind.CONTEXT_ACTION: ContextPlanAction.objects.filter(
            context__in=contexts,
            withdrawn_at__isnull=True,
            progress__in=OPEN_PROGRESS,
            due_date__lt=before,
        ).annotate(on=F("due_date")),
    }
    return {kind: every[kind] for kind in scope.kinds}


# --- The header's count ------------------------------------------------------------------------


class _Count(Subquery):
    """COUNT(*) of a queryset as a scalar subquery (no GROUP BY: one row, zero when empty)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def count_expression(*, user: User, today: date):
    """An expression counting ``user``'s worktray rows, for one query that reads the shell's
    counts together (workspace.context_processors); None when they have no worktray."""
    scope = scope_for(user=user, today=today)
    if scope is None:
        return None
    total = Value(0)
    for queryset in _sources(scope).values():
        total = total + _Count(queryset)
    return total


def work_count(*, user: User, today: date) -> int:
    """How many rows ``user``'s worktray holds, in one query (0 without a worktray)."""
    expression = count_expression(user=user, today=today)
    if expression is None:
        return 0
    return User.objects.filter(pk=user.pk).annotate(n=expression).values_list("n", flat=True)[0]


def shell_counts(*, user: User, today: date) -> tuple[int, int | None]:
    """The page shell's two counts in one query: ``user``'s unread notifications and their
    worktray's rows (None when they have no worktray)."""
    unread = _Count(notifications_for_user(user=user).filter(read_at__isnull=True))
    work = count_expression(user=user, today=today)
    counts = {"unread": unread} | ({"work": work} if work is not None else {})
    row = User.objects.filter(pk=user.pk).annotate(**counts).values(*counts).first() or {}
    return row.get("unread", 0), row.get("work")


# --- The page's rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkRow:
    kind: str
    on: date
    what: str
    url: str
    # The young person (name and local identifier) or the context, the row is about.
    subject: str
    young_person_id: int | None = None
    workers: tuple[str, ...] = ()
    pk: int = 0

    @property
    def kind_label(self) -> str:
        return WorkKind.LABELS[self.kind]

    @property
    def is_due(self) -> bool:
        return self.kind in WorkKind.DUE


@dataclass
class Worktray:
    rows: list[WorkRow]
    counts: dict[str, int]
    today: date
    is_manager: bool
    kinds: tuple[str, ...] = field(default_factory=tuple)
    # The young people shown to whom the reader is allocated as a worker.
    allocated_to_reader: frozenset[int] = frozenset()

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        return [(kind, WorkKind.LABELS[kind], self.counts.get(kind, 0)) for kind in self.kinds]

    def young_people_shown(self) -> list[int]:
        return list(dict.fromkeys(r.young_person_id for r in self.rows if r.young_person_id))


def _person(yp: YoungPerson) -> str:
    return f"{yp.display_name} ({yp.local_identifier})"


def _rows(kind: str, queryset: QuerySet) -> list[WorkRow]:
    """Read one kind's rows (one query) and describe each."""
    if kind == WorkKind.REFERRAL_TO_ALLOCATE:
        return [
            WorkRow(
                kind,
                yp.on,
                f"Referral received {long_date(yp.referral_on)}: no worker allocated"
                if yp.referral_on
                else "No worker allocated",
                reverse("cases:detail", args=[yp.pk]),
                _person(yp),
                yp.pk,
                pk=yp.pk,
            )
            for yp in queryset.only(
                "pk", "first_name", "preferred_name", "last_name", "local_identifier"
            )
        ]
    if kind in (WorkKind.CONTEXT_PLAN_REVIEW,):
        return [
            WorkRow(
                kind,
                context.on,
                f"Context plan review due {long_date(context.on)}",
                reverse("contexts:detail", args=[context.pk]),
                context.name,
                workers=(str(context.lead_practitioner),),
                pk=context.pk,
            )
            for context in queryset.select_related("lead_practitioner")
        ]
    if kind == WorkKind.CONTEXT_ACTION:
        return [
            WorkRow(
                kind,
                action.on,
                f"{_short(action.description)} (due {long_date(action.on)})",
                reverse("contexts:detail", args=[action.context_id]),
                action.context.name,
                workers=(str(action.context.lead_practitioner),),
                pk=action.pk,
            )
            for action in queryset.select_related("context__lead_practitioner")
        ]
    rows = []
    related = ["young_person"] + (["harm_type"] if kind == WorkKind.FLAG_REVIEW else [])
    for item in queryset.select_related(*related):
        yp = item.young_person
        rows.append(
            WorkRow(
                kind, item.on, _what(kind, item), _url(kind, item), _person(yp), yp.pk, pk=item.pk
            )
        )
    return rows


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _what(kind: str, item) -> str:
    if kind == WorkKind.ASSESSMENT_TO_AUTHORISE:
        return f"Assessment completed {long_date(item.completed_on)}"
    if kind == WorkKind.ASSESSMENT_RETURNED:
        return f"Assessment returned {long_date(item.returned_on)}"
    if kind == WorkKind.PLAN_TO_SIGN_OFF:
        return f"{item.get_kind_display()} plan submitted {long_date(item.submitted_on)}"
    if kind == WorkKind.PLAN_RETURNED:
        return f"{item.get_kind_display()} plan returned {long_date(item.returned_on)}"
    if kind == WorkKind.PLAN_REVIEW:
        return f"{item.get_kind_display()} plan review due {long_date(item.review_date)}"
    if kind == WorkKind.FLAG_REVIEW:
        return f"{item.harm_type} flag review due {long_date(item.review_date)}"
    return f"{_short(item.description)} (due {long_date(item.due_date)})"


def _url(kind: str, item) -> str:
    yp = item.young_person_id
    if kind in (WorkKind.ASSESSMENT_TO_AUTHORISE, WorkKind.ASSESSMENT_RETURNED):
        return reverse("cases:assessment_detail", args=[yp, item.pk])
    if kind == WorkKind.FLAG_REVIEW:
        return reverse("flags:review", args=[yp, item.pk])
    plan = item.plan_id if kind == WorkKind.PLAN_ACTION else item.pk
    return reverse("cases:plan_detail", args=[yp, plan])


def worktray_for(*, user: User, today: date, worker_id: int | None = None) -> Worktray | None:
    """``user``'s worktray, oldest first: one query per kind of work and one for the workers
    allocated to the young people shown, whatever the number of rows. ``worker_id`` narrows it
    to one worker's work (a team manager's filter). None for someone with no casework."""
    scope = scope_for(user=user, today=today)
    if scope is None:
        return None
    rows: list[WorkRow] = []
    counts: dict[str, int] = {}
    for kind, queryset in _sources(scope, worker_id).items():
        found = _rows(kind, queryset)
        counts[kind] = len(found)
        rows.extend(found)
    workers, readers_own = _workers_of(
        {r.young_person_id for r in rows if r.young_person_id}, reader_id=user.pk
    )
    rows = [
        r if r.young_person_id is None else _with_workers(r, workers[r.young_person_id])
        for r in rows
    ]
    order = {kind: number for number, kind in enumerate(scope.kinds)}
    rows.sort(key=lambda r: (r.on, order[r.kind], r.pk))
    return Worktray(
        rows=rows,
        counts=counts,
        today=today,
        is_manager=scope.is_manager,
        kinds=scope.kinds,
        allocated_to_reader=frozenset(readers_own),
    )


def _with_workers(row: WorkRow, workers: tuple[str, ...]) -> WorkRow:
    return WorkRow(
        row.kind, row.on, row.what, row.url, row.subject, row.young_person_id, workers, row.pk
    )


def _workers_of(
    young_person_ids: set[int], *, reader_id: int
) -> tuple[dict[int, tuple[str, ...]], set[int]]:
    """The workers allocated to each young person, and which of them the reader is allocated
    to, in one query (none when there are no young people)."""
    found: dict[int, list[str]] = defaultdict(list)
    readers_own: set[int] = set()
    if young_person_ids:
        allocations = (
            Allocation.objects.filter(
                young_person_id__in=young_person_ids,
                kind=AllocationKind.WORKER,
                ended_at__isnull=True,
            )
            .select_related("worker")
            .order_by("started_at", "pk")
        )
        for allocation in allocations:
            found[allocation.young_person_id].append(str(allocation.worker))
            if allocation.worker_id == reader_id:
                readers_own.add(allocation.young_person_id)
    return defaultdict(tuple, {pk: tuple(names) for pk, names in found.items()}), readers_own


def team_workers(*, user: User) -> QuerySet[User]:
    """Who a team manager may filter their tray by: the active practitioners and managers of
    their team."""
    return User.objects.filter(
        team_id=user.team_id,
        is_active=True,
        role__in=role_permissions.TEAM_ROLES,
    ).order_by("first_name", "last_name", "pk")
