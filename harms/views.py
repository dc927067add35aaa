"""Pages for harm flags (on a young person's record) and the taxonomy (for administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import permissions as case_permissions
from cases.selectors import young_person_get_for_user
from csafe.audit.models import AccessChannel
from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted

from . import permissions, selectors, services
from .forms import ArchiveFlagForm, HarmTypeForm, RaiseFlagForm, ReinstateFlagForm, ReviewFlagForm
from .models import HarmType


def _young_person_to_change(request, young_person_pk: int):
    """The record, if the user may change it (404 otherwise, as for every record)."""
    return young_person_get_for_user(
        user=request.user,
        pk=young_person_pk,
        channel=AccessChannel.PAGE,
        resource=request.path,
        perm=case_permissions.CHANGE,
    )


def _render(request, template, context, form):
    context = {**context, "form": form, "active_section": "caseload"}
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def flag_raise(request, young_person_pk: int):
    young_person = _young_person_to_change(request, young_person_pk)
    form = RaiseFlagForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            flag = services.harm_flag_raise(
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
    return _render(request, "harms/flag_raise.html", {"young_person": young_person}, form)


def _flag_action(request, young_person_pk, pk, *, form_class, template, act, done: str):
    """The shape every action on an existing flag shares: check change permission on the
    record, validate the form, call the service, and show its business errors on the form."""
    young_person = _young_person_to_change(request, young_person_pk)
    flag = selectors.flag_for_young_person(young_person=young_person, pk=pk)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            act(flag, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done.format(harm_type=flag.harm_type))
            return redirect("cases:detail", pk=young_person.pk)
    return _render(request, template, {"young_person": young_person, "flag": flag}, form)


@require_http_methods(["GET", "POST"])
def flag_archive(request, young_person_pk: int, pk: int):
    return _flag_action(
        request,
        young_person_pk,
        pk,
        form_class=ArchiveFlagForm,
        template="harms/flag_archive.html",
        act=lambda flag, data: services.harm_flag_archive(
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
        act=lambda flag, data: services.harm_flag_reinstate(
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
        act=lambda flag, data: services.harm_flag_review(
            actor=request.user,
            flag=flag,
            next_review_date=data["next_review_date"],
            note=data["note"],
        ),
        done="Review of the {harm_type} flag recorded",
    )


# --- Taxonomy configuration ------------------------------------------------------------------


def _require_administrator(request) -> None:
    # 404 rather than 403, as for records: other roles have no configuration area at all.
    if not permissions.can_configure_taxonomy(request.user):
        raise Http404("No such page")


def _config_context(**extra):
    return {"active_section": "harm_types", **extra}


@require_GET
def type_list(request):
    _require_administrator(request)
    return render(
        request,
        "harms/type_list.html",
        _config_context(nodes=selectors.harm_type_tree(with_counts=True)),
    )


@require_http_methods(["GET", "POST"])
def type_create(request):
    _require_administrator(request)
    form = HarmTypeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            harm_type = services.harm_type_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{harm_type} added")
            return redirect("harms:type_list")
    return render(
        request,
        "harms/type_form.html",
        _config_context(form=form, harm_type=None),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def type_edit(request, pk: int):
    _require_administrator(request)
    harm_type = get_object_or_404(HarmType, pk=pk)
    initial = {
        "name": harm_type.name,
        "parent": harm_type.parent_id,
        "nature": harm_type.nature,
        "cin_code": harm_type.cin_code,
        "description": harm_type.description,
    }
    form = HarmTypeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.harm_type_update(actor=request.user, harm_type=harm_type, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved")
            return redirect("harms:type_list")
    return render(
        request,
        "harms/type_form.html",
        _config_context(form=form, harm_type=harm_type),
        status=400 if form.errors else 200,
    )


@require_POST
def type_set_active(request, pk: int, active: bool):
    _require_administrator(request)
    harm_type = get_object_or_404(HarmType, pk=pk)
    try:
        services.harm_type_set_active(actor=request.user, harm_type=harm_type, active=active)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        verb = "brought back into use" if active else "retired"
        messages.success(request, f"{harm_type} {verb}")
    return redirect("harms:type_list")


@require_GET
def type_history(request, pk: int):
    _require_administrator(request)
    harm_type = get_object_or_404(HarmType, pk=pk)
    history = harm_type.history.select_related("history_user", "parent").order_by("-history_date")
    return render(
        request,
        "harms/type_history.html",
        _config_context(harm_type=harm_type, history=history[:200]),
    )
