"""What the pages of each part of a young person's record share: fetching the record through
the one access check, and rendering a page of the record."""

from __future__ import annotations

from csafe.audit.models import AccessChannel
from csafe.core.pages import render_page

from .. import permissions, selectors


def young_person_for(request, young_person_pk: int, perm: str = permissions.VIEW):
    """The young person in the URL if the user holds ``perm`` on the record (404 otherwise),
    with the page view written to the access log."""
    return selectors.young_person_get_for_user(
        user=request.user,
        pk=young_person_pk,
        channel=AccessChannel.PAGE,
        resource=request.path,
        perm=perm,
    )


def render_record_page(request, template: str, context: dict, *, status: int | None = None):
    """A page of the record, under "Caseload" in the navigation. Its status is 400 when the
    ``form`` in the context has errors (so a refused submission is not a success), else 200,
    unless ``status`` says otherwise."""
    return render_page(request, template, context, section="caseload", status=status)
