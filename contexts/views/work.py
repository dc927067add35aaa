"""Pages for the work on a context: assessments and meeting notes, and the context plan.
access -> form -> service -> redirect.

Anyone who may view contexts may read them; changing needs ``can_work_on_contexts``. Someone who
may not view contexts gets a 404; a service manager, who may read them but not change them, gets
a 403 on the pages that change them (the context's existence is no secret from a reader).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted
from csafe.core.pages import render_page

from .. import permissions
from ..forms.work import (
    ContextActionForm,
    ContextProgressForm,
    ContextRecordForm,
    PlanReviewDateForm,
)
from ..models import Context
from ..reference import ContextStatus, triangle_headings
from ..selectors import context_get_for_user
from ..selectors import work as work_selectors
from ..services import work as work_services


def _context(request, pk: int, *, change: bool = False) -> Context:
    context = context_get_for_user(user=request.user, pk=pk)
    if change and not permissions.can_work_on_contexts(request.user):
        raise PermissionDenied("You cannot change context records")
    return context


def _closed(request, context: Context):
    """A closed context takes no new work: say so on the context page rather than show a form
    that cannot be saved. (The services refuse it too, for the API and for a context closed
    while the form was open.)"""
    if context.status == ContextStatus.OPEN:
        return None
    messages.error(request, work_services.CLOSED_MESSAGE)
    return _to_context(context)


def _render(request, template: str, page: dict, form=None):
    return render_page(
        request, template, {**page, "form": form} if form is not None else page, section="contexts"
    )


def _to_context(context: Context):
    return redirect("contexts:detail", pk=context.pk)


@require_GET
def record_list(request, pk: int):
    context = _context(request, pk)
    return _render(
        request,
        "contexts/work/record_list.html",
        {
            "context": context,
            "rows": work_selectors.record_rows_for_context(context=context),
            "can_work": permissions.can_work_on_contexts(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def record_new(request, pk: int):
    context = _context(request, pk, change=True)
    if refused := _closed(request, context):
        return refused
    form = ContextRecordForm(posted(request), headings=triangle_headings(context.kind))
    if request.method == "POST" and form.is_valid():
        try:
            record = work_services.context_record_add(
                actor=request.user, context=context, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{record.get_kind_display()} recorded")
            return _to_context(context)
    return _render(request, "contexts/work/record_form.html", {"context": context}, form)


@require_GET
def record_detail(request, pk: int, record_pk: int):
    context = _context(request, pk)
    record = work_selectors.context_record_get(context=context, pk=record_pk)
    return _render(
        request,
        "contexts/work/record_detail.html",
        {"context": context, "row": work_selectors.record_row(context, record)},
    )


@require_http_methods(["GET", "POST"])
def action_new(request, pk: int):
    context = _context(request, pk, change=True)
    if refused := _closed(request, context):
        return refused
    form = ContextActionForm(posted(request), headings=triangle_headings(context.kind))
    if request.method == "POST" and form.is_valid():
        try:
            work_services.context_action_add(
                actor=request.user, context=context, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Action added to the plan")
            return _to_context(context)
    return _render(request, "contexts/work/action_form.html", {"context": context}, form)


@require_http_methods(["GET", "POST"])
def action_progress(request, pk: int, action_pk: int):
    context = _context(request, pk, change=True)
    action = work_selectors.context_action_get(context=context, pk=action_pk)
    if refused := _closed(request, context):
        return refused
    form = ContextProgressForm(
        posted(request),
        initial={
            "progress": action.progress,
            "completed_on": action.completed_on,
            "note": action.progress_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            work_services.context_action_update_progress(
                actor=request.user, action=action, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Progress recorded")
            return _to_context(context)
    [row] = work_selectors.action_rows(context, [action], timezone.localdate())
    return _render(
        request,
        "contexts/work/progress_form.html",
        {"context": context, "row": row},
        form,
    )


@require_http_methods(["GET", "POST"])
def plan_review_date(request, pk: int):
    context = _context(request, pk, change=True)
    if refused := _closed(request, context):
        return refused
    form = PlanReviewDateForm(posted(request), initial={"review_date": context.plan_review_date})
    if request.method == "POST" and form.is_valid():
        try:
            work_services.context_plan_review_set(
                actor=request.user, context=context, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Plan review date saved")
            return _to_context(context)
    return _render(
        request,
        "contexts/work/review_date_form.html",
        {
            "context": context,
            "review_overdue": work_selectors.review_is_overdue(context, timezone.localdate()),
        },
        form,
    )
