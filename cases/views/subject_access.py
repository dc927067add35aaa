"""The subject access export page: what the archive holds, and the button that starts it as a
background job. Only those who may read the record's access log (the team managers of the team
holding the case) see the page; anyone else gets 404, as for the record itself."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from csafe.core.errors import ApplicationError
from csafe.core.forms import GovUKForm, add_service_error, posted
from reporting.views_exports import job_url

from .. import permissions
from ..subject_access import SECTION_TITLES, subject_access_export_request
from ._common import render_record_page, young_person_for


class SubjectAccessForm(GovUKForm):
    """No fields: the button is the whole form. Carries a service's refusal to the page."""


@require_http_methods(["GET", "POST"])
def subject_access(request, pk: int):
    young_person = young_person_for(request, pk, permissions.VIEW_ACCESS_LOG)
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
