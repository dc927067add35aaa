"""Pages for young people: access -> form -> service -> redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csafe.audit.selectors import access_log_for_young_person
from csafe.core.errors import ApplicationError, ConflictError
from csafe.core.forms import add_service_error, posted, rebind_after_conflict

from .. import permissions, selectors, services
from ..access import young_person_for_request
from ..forms.young_people import (
    AllocateWorkerForm,
    EndAllocationForm,
    YoungPersonDetailsForm,
)
from ._common import render_record_page


@require_GET
def access_log(request, pk: int):
    young_person = young_person_for_request(request, pk, permissions.VIEW_ACCESS_LOG)
    page = Paginator(access_log_for_young_person(young_person=young_person), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/access_log.html",
        {"young_person": young_person, "page": page, "active_section": "caseload"},
    )


@require_http_methods(["POST"])
def allocate(request, pk: int):
    young_person = young_person_for_request(request, pk)
    if not permissions.can_allocate(request.user, young_person):
        # Refused before the form is read: someone who may see the record but not allocate it
        # is told no, not shown field errors.
        raise PermissionDenied("Only a manager of the team holding this case can allocate it")
    form = AllocateWorkerForm(request.POST, team=young_person.team)
    if form.is_valid():
        try:
            allocation = services.young_person_allocate_worker(
                actor=request.user, young_person=young_person, worker=form.cleaned_data["worker"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{allocation.worker} is now allocated")
            return redirect("cases:detail", pk=young_person.pk)
    return render(
        request,
        "cases/allocate.html",
        {"young_person": young_person, "form": form, "active_section": "caseload"},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def allocation_end(request, pk: int, allocation_pk: int):
    # Refuse non-managers before fetching the record, so a refused request is not logged as a view.
    allocation = selectors.allocation_get_for_young_person(young_person_pk=pk, pk=allocation_pk)
    if not permissions.can_allocate(request.user, allocation.young_person):
        raise Http404("No allocation found")
    young_person = young_person_for_request(request, pk)
    form = EndAllocationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.young_person_deallocate_worker(
                actor=request.user, allocation=allocation, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{allocation.worker}'s allocation has ended")
            return redirect("cases:detail", pk=young_person.pk)
    return render(
        request,
        "cases/allocation_end.html",
        {
            "young_person": young_person,
            "allocation": allocation,
            "form": form,
            "active_section": "caseload",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def details_edit(request, pk: int):
    """Correct the young person's details. A save over someone else's (the version moved on)
    keeps the user's input and lists each field where what is saved now differs from it."""
    young_person = young_person_for_request(request, pk, permissions.CHANGE)
    form = YoungPersonDetailsForm(
        posted(request), initial=YoungPersonDetailsForm.initial_for(young_person)
    )
    differences = None
    if request.method == "POST" and form.is_valid():
        try:
            services.young_person_update(
                actor=request.user,
                young_person=young_person,
                expected_version=form.cleaned_data["version"],
                **form.details(),
            )
        except ConflictError as error:
            young_person.refresh_from_db()
            differences = form.differences(young_person)
            form = rebind_after_conflict(form, error.current_version)
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Details saved")
            return redirect("cases:detail", pk=young_person.pk)
    return render_record_page(
        request,
        "cases/details_edit.html",
        {"young_person": young_person, "form": form, "differences": differences},
    )
