"""The chronology page: everything on a young person's record in date order."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import young_person_for_request
from ..forms.chronology import ChronologyFilterForm
from ..selectors.chronology import chronology_for_young_person


@require_GET
def chronology(request, pk: int):
    young_person = young_person_for_request(request, pk)
    form = ChronologyFilterForm(request.GET or None)
    entries = chronology_for_young_person(
        young_person=young_person, kinds=form.kinds() if form.is_bound else []
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/chronology.html",
        {
            "young_person": young_person,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "active_section": "caseload",
            "record_tab": "chronology",
        },
    )
