"""The request-level doors to context records, for every context page and endpoint.

A page or an endpoint never calls ``context_get_for_user`` itself, nor checks who may change a
context beside it: it calls ``context_for_request`` (a context) or ``context_text_row_for_request``
(a row whose text is corrected, withdrawn or redacted), so that a page and its endpoint answer
the same 404 and 403 with the same reason. Reading a context writes no access row (contexts are
thematic and hold no child), so these need no channel. ``PermissionDenied`` is Django's: a page
shows its 403 page with the reason, and DRF answers 403 with it as ``detail``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from . import permissions
from .models import Context
from .selectors import context_get_for_user
from .selectors.work import context_text_row_get
from .services.corrections import CANNOT_CORRECT, CANNOT_REDACT

CANNOT_CHANGE = "You cannot change context records"


def context_for_request(
    request,
    pk: int,
    *,
    change: bool = False,
    workers_only: bool = False,
    with_link_counts: bool = False,
) -> Context:
    """The context ``pk`` for the requesting user: Http404 for someone who may not use context
    records (administrators included). ``change``: 403 (``CANNOT_CHANGE``) for a reader who
    may not change them, such as a service manager, who knows the context exists.
    ``workers_only``: 404 for that reader instead, for a page that is not there for them.
    ``with_link_counts`` as ``context_get_for_user``'s."""
    context = context_get_for_user(
        user=request.user, pk=pk, for_change=workers_only, with_link_counts=with_link_counts
    )
    if change and not permissions.can_work_on_contexts(request.user):
        raise PermissionDenied(CANNOT_CHANGE)
    return context


def context_text_row_for_request(
    request, pk: int, part: str, row_pk: int, *, redact: bool = False
) -> tuple[Context, object]:
    """(context, row) for correcting, withdrawing or (``redact``) redacting the text of row
    ``row_pk`` of context ``pk``, ``part`` being "record", "action" or "status_change"
    (``contexts.services.corrections.PARTS``): 404 for a context the user may not use or a
    row of another context, 403 with the reason for anyone but the row's author or a team
    manager of the context's team (redaction: that manager only). The services check again on
    the locked rows."""
    context = context_for_request(request, pk, change=True)
    row = context_text_row_get(context=context, part=part, pk=row_pk)
    user = request.user
    if redact:
        if not permissions.can_redact_context_text(user, context):
            raise PermissionDenied(CANNOT_REDACT)
    elif not permissions.can_correct_context_text(user, context, row):
        raise PermissionDenied(CANNOT_CORRECT)
    return context, row
