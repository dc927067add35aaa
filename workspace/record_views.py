"""The pages that compose the young person's record from every app below: the caseload (with
each young person's contexts), the record's front page (its pathway, harm flags, links to
contexts and legal holds), and the subject access export, which gathers all of it.

They live here, above cases, contexts and retention, so that none of those imports another to
compose a page. Their URL names stay "cases:..." (csafe/urls.py composes the namespace)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases import permissions, selectors
from cases.access import young_person_for_request
from cases.forms.young_people import AllocateWorkerForm, CaseloadFilterForm
from cases.selectors import assessments as assessment_selectors
from cases.selectors import plans as plan_selectors
from cases.selectors import records as record_selectors
from cases.selectors.flags import flag_timeline_for_young_person, flags_for_young_person
from cases.views._common import render_record_page
from contexts.linking.selectors import context_names_for, links_for_young_person
from csafe.accounts import permissions as role_permissions
from csafe.audit.selectors import access_log_for_young_person
from csafe.core.errors import ApplicationError
from csafe.core.forms import GovUKForm, add_service_error, posted
from csafe.core.throttling import throttle
from csafe.exports.views import job_url
from retention.selectors import legal_holds_for_young_person

from .subject_access import SECTION_TITLES, subject_access_export_request


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
    young_person = young_person_for_request(request, pk)
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


class SubjectAccessForm(GovUKForm):
    """No fields: the button is the whole form. Carries a service's refusal to the page."""


@require_http_methods(["GET", "POST"])
def subject_access(request, pk: int):
    young_person = young_person_for_request(request, pk, permissions.VIEW_ACCESS_LOG)
    form = SubjectAccessForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            job = subject_access_export_request(actor=request.user, young_person_pk=pk)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect(job_url(job))
    return render_record_page(
        request,
        "cases/subject_access/request.html",
        {
            "young_person": young_person,
            "form": form,
            "section_titles": SECTION_TITLES,
            "ttl_hours": settings.CSAFE_EXPORT_TTL_HOURS,
        },
    )
