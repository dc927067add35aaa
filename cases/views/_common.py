"""What the pages of each part of a young person's record share: rendering a page of the
record. Each page fetches the record through ``cases.access.young_person_for_request``."""

from __future__ import annotations

from csafe.core.pages import render_page


def render_record_page(request, template: str, context: dict, *, status: int | None = None):
    """A page of the record, under "Caseload" in the navigation. Its status is 400 when the
    ``form`` in the context has errors (so a refused submission is not a success), else 200,
    unless ``status`` says otherwise."""
    return render_page(request, template, context, section="caseload", status=status)
