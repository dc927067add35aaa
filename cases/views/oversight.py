"""Pages for management oversight on a young person's record: the list of oversight notes
(everyone who may view the record) and the form to record one (a team manager of the holding
team: anyone else who may view the record is told so, 403, with no form)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.forms import add_service_error, posted

from .. import permissions
from ..access import young_person_for_request
from ..forms.assessments import ConfirmForm
from ..forms.oversight import OversightNoteForm
from ..selectors.oversight import oversight_notes_for_young_person
from ..services import oversight as services
from ._common import render_record_page

PER_PAGE = 25
FORM_TEMPLATE = "cases/oversight/new.html"


@require_GET
def oversight_list(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    notes = oversight_notes_for_young_person(young_person=young_person)
    page = Paginator(notes, PER_PAGE).get_page(request.GET.get("page"))
    return render_record_page(
        request,
        "cases/oversight/list.html",
        {
            "young_person": young_person,
            "page": page,
            "can_record": permissions.can_record_oversight(request.user, young_person),
        },
    )


def _refused(request, young_person, message: str):
    form = ConfirmForm({})  # bound, so that it has cleaned data to take the error
    form.is_valid()
    form.add_error(None, message)
    return render_record_page(
        request,
        FORM_TEMPLATE,
        {"young_person": young_person, "form": form, "refused": True},
        status=403,
    )


@require_http_methods(["GET", "POST"])
def oversight_new(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    if not permissions.can_record_oversight(request.user, young_person):
        return _refused(request, young_person, services.REFUSED_MESSAGE)
    form = OversightNoteForm(posted(request), initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.oversight_note_record(
                actor=request.user,
                young_person=young_person,
                recorded_on=data["recorded_on"],
                decision=data["decision"],
                reasons=data["reasons"],
                next_review_on=data["next_review_on"],
            )
        except ForbiddenError as error:  # the role changed since the check above
            return _refused(request, young_person, error.message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Management oversight recorded")
            return redirect("cases:oversight_list", young_person_pk=young_person.pk)
    return render_record_page(request, FORM_TEMPLATE, {"young_person": young_person, "form": form})
