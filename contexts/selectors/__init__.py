"""Every context-facing read of context records.

**The privacy invariant holds here.** Context-facing selectors (this package) return contexts,
professionals and counts. None of them returns a YoungPerson, a ContextLink or any field of
either, so no context page, API response, export, history view or notification can show a child,
even to someone who may see that child elsewhere. Links and allocations are read only in
``contexts.linked_professionals`` (professional-level rows and counts); a young person's own
contexts are read on the young person's side, in ``contexts.linking.selectors``. The import
contract in pyproject.toml (``lint-imports``) keeps this package from importing either side of a
young person.
"""

from __future__ import annotations

from django.http import Http404

from .. import permissions
from ..linked_professionals import LinkCounts, contexts_with_link_counts
from ..models import Context


def context_get_for_user(
    *, user, pk: int, for_change: bool = False, with_link_counts: bool = False
) -> Context:
    """The context ``pk`` for someone who may use context records (and, with ``for_change``,
    work on them); Http404 otherwise. ``with_link_counts`` sets ``link_counts`` on it (what
    ``contexts.linked_professionals.context_link_counts`` answers), counted in the same query."""
    allowed = (
        permissions.can_work_on_contexts(user)
        if for_change
        else permissions.can_view_contexts(user)
    )
    if not allowed:
        raise Http404("No context found")
    contexts = Context.objects.select_related("lead_practitioner", "team", "location_type")
    if with_link_counts:
        contexts = contexts_with_link_counts(contexts=contexts)
    try:
        context = contexts.get(pk=pk)
    except (Context.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No context found") from exc
    if with_link_counts:
        context.link_counts = LinkCounts(active=context.linked_now, ever=context.linked_ever)
    return context
