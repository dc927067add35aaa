"""A young person's own contexts, for their record and their caseload row. The caller has fetched
the young person through ``cases.access.young_person_for_request`` (or, for the caseload,
listed only records the user may view); this is the only selector module that joins a young
person to contexts, and nothing context-facing may use it (the import contract in pyproject.toml,
run by ``lint-imports``, forbids thematic code to import contexts.linking)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import LocationOfHarm

from ..models import Context, ContextLink
from ..reference import ContextStatus

# How a context's kind is named (with the council's word for a peer group) is shown on both
# sides; re-exported so that the young person's side template tags (contexts.templatetags.
# context_links) import from this package only.
from ..selectors.core import kind_label as kind_label
from ..selectors.core import peer_group_word as peer_group_word


def links_for_young_person(*, young_person) -> QuerySet[ContextLink]:
    """Every link, current and ended, newest first, with the context and who linked and ended
    it: one query."""
    return ContextLink.objects.filter(young_person=young_person).select_related(
        "context", "linked_by", "ended_by"
    )


def link_get_for_young_person(*, young_person, pk: int) -> ContextLink:
    """One link of ``young_person`` (already fetched with the access check), so that a link id
    from another child's record answers 404 rather than acting on it."""
    link = (
        ContextLink.objects.filter(young_person=young_person, pk=pk)
        .select_related("context", "linked_by", "ended_by", "young_person")
        .first()
    )
    if link is None:
        raise Http404("No link found")
    return link


def location_of_harm_get_for_young_person(*, young_person, pk: int) -> LocationOfHarm:
    """One place where harm happened, from one of ``young_person``'s referrals; 404 otherwise."""
    location = (
        LocationOfHarm.objects.filter(young_person=young_person, pk=pk)
        .select_related("location_type", "context", "referral", "young_person")
        .first()
    )
    if location is None:
        raise Http404("No location found")
    return location


def open_contexts_to_link(
    *, search: str = "", kind: str = "", exclude_linked_for=None
) -> QuerySet[Context]:
    """Open contexts to choose from when linking, matching ``search`` in the name, area, label
    or postcode and, when given, of one ``kind``. With ``exclude_linked_for`` (a young person),
    leaves out the contexts they are already actively linked to."""
    contexts = Context.objects.filter(status=ContextStatus.OPEN).select_related(
        "team", "location_type"
    )
    term = (search or "").strip()
    if term:
        contexts = contexts.filter(
            Q(name__icontains=term)
            | Q(area__icontains=term)
            | Q(label__icontains=term)
            | Q(postcode__icontains=term)
            | Q(postcode_district__iexact=term)
        )
    if kind:
        contexts = contexts.filter(kind=kind)
    if exclude_linked_for is not None:
        contexts = contexts.exclude(
            links__young_person=exclude_linked_for, links__ended_at__isnull=True
        )
    return contexts.order_by("name", "pk")


def context_for_link(*, pk) -> Context | None:
    """The context chosen on a link form or in the API, by id, whatever its kind or status (the
    services refuse closed contexts, and the wrong kind, with their own messages); None when
    there is no such context."""
    try:
        return Context.objects.select_related("team", "location_type").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def context_names_for(*, young_people: Iterable) -> dict[int, list[str]]:
    """{young person id: names of the contexts they are linked to now, a closed one (whose links
    were kept) marked so}, for a page of the caseload, in one query. Evaluating ``young_people``
    fills a queryset's cache, so a template looping over the same page afterwards reads no more
    rows."""
    ids = [person.pk for person in young_people]
    names: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return names
    rows = (
        ContextLink.objects.filter(young_person_id__in=ids, ended_at__isnull=True)
        .order_by("context__name", "context_id")
        .values_list("young_person_id", "context__name", "context__status")
    )
    for young_person_id, name, status in rows:
        names[young_person_id].append(name if status == ContextStatus.OPEN else f"{name} (closed)")
    return names
