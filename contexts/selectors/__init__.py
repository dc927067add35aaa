"""Every read of context records.

**The privacy invariant lives here.** Context-facing selectors (everything in this package except
``young_person_side``) return contexts, professionals and counts. None of them returns a
YoungPerson, a ContextLink or any field of either, so no context page, API response, export,
history view or notification can show a child, even to someone who may see that child elsewhere.
A young person's own contexts are read through ``young_person_side``, which takes a young person
already fetched through ``cases.selectors.young_person_get_for_user``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from cases.models import Allocation, AllocationKind

from .. import permissions
from ..models import Context, ContextLink


def context_get_for_user(
    *, user, pk: int, for_change: bool = False, with_link_counts: bool = False
) -> Context:
    """The context ``pk`` for someone who may use context records (and, with ``for_change``,
    work on them); Http404 otherwise. ``with_link_counts`` sets ``link_counts`` on it (what
    ``context_link_counts`` answers), counted in the same query."""
    allowed = (
        permissions.can_work_on_contexts(user)
        if for_change
        else permissions.can_view_contexts(user)
    )
    if not allowed:
        raise Http404("No context found")
    contexts = Context.objects.select_related("lead_practitioner", "team", "location_type")
    if with_link_counts:
        contexts = contexts.annotate(
            linked_now=_young_people_linked(ended_at__isnull=True),
            linked_ever=_young_people_linked(),
        )
    try:
        context = contexts.get(pk=pk)
    except (Context.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No context found") from exc
    if with_link_counts:
        context.link_counts = LinkCounts(active=context.linked_now, ever=context.linked_ever)
    return context


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


def context_professionals(*, context: Context) -> list[Professional]:
    """The allocated workers of the young people actively linked to ``context``, each with how
    many of their young people are linked: one query, over allocations, returning staff fields and
    a count only. Staff who have left (inactive accounts) are not shown: they cannot be
    contacted."""
    rows = (
        Allocation.objects.filter(
            kind=AllocationKind.WORKER,
            ended_at__isnull=True,
            worker__is_active=True,
            young_person__context_links__context=context,
            young_person__context_links__ended_at__isnull=True,
        )
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


@dataclass(frozen=True)
class LinkCounts:
    active: int
    ever: int


def context_link_counts(*, context: Context) -> LinkCounts:
    """How many young people are linked now, and have ever been: counts only, one query."""
    counts = ContextLink.objects.filter(context=context).aggregate(
        active=Count("young_person", filter=Q(ended_at__isnull=True), distinct=True),
        ever=Count("young_person", distinct=True),
    )
    return LinkCounts(active=counts["active"], ever=counts["ever"])


def linked_practitioner_ids(*, context: Context) -> list[int]:
    """Ids of the allocated workers of young people actively linked to the context, for
    notifications."""
    return list(
        Allocation.objects.filter(
            kind=AllocationKind.WORKER,
            ended_at__isnull=True,
            worker__is_active=True,
            young_person__context_links__context=context,
            young_person__context_links__ended_at__isnull=True,
        )
        .values_list("worker_id", flat=True)
        .distinct()
    )


def contexts_queryset() -> QuerySet[Context]:
    return Context.objects.select_related("lead_practitioner", "team", "location_type")
