"""Pages for a young person's harm flags: access -> form -> service -> redirect."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted

from .. import permissions
from ..access import young_person_for_request
from ..forms.flags import ArchiveFlagForm, RaiseFlagForm, ReinstateFlagForm, ReviewFlagForm
from ..selectors.flags import harm_flag_get_for_young_person
from ..services.flags import (
    harm_flag_archive,
    harm_flag_raise,
    harm_flag_reinstate,
    harm_flag_review,
)
from ._common import render_record_page


@require_http_methods(["GET", "POST"])
def flag_raise(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk, perm=permissions.CHANGE)
    form = RaiseFlagForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flag = harm_flag_raise(
                actor=request.user,
                young_person=young_person,
                harm_type=data["harm_type"],
                nature=data["nature"] or None,
                identified_at=data["identified_at"],
                identified_on=data["identified_on"],
                review_date=data["review_date"],
                note=data["note"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{flag.harm_type} flag raised")
            return redirect("cases:detail", pk=young_person.pk)
    return render_record_page(
        request, "harms/flag_raise.html", {"young_person": young_person, "form": form}
    )


def _flag_action(request, young_person_pk, pk, *, form_class, template, act, done: str):
    """The shape every action on an existing flag shares: check change permission on the
    record, validate the form, call the service, and show its business errors on the form."""
    young_person = young_person_for_request(request, young_person_pk, perm=permissions.CHANGE)
    flag = harm_flag_get_for_young_person(young_person=young_person, pk=pk)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            act(flag, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done.format(harm_type=flag.harm_type))
            return redirect("cases:detail", pk=young_person.pk)
    return render_record_page(
        request, template, {"young_person": young_person, "flag": flag, "form": form}
    )


@require_http_methods(["GET", "POST"])
def flag_archive(request, young_person_pk: int, pk: int):
    return _flag_action(
        request,
        young_person_pk,
        pk,
        form_class=ArchiveFlagForm,
        template="harms/flag_archive.html",
        act=lambda flag, data: harm_flag_archive(
            actor=request.user, flag=flag, reason=data["reason"], rationale=data["rationale"]
        ),
        done="{harm_type} flag archived",
    )


@require_http_methods(["GET", "POST"])
def flag_reinstate(request, young_person_pk: int, pk: int):
    return _flag_action(
        request,
        young_person_pk,
        pk,
        form_class=ReinstateFlagForm,
        template="harms/flag_reinstate.html",
        act=lambda flag, data: harm_flag_reinstate(
            actor=request.user, flag=flag, reason=data["reason"]
        ),
        done="{harm_type} flag reinstated",
    )


@require_http_methods(["GET", "POST"])
def flag_review(request, young_person_pk: int, pk: int):
    return _flag_action(
        request,
        young_person_pk,
        pk,
        form_class=ReviewFlagForm,
        template="harms/flag_review.html",
        act=lambda flag, data: harm_flag_review(
            actor=request.user,
            flag=flag,
            next_review_date=data["next_review_date"],
            note=data["note"],
        ),
        done="Review of the {harm_type} flag recorded",
    )
