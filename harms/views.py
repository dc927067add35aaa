"""Pages for configuring the harm taxonomy, for administrators. The flag pages are the record's
own (cases/views/flags.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted

from . import permissions, selectors, services
from .forms import HarmTypeForm, HarmTypeRetireForm
from .models import HarmType


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


@require_http_methods(["GET", "POST"])
def type_retire(request, pk: int):
    """A confirmation page: how many young people's current flags the type labels (they stay,
    shown as a retired type), and the reason, which the service requires."""
    _require_administrator(request)
    harm_type = get_object_or_404(HarmType, pk=pk)
    if not harm_type.is_active:
        messages.error(request, f"{harm_type} is already retired")
        return redirect("harms:type_list")
    form = HarmTypeRetireForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.harm_type_set_active(
                actor=request.user,
                harm_type=harm_type,
                active=False,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{harm_type} retired")
            return redirect("harms:type_list")
    return render(
        request,
        "harms/type_retire.html",
        _config_context(
            form=form,
            harm_type=harm_type,
            current_flags=selectors.harm_type_current_flag_count(harm_type=harm_type),
        ),
        status=400 if form.errors else 200,
    )


@require_POST
def type_reactivate(request, pk: int):
    _require_administrator(request)
    harm_type = get_object_or_404(HarmType, pk=pk)
    try:
        services.harm_type_set_active(actor=request.user, harm_type=harm_type, active=True)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{harm_type} brought back into use")
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
