"""The bridge between a context and the young people linked to it.

**This is the only context-facing code that reads links** (``ContextLink``) **or allocations**
(``cases.models.Allocation``). It returns professional-level rows (who is working with the
young people linked to a context: staff fields and how many of their young people are linked)
and counts only: never a YoungPerson, a ContextLink, or any field of either, so no context page,
API response, export, history view or notification built on it can show a child, even to
someone who may see that child elsewhere.

The import contract in pyproject.toml (run by ``lint-imports``) forbids every other thematic
module to import ``cases.models``; this module is its one sanctioned exception, written there as
a single ignored import. A young person's own contexts are read on the young person's side, in
``contexts.linking.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cases.models import Allocation, AllocationKind

from .models import Context, ContextLink


@dataclass(frozen=True)
class LinkCounts:
    active: int
    ever: int


def contexts_with_link_counts(*, contexts: QuerySet[Context]) -> QuerySet[Context]:
    """``contexts`` annotated with ``linked_now`` and ``linked_ever``: how many young people
    each has active links to, and has ever had links to. Correlated subqueries returning counts
    only, read in the same query as the contexts."""
    return contexts.annotate(
        linked_now=_young_people_linked(ended_at__isnull=True),
        linked_ever=_young_people_linked(),
    )


def _young_people_linked(**link_filter) -> Coalesce:
    """How many young people the outer context has links to (of those matching
    ``link_filter``): a correlated subquery returning a count only."""
    linked = (
        ContextLink.objects.filter(context=OuterRef("pk"), **link_filter)
        .order_by()
        .values("context")
        .annotate(n=Count("young_person", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(linked, output_field=IntegerField()), Value(0))


def context_link_counts(*, context: Context) -> LinkCounts:
    """How many young people are linked now, and have ever been: counts only, one query."""
    counts = ContextLink.objects.filter(context=context).aggregate(
        active=Count("young_person", filter=Q(ended_at__isnull=True), distinct=True),
        ever=Count("young_person", distinct=True),
    )
    return LinkCounts(active=counts["active"], ever=counts["ever"])


@dataclass(frozen=True)
class Professional:
    """Someone working with a young person linked to the context: a professional-level row.
    Deliberately holds no reference to any young person."""

    user_id: int
    name: str
    job_title: str
    team: str
    email: str
    phone: str
    linked_young_people: int


def _active_worker_allocations(context: Context):
    """Current worker allocations of the young people actively linked to ``context``, to staff
    who can still be contacted (active accounts)."""
    return Allocation.objects.filter(
        kind=AllocationKind.WORKER,
        ended_at__isnull=True,
        worker__is_active=True,
        young_person__context_links__context=context,
        young_person__context_links__ended_at__isnull=True,
    )


def context_professionals(*, context: Context) -> list[Professional]:
    """The allocated workers of the young people actively linked to ``context``, each with how
    many of their young people are linked: one query, over allocations, returning staff fields and
    a count only. Staff who have left (inactive accounts) are not shown: they cannot be
    contacted."""
    rows = (
        _active_worker_allocations(context)
        .values(
            "worker_id",
            "worker__first_name",
            "worker__last_name",
            "worker__job_title",
            "worker__team__name",
            "worker__email",
            "worker__phone",
        )
        .annotate(linked=Count("young_person", distinct=True))
        .order_by("worker__last_name", "worker__first_name", "worker_id")
    )
    return [
        Professional(
            user_id=row["worker_id"],
            name=f"{row['worker__first_name']} {row['worker__last_name']}".strip(),
            job_title=row["worker__job_title"] or "",
            team=row["worker__team__name"] or "",
            email=row["worker__email"] or "",
            phone=row["worker__phone"] or "",
            linked_young_people=row["linked"],
        )
        for row in rows
    ]


def linked_practitioner_ids(*, context: Context) -> list[int]:
    """Ids of the allocated workers of young people actively linked to the context, for
    notifications: staff ids only."""
    return list(_active_worker_allocations(context).values_list("worker_id", flat=True).distinct())
