"""Pages for young people: access -> form -> service -> redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from contexts.linking.selectors import context_names_for, links_for_young_person
from csafe.accounts import permissions as role_permissions
from csafe.audit.models import AccessChannel
from csafe.audit.selectors import access_log_for_young_person
from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted
from csafe.core.throttling import throttle
from csafe.retention.selectors import legal_holds_for_young_person
from harms.selectors import flag_timeline_for_young_person, flags_for_young_person

from .. import permissions, selectors, services
from ..forms.young_people import (
    AllocateWorkerForm,
    CaseloadFilterForm,
    EndAllocationForm,
    YoungPersonDetailsForm,
)
from ..models import Allocation
from ..selectors import assessments as assessment_selectors
from ..selectors import plans as plan_selectors
from ..selectors import records as record_selectors
from ._common import render_record_page


def _get(request, pk: int, perm: str = permissions.VIEW):
    return selectors.young_person_get_for_user(
        user=request.user, pk=pk, channel=AccessChannel.PAGE, resource=request.path, perm=perm
    )


@require_GET
@throttle("search", method="GET", param="q")
def caseload(request):
    if not role_permissions.can_use_caseload(request.user):
        raise Http404("No caseload")
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters()
    young_people = selectors.young_person_list_for_user(user=request.user, filters=filters)
    page = Paginator(young_people, 50).get_page(request.GET.get("page"))
    # The page's rows read once, so the access log names exactly the young people the template
    # then shows from the same list (and not page 2, nor the queryset behind the page).
    page.object_list = list(page.object_list)
    selectors.caseload_access_record(
        user=request.user, filters=filters, young_people=page.object_list, resource=request.path
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/caseload.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "context_names": context_names_for(young_people=page.object_list),
            "active_section": "caseload",
        },
    )


@require_GET
def detail(request, pk: int):
    young_person = _get(request, pk)
    held = permissions.perms_held(request.user, young_person)
    can_read_log = permissions.VIEW_ACCESS_LOG in held
    can_allocate = permissions.can_allocate(request.user, young_person)
    flags = flags_for_young_person(young_person=young_person)
    context = {
        "young_person": young_person,
        "allocations": selectors.allocation_history_for_young_person(
            young_person=young_person, with_actors=False
        ),
        "can_read_log": can_read_log,
        "recent_access": access_log_for_young_person(young_person=young_person)[:5]
        if can_read_log
        else [],
        "can_allocate": can_allocate,
        "can_change": permissions.CHANGE in held,
        # The managers the record's access log is granted to place and lift legal holds.
        "legal_holds": legal_holds_for_young_person(young_person=young_person)
        if can_read_log
        else None,
        "flags": flags,
        # Names the flags read just above rather than reading them again.
        "flag_timeline": flag_timeline_for_young_person(young_person=young_person, flags=flags),
        "today": timezone.localdate(),
        "referrals": selectors.referrals_for_young_person(young_person=young_person),
        # The pathway sections: short lists, each slice one query.
        "assessments": assessment_selectors.assessments_for_young_person(young_person=young_person)[
            :5
        ],
        "plans": plan_selectors.plans_for_young_person(young_person=young_person)[:5],
        "relocations": record_selectors.relocations_for_young_person(young_person=young_person)[:5],
        "notes": record_selectors.case_notes_for_young_person(young_person=young_person)[:5],
        "documents": record_selectors.documents_for_young_person(young_person=young_person)[:5],
        "context_links": links_for_young_person(young_person=young_person),
        "allocate_form": AllocateWorkerForm(team=young_person.team) if can_allocate else None,
        "active_section": "caseload",
    }
    return render(request, "cases/detail.html", context)


@require_GET
def access_log(request, pk: int):
    young_person = _get(request, pk, perm=permissions.VIEW_ACCESS_LOG)
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
    young_person = _get(request, pk)
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
    allocation = get_object_or_404(
        Allocation.objects.select_related("worker", "young_person"),
        pk=allocation_pk,
        young_person_id=pk,
    )
    if not permissions.can_allocate(request.user, allocation.young_person):
        raise Http404("No allocation found")
    young_person = _get(request, pk)
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
    young_person = _get(request, pk, permissions.CHANGE)
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
        except ApplicationError as error:
            if error.code == "conflict":
                young_person.refresh_from_db()
                differences = form.differences(young_person)
                data = form.data.copy()
                data["version"] = str(young_person.version)
                form = YoungPersonDetailsForm(data)
                form.is_valid()
            add_service_error(form, error)
        else:
            messages.success(request, "Details saved")
            return redirect("cases:detail", pk=young_person.pk)
    return render_record_page(
        request,
        "cases/details_edit.html",
        {"young_person": young_person, "form": form, "differences": differences},
    )
