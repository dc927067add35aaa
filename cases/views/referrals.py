"""Pages for recording a referral: for a young person already known, or with a new record."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csafe.core.errors import ApplicationError
from csafe.core.forms import CombinedErrors, add_service_error, all_valid, posted
from csafe.core.throttling import throttle

from .. import permissions, services
from ..access import young_person_for_request
from ..forms.young_people import ConfirmNewForm, LocationFormSet, ReferralForm, YoungPersonForm


def _referral_arguments(form: ReferralForm, locations) -> dict:
    data = form.cleaned_data
    return {
        "received_on": data["received_on"],
        "source": data["source"],
        "reason": data["reason"],
        "nature_of_harm": data["nature_of_harm"],
        "decision": data["decision"],
        "harms": form.harm_inputs(),
        "locations": [row for f in locations.forms if (row := f.location_input())],
    }


def _report(request, outcome) -> None:
    raised = ", ".join(str(f.harm_type) for f in outcome.flags_raised)
    text = "Referral recorded" + (f"; flags raised: {raised}" if raised else "")
    messages.success(request, text)
    if outcome.already_flagged:
        names = ", ".join(str(t) for t in outcome.already_flagged)
        messages.info(request, f"Already flagged, so left as they were: {names}")


@require_http_methods(["GET", "POST"])
def referral_new(request, pk: int):
    """A referral for a young person whose record the user may change."""
    young_person = young_person_for_request(request, pk, permissions.CHANGE)
    form = ReferralForm(posted(request), prefix="referral")
    locations = LocationFormSet(posted(request), prefix="locations")
    if request.method == "POST" and all_valid(form, locations):
        try:
            outcome = services.referral_record(
                actor=request.user,
                young_person=young_person,
                **_referral_arguments(form, locations),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            _report(request, outcome)
            return redirect("cases:detail", pk=young_person.pk)
    errors = CombinedErrors(form, locations)
    return render(
        request,
        "cases/referral_form.html",
        {
            "young_person": young_person,
            "form": form,
            "locations": locations,
            "errors": errors,
            "active_section": "caseload",
        },
        status=400 if errors.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@throttle("duplicate_check")  # each post searches for a record that may already exist
def referral_new_person(request):
    """A referral for someone not yet known: opens their record first, after checking for a
    record that may already exist."""
    if not permissions.can_open_case(request.user):
        raise Http404("No such page")
    person = YoungPersonForm(posted(request), prefix="person")
    confirm = ConfirmNewForm(posted(request), prefix="confirm")
    form = ReferralForm(posted(request), prefix="referral")
    locations = LocationFormSet(posted(request), prefix="locations")
    candidates = []
    valid = all_valid(person, confirm, form, locations)
    if request.method == "POST" and valid:
        try:
            outcome = services.referral_record_for_new_young_person(
                actor=request.user,
                person=person.cleaned_data,
                confirmed_new=confirm.cleaned_data["confirm_new"],
                **_referral_arguments(form, locations),
            )
        except services.PossibleDuplicateError as error:
            candidates = error.candidates
            add_service_error(confirm, error)
        except ApplicationError as error:
            add_service_error(person if error.field in person.fields else form, error)
        else:
            _report(request, outcome)
            return redirect("cases:detail", pk=outcome.referral.young_person_id)
    errors = CombinedErrors(person, confirm, form, locations)
    return render(
        request,
        "cases/referral_new_person.html",
        {
            "person": person,
            "confirm": confirm,
            "form": form,
            "locations": locations,
            "candidates": candidates,
            "errors": errors,
            "active_section": "caseload",
        },
        status=400 if errors.errors else 200,
    )
