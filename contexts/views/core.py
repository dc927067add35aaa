"""Pages for context records themselves (list, open, detail, edit, close, reopen, chronology)
and for their configuration (the word for a peer group, the naming conventions).

Access: anyone who may view contexts reads them (404 for anyone else, administrators included:
they configure contexts but see none); practitioners and team managers in a team open and
change them; the lead practitioner or a manager of the context's team closes and reopens (the
page says so, with 403, to anyone else who may view). Configuration is for administrators only
(404 for everyone else).

Nothing here hands a template a young person: context pages are fed by context-facing
selectors, which return contexts, professionals and counts.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csafe.core.errors import ApplicationError, ConflictError, ForbiddenError
from csafe.core.forms import add_service_error, posted, rebind_after_conflict
from csafe.core.pages import render_page
from csafe.core.vocabulary import ContextKind

from .. import permissions
from ..access import context_for_request
from ..forms.core import (
    CloseForm,
    ConfigurationForm,
    ConfirmNotDuplicateForm,
    ContextEditForm,
    ContextFilterForm,
    ContextOpenForm,
    ConventionForm,
    ReopenForm,
)
from ..linked_professionals import context_link_counts, context_professionals
from ..naming import FIELDS, builder_initial
from ..reference import ContextStatus, triangle_headings
from ..selectors import core as selectors
from ..selectors.work import context_work_summary
from ..services import configuration as configuration_services
from ..services import contexts as services

# --- Shared ------------------------------------------------------------------------------------


def _render(request, template: str, context: dict, *, status: int | None = None, **extra):
    return render_page(request, template, {**context, **extra}, section="contexts", status=status)


def _term() -> str:
    return selectors.peer_group_word(selectors.context_configuration())


def _labelled(context, term: str):
    """The context with ``kind_label``: its kind as shown, a peer group in the configured word."""
    context.kind_label = selectors.kind_label(context.kind, term)
    return context


def _to_detail(context):
    return redirect("contexts:detail", pk=context.pk)


class _Refusal:
    """An error summary for a refusal that points at another context rather than a field."""

    errors = True

    def __init__(self, message: str, href: str = ""):
        self.items = [{"message": message, "href": href}]

    def error_summary_items(self):
        return self.items


# --- The list ------------------------------------------------------------------------------------


@require_GET
def context_list(request):
    if not permissions.can_view_contexts(request.user):
        raise Http404("No contexts")
    term = _term()
    form = ContextFilterForm(request.GET or None, term=term)
    contexts = selectors.context_list_for_user(user=request.user, filters=form.filters())
    page = Paginator(contexts, 50).get_page(request.GET.get("page"))
    page.object_list = [_labelled(c, term) for c in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "contexts/core/list.html",
        {
            "filter_form": form,
            "page": page,
            "query": query.urlencode(),
            "can_open": permissions.can_work_on_contexts(request.user),
            "term": term,
        },
    )


# --- Opening a context -------------------------------------------------------------------------

# The fields the check step carries back to the form as hidden inputs.
_NOT_CARRIED = {"csrfmiddlewaretoken", "step", "confirm_not_duplicate"}


def _carried(request) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, values in request.POST.lists()
        if key not in _NOT_CARRIED
        for value in values
    ]


def _check_page(request, form, confirm, *, name: str, near, refusal=None, existing=None):
    details = form.details()
    term = _term()
    return _render(
        request,
        "contexts/core/check.html",
        {
            "form": form,
            "confirm": confirm,
            "errors": refusal or confirm,
            "name": name,
            "kind_label": selectors.kind_label(details["kind"], term),
            "details": details,
            "near": [_labelled(c, term) for c in near],
            "existing": _labelled(existing, term) if existing is not None else None,
            "can_reopen_existing": existing is not None
            and permissions.can_close_or_reopen(request.user, existing),
            "refused": refusal is not None,
            "carried": _carried(request),
        },
        status=400 if (refusal is not None or confirm.errors) else 200,
    )


def _name_refusal(error) -> _Refusal:
    return _Refusal(error.message, reverse("contexts:detail", args=[error.context.pk]))


def _refused_name_page(request, form, confirm, error):
    return _check_page(
        request,
        form,
        confirm,
        name=error.context.name,
        near=[],
        refusal=_name_refusal(error),
        existing=error.context,
    )


def _check_new(request, form, confirm):
    """The check step: the name, and what the duplicate search finds; nothing is saved."""
    try:
        check = services.context_name_check(actor=request.user, **_naming_details(form.details()))
    except ApplicationError as error:
        add_service_error(form, error)
        return None
    try:
        services.refuse_exact_name(check.matches)
    except (services.ContextNameTaken, services.ReopenInstead) as error:
        return _refused_name_page(request, form, confirm, error)
    return _check_page(request, form, confirm, name=check.name, near=check.matches.near)


def _save_new(request, form, confirm):
    """The save step, from the check page."""
    try:
        context = services.context_open(
            actor=request.user,
            confirmed_not_duplicate=confirm.cleaned_data["confirm_not_duplicate"],
            **form.details(),
        )
    except services.PossibleDuplicateContexts as error:
        add_service_error(confirm, error)
        return _check_page(request, form, confirm, name=error.name, near=error.candidates)
    except (services.ContextNameTaken, services.ReopenInstead) as error:
        return _refused_name_page(request, form, confirm, error)
    except ApplicationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, f"{context.name} opened")
    return _to_detail(context)


@require_http_methods(["GET", "POST"])
def context_new(request):
    """Open a context in two steps: the details, then a check page showing the name the
    convention gives it and any contexts that may already be it; saving is from the check.
    ("Change the details" on the check page posts step=edit: the form again, as typed.)"""
    if not permissions.can_work_on_contexts(request.user):
        raise Http404("No such page")
    data = posted(request)
    step = request.POST.get("step", "check") if data is not None else ""
    # "Open a location context from this place" (on a young person's record) pre-fills the
    # place's details through the query string; nothing is saved from a GET.
    prefill = {
        name: request.GET[name]
        for name in ("kind", "location_type", "postcode", "label", "area")
        if request.GET.get(name)
    }
    form = ContextOpenForm(
        data, term=_term(), initial={"lead_practitioner": request.user.pk, **prefill}
    )
    confirm = ConfirmNotDuplicateForm(data if step == "save" else None)
    if step in {"check", "save"} and form.is_valid() and (step == "check" or confirm.is_valid()):
        response = (_save_new if step == "save" else _check_new)(request, form, confirm)
        if response is not None:
            return response
    return _render(request, "contexts/core/new.html", {"form": form})


def _naming_details(details: dict) -> dict:
    keys = (
        "kind",
        "label",
        "area",
        "postcode",
        "location_type",
        "opened_on",
        "incident",
        "description",
    )
    return {key: details[key] for key in keys}


# --- A context ---------------------------------------------------------------------------------


@require_GET
def context_detail(request, pk: int):
    context = context_for_request(request, pk, with_link_counts=True)
    term = _term()
    is_open = context.status == ContextStatus.OPEN
    page = {
        "context": _labelled(context, term),
        "harm_types": selectors.context_harm_types(context=context),
        "link_counts": context.link_counts,
        "professionals": context_professionals(context=context),
        "headings": triangle_headings(context.kind),
        "last_change": None if is_open else selectors.latest_status_change(context=context),
        "can_change": is_open and permissions.can_work_on_contexts(request.user),
        "can_close_or_reopen": permissions.can_close_or_reopen(request.user, context),
    }
    if page["last_change"] is not None:
        page["can_correct_change"] = not page[
            "last_change"
        ].is_withdrawn and permissions.can_correct_context_text(
            request.user, context, page["last_change"]
        )
        page["can_redact_change"] = permissions.can_redact_context_text(request.user, context)
    page.update(_work_section(context, request.user))
    return _render(request, "contexts/core/detail.html", page)


def _work_section(context, user) -> dict:
    """What the work section (templates/contexts/work/_section.html) reads."""
    return {"work": context_work_summary(context=context, user=user)}


@require_http_methods(["GET", "POST"])
def context_edit(request, pk: int):
    context = context_for_request(request, pk, workers_only=True)
    if context.status != ContextStatus.OPEN:
        messages.error(request, services.CLOSED_CANNOT_CHANGE)
        return _to_detail(context)
    current_types = selectors.context_harm_types(context=context)
    form = ContextEditForm(
        posted(request),
        initial=ContextEditForm.initial_for(context),
        current_harm_types=current_types,
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.context_update(
                actor=request.user,
                context=context,
                expected_version=form.cleaned_data["version"],
                **form.details(),
            )
        except ConflictError as error:
            conflict = True
            # What is saved now, shown beside the user's input.
            context = context_for_request(request, pk, workers_only=True)
            form = rebind_after_conflict(
                form,
                error.current_version,
                initial=ContextEditForm.initial_for(context),
                current_harm_types=current_types,
            )
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Context details saved")
            return _to_detail(context)
    return _render(
        request,
        "contexts/core/edit.html",
        {"context": _labelled(context, _term()), "form": form, "conflict": conflict},
    )


def _status_page(request, pk: int, *, action: str, template: str, form_class, service, done):
    """Closing and reopening share their shape: view access (404 without), then the lead or a
    manager of the context's team (403 with the reason for anyone else), then the form."""
    context = context_for_request(request, pk)
    term = _term()
    _labelled(context, term)
    wanted = ContextStatus.OPEN if action == "close" else ContextStatus.CLOSED
    extra = {}
    if action == "close":
        extra["linked"] = context_link_counts(context=context).active
    if not permissions.can_close_or_reopen(request.user, context):
        refusal = _Refusal(services.close_refused_message(context, action))
        return _render(
            request,
            template,
            {"context": context, "errors": refusal, "refused": True, **extra},
            status=403,
        )
    if request.method == "GET" and context.status != wanted:
        messages.error(
            request, services.ALREADY_CLOSED if action == "close" else services.ALREADY_OPEN
        )
        return _to_detail(context)
    kwargs = (
        {"kind": context.kind, "linked": extra["linked"], "context": context}
        if action == "close"
        else {}
    )
    form = form_class(
        posted(request),
        initial={"version": context.version, "on": timezone.localdate()},
        **kwargs,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            service(actor=request.user, context=context, expected_version=version, **data)
        except ForbiddenError as error:  # the lead or team changed since the check above
            return _render(
                request,
                template,
                {"context": context, "errors": _Refusal(error.message), "refused": True},
                status=403,
            )
        except ConflictError as error:
            context = _labelled(context_for_request(request, pk), term)
            form = rebind_after_conflict(form, error.current_version, **kwargs)
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done.format(name=context.name))
            return _to_detail(context)
    return _render(
        request,
        template,
        {
            "context": context,
            "form": form,
            "headings": triangle_headings(context.kind),
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def context_close(request, pk: int):
    return _status_page(
        request,
        pk,
        action="close",
        template="contexts/core/close.html",
        form_class=CloseForm,
        service=services.context_close,
        done="{name} closed",
    )


@require_http_methods(["GET", "POST"])
def context_reopen(request, pk: int):
    return _status_page(
        request,
        pk,
        action="reopen",
        template="contexts/core/reopen.html",
        form_class=ReopenForm,
        service=services.context_reopen,
        done="{name} reopened",
    )


@require_GET
def context_chronology(request, pk: int):
    context = context_for_request(request, pk)
    entries = selectors.context_chronology(context=context)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return _render(
        request,
        "contexts/core/chronology.html",
        {"context": _labelled(context, _term()), "page": page},
    )


# --- Configuration -----------------------------------------------------------------------------


def _require_administrator(request) -> None:
    # 404 rather than 403, as for harm types: other roles have no configuration area at all.
    if not permissions.can_configure_contexts(request.user):
        raise Http404("No such page")


def _configuration_render(request, template: str, context: dict, *, status: int | None = None):
    return _render(request, template, context, status=status, active_section="context_naming")


def _convention_rows(term: str) -> list[dict]:
    conventions = selectors.naming_conventions()
    rows = []
    for kind in ContextKind.values:
        convention = conventions.get(kind)
        template = convention.template if convention else ""
        try:
            preview = configuration_services.convention_preview(
                kind=kind, template=template, term=term
            )
            problem = ""
        except ApplicationError as error:
            preview, problem = "", error.message
        rows.append(
            {
                "kind": kind,
                "kind_label": selectors.kind_label(kind, term),
                "template": template,
                "preview": preview,
                "problem": problem,
                "convention": convention,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def conventions(request):
    """The word for a peer group (changed here) and each kind's naming convention."""
    _require_administrator(request)
    configuration = selectors.context_configuration()
    form = ConfigurationForm(
        posted(request), initial={"peer_group_term": configuration.peer_group_term}
    )
    if request.method == "POST" and form.is_valid():
        try:
            configuration_services.configuration_update(
                actor=request.user, peer_group_term=form.cleaned_data["peer_group_term"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Word for a peer group saved")
            return redirect("contexts:conventions")
    term = selectors.peer_group_word(configuration)
    return _configuration_render(
        request,
        "contexts/core/conventions.html",
        {"form": form, "rows": _convention_rows(term), "term": term},
    )


def _kind_or_404(kind: str) -> str:
    if kind not in ContextKind.values:
        raise Http404("No such kind of context")
    return kind


@require_http_methods(["GET", "POST"])
def convention_edit(request, kind: str):
    """Change one kind's convention, with a preview of the name it gives a sample context: the
    Preview button shows it without saving (and, with JavaScript, it follows the typing)."""
    _require_administrator(request)
    kind = _kind_or_404(kind)
    term = _term()
    convention = selectors.naming_convention_for(kind)
    saved = convention.template if convention else ""
    form = ConventionForm(
        posted(request), initial={"template": saved, "loaded": saved, **builder_initial(saved)}
    )
    previewing = request.POST.get("action") == "preview"
    template = convention.template if convention else ""
    if request.method == "POST" and form.is_valid():
        template = form.cleaned_data["template"]
        try:
            if previewing:
                configuration_services.convention_preview(kind=kind, template=template, term=term)
            else:
                configuration_services.convention_update(
                    actor=request.user, kind=kind, template=template
                )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if not previewing:
                messages.success(
                    request, f"Naming convention for {selectors.kind_label(kind, term)} saved"
                )
                return redirect("contexts:conventions")
    elif request.method == "POST":
        template = form.cleaned_data.get("template") or request.POST.get("template", "")
    preview, problem = _preview(kind, template, term)
    return _configuration_render(
        request,
        "contexts/core/convention_edit.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": selectors.kind_label(kind, term),
            "preview": preview,
            "problem": problem,
            "sample": configuration_services.sample_parts(kind=kind, term=term),
            "fields": FIELDS,
        },
    )


def _preview(kind: str, template: str, term: str) -> tuple[str, str]:
    try:
        return configuration_services.convention_preview(
            kind=kind, template=template, term=term
        ), ""
    except ApplicationError as error:
        return "", error.message


@require_GET
def convention_preview(request, kind: str):
    """The preview as JSON, for the script that updates it as the administrator types."""
    _require_administrator(request)
    kind = _kind_or_404(kind)
    template = request.GET.get("template", "")[: configuration_services.TEMPLATE_MAX_LENGTH * 2]
    preview, problem = _preview(kind, template, _term())
    return JsonResponse({"name": preview, "problem": problem})
