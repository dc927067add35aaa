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

from csafe.core.errors import ApplicationError, ConflictError, ForbiddenError
from csafe.core.forms import add_service_error, posted, rebind_after_conflict
from csafe.core.pages import render_page

from .. import permissions
from ..access import context_for_request, context_text_row_for_request
from ..forms.work import (
    ActionCorrectionForm,
    ContextActionForm,
    ContextProgressForm,
    ContextRecordForm,
    PlanReviewDateForm,
    RecordCorrectionForm,
    RedactionForm,
    StatusChangeCorrectionForm,
    WithdrawalForm,
)
from ..models import Context
from ..reference import ContextStatus, TriangleSide, triangle_headings
from ..selectors import work as work_selectors
from ..services import corrections
from ..services import work as work_services


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
    context = context_for_request(request, pk)
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
    context = context_for_request(request, pk, change=True)
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
    context = context_for_request(request, pk)
    record = work_selectors.context_record_get(context=context, pk=record_pk)
    return _render(
        request,
        "contexts/work/record_detail.html",
        {
            "context": context,
            "row": work_selectors.record_row(context, record),
            "can_correct": not record.is_withdrawn
            and permissions.can_correct_context_text(request.user, context, record),
            "can_redact": permissions.can_redact_context_text(request.user, context),
        },
    )


@require_http_methods(["GET", "POST"])
def action_new(request, pk: int):
    context = context_for_request(request, pk, change=True)
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
    context = context_for_request(request, pk, change=True)
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
    context = context_for_request(request, pk, change=True)
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


# --- Correcting, withdrawing and redacting text ------------------------------------------------
# One view of each for the three kinds of row (contexts.services.corrections.PARTS): an
# assessment or meeting note, a plan action, a closure or reopening. Who may: the row's author
# or a team manager of the context's team (redaction: that manager only); anyone else who may
# work on contexts gets a 403, like a service manager.

_CORRECTION_FORMS = {
    "record": RecordCorrectionForm,
    "action": ActionCorrectionForm,
    "status_change": StatusChangeCorrectionForm,
}
_NOUNS = {"record": "record", "action": "plan action", "status_change": "closure or reopening"}


def _field_labels(context: Context, part: str, row) -> dict[str, str]:
    """What each text field of the row is called on the page, for the context's kind."""
    headings = triangle_headings(context.kind)
    if part == "record":
        labels = {side: headings[side] for side in TriangleSide.values}
        labels["weighting_reason"] = "Why it must change first"
    elif part == "action":
        labels = {
            "description": "Action",
            "owner": "Who is responsible",
            "progress_note": "Progress note",
        }
    else:
        labels = {"reason": "Reason"}
        if row.action == row.Action.CLOSED:
            labels.update({f"{side}_change": headings[side] for side in TriangleSide.values})
    return labels


def _subject(part: str, row) -> str:
    if part == "record":
        return f"{row.get_kind_display()} of {row.held_on:%-d %B %Y}"
    if part == "action":
        return f"Plan action due {row.due_date:%-d %B %Y}"
    return f"{row.get_action_display()} on {row.on:%-d %B %Y}"


def _after(context: Context, part: str, row):
    if part == "record":
        return redirect("contexts:record_detail", pk=context.pk, record_pk=row.pk)
    return _to_context(context)


def _text_change(
    request, *, context, part, row, form_class, form_kwargs, service, done: str, page: dict
):
    """Validate ``form_class(data, **form_kwargs)``, call ``service`` with its data and the
    version read; on a conflict, the input again carrying the version now saved."""
    form = form_class(posted(request), **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            service(actor=request.user, row=row, expected_version=version, **data)
        except ForbiddenError as error:  # the row's author or the team changed since the check
            raise PermissionDenied(error.message) from error
        except ConflictError as error:
            form = rebind_after_conflict(form, error.current_version, **form_kwargs)
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return _after(context, part, row)
    return _render(
        request,
        "contexts/work/text_change_form.html",
        {"context": context, "subject": _subject(part, row), **page},
        form,
    )


def _correct(request, pk: int, part: str, row_pk: int):
    context, row = context_text_row_for_request(request, pk, part, row_pk)
    labels = _field_labels(context, part, row)
    omitted = [name for name in corrections.PARTS[part].texts if name not in labels]
    initial = {name: getattr(row, name) for name in labels} | {"version": context.version}
    return _text_change(
        request,
        context=context,
        part=part,
        row=row,
        form_class=_CORRECTION_FORMS[part],
        form_kwargs={"labels": labels, "omit": omitted, "initial": initial},
        service=corrections.context_text_correct,
        done="Text corrected",
        page={
            "title": f"Correct this {_NOUNS[part]}",
            "intro": "The text you replace is removed from the record and its earlier "
            "versions. Say why you are correcting it.",
            "button": "Save correction",
        },
    )


def _withdraw(request, pk: int, part: str, row_pk: int):
    context, row = context_text_row_for_request(request, pk, part, row_pk)
    return _text_change(
        request,
        context=context,
        part=part,
        row=row,
        form_class=WithdrawalForm,
        form_kwargs={"initial": {"version": context.version}},
        service=corrections.context_text_withdraw,
        done="Text withdrawn",
        page={
            "title": f"Withdraw this {_NOUNS[part]}",
            "intro": "Its whole text is replaced, here and in its earlier versions, by a note "
            "of who withdrew it, when and why. Its date stays.",
            "button": "Withdraw text",
        },
    )


def _redact(request, pk: int, part: str, row_pk: int):
    context, row = context_text_row_for_request(request, pk, part, row_pk, redact=True)
    labels = _field_labels(context, part, row) | {
        "correction_reason": "Why it was corrected",
        "withdrawal_reason": "Why it was withdrawn",
    }
    shown = [(name, label, getattr(row, name)) for name, label in labels.items()]
    shown = [(name, label, text) for name, label, text in shown if text]
    return _text_change(
        request,
        context=context,
        part=part,
        row=row,
        form_class=RedactionForm,
        form_kwargs={
            "choices": [(name, label) for name, label, _ in shown],
            "initial": {"version": context.version},
        },
        service=corrections.context_text_redact,
        done="Passage redacted",
        page={
            "title": "Redact a passage",
            "intro": "Use this when a passage names a young person. It becomes [redacted] "
            "wherever it appears in this text and its earlier versions.",
            "button": "Redact passage",
            "texts": [(label, text) for _, label, text in shown],
        },
    )


def _views(part: str, key: str):
    def correct(request, pk: int, **kwargs):
        return _correct(request, pk, part, kwargs[key])

    def withdraw(request, pk: int, **kwargs):
        return _withdraw(request, pk, part, kwargs[key])

    def redact(request, pk: int, **kwargs):
        return _redact(request, pk, part, kwargs[key])

    methods = require_http_methods(["GET", "POST"])
    return methods(correct), methods(withdraw), methods(redact)


record_correct, record_withdraw, record_redact = _views("record", "record_pk")
action_correct, action_withdraw, action_redact = _views("action", "action_pk")
status_change_correct, status_change_withdraw, status_change_redact = _views(
    "status_change", "change_pk"
)
