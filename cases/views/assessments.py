"""Pages for child and family assessments on a young person's record: access -> form ->
service -> redirect.

Everyone who may view the record may read its assessments; changing one needs change
permission on the record (404 without it, as for every record); authorising or returning one
needs view permission, and then the service decides whether this user is a team manager of the
holding team (403 with its message if not)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csafe.core.errors import ApplicationError, ConflictError, ForbiddenError
from csafe.core.forms import add_service_error, posted, rebind_after_conflict
from csafe.core.vocabulary import context_kind_label

from .. import files, permissions
from ..access import young_person_for_request
from ..forms.assessments import (
    AssessmentAuthoriseForm,
    AssessmentCompleteForm,
    AssessmentEditForm,
    AssessmentReturnForm,
    AssessmentStartForm,
    ConfirmForm,
    ContextualFactorForm,
    MapUploadForm,
)
from ..reference import DocumentKind
from ..selectors import assessments as assessment_selectors
from ..services import assessments as services
from ..services.documents import document_upload
from ._common import render_record_page


def _assessment(request, young_person_pk: int, pk: int, perm: str = permissions.VIEW):
    young_person = young_person_for_request(request, young_person_pk, perm)
    return young_person, assessment_selectors.assessment_get_for_young_person(
        young_person=young_person, pk=pk
    )


def _to_detail(assessment):
    return redirect(
        "cases:assessment_detail", young_person_pk=assessment.young_person_id, pk=assessment.pk
    )


def _not_now(request, assessment, message: str):
    """Opening a form for something the assessment's state no longer allows: back to the
    assessment, saying why. (A POST still goes to the service, which refuses it.)"""
    messages.error(request, message)
    return _to_detail(assessment)


def _refused(request, template: str, context: dict, message: str):
    """The page for a user who may see the record but not take this action: the service's
    message in the error summary, no form, status 403."""
    form = ConfirmForm({})  # bound, so that it has cleaned data to take the error
    form.is_valid()
    form.add_error(None, message)
    return render_record_page(
        request, template, {**context, "form": form, "refused": True}, status=403
    )


@require_GET
def assessment_list(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    return render_record_page(
        request,
        "cases/assessments/list.html",
        {
            "young_person": young_person,
            "assessments": assessment_selectors.assessments_for_young_person(
                young_person=young_person
            ),
            "can_change": permissions.user_has_perm(request.user, permissions.CHANGE, young_person),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_new(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    form = AssessmentStartForm(posted(request), young_person=young_person)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=request.user,
                young_person=young_person,
                started_on=form.cleaned_data["started_on"],
                referral=form.cleaned_data["referral"],
                **form.text(),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Assessment started")
            return _to_detail(assessment)
    return render_record_page(
        request, "cases/assessments/start.html", {"young_person": young_person, "form": form}
    )


@require_GET
def assessment_detail(request, young_person_pk: int, pk: int):
    young_person, assessment = _assessment(request, young_person_pk, pk)
    held = permissions.perms_held(request.user, young_person)
    return render_record_page(
        request,
        "cases/assessments/detail.html",
        {
            "young_person": young_person,
            "assessment": assessment,
            "can_change": permissions.CHANGE in held,
            "can_authorise": permissions.can_authorise_assessment(request.user, young_person),
            "last_return": assessment_selectors.assessment_last_return(assessment=assessment),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_edit(request, young_person_pk: int, pk: int):
    young_person, assessment = _assessment(request, young_person_pk, pk, permissions.CHANGE)
    if request.method == "GET" and not assessment.is_editable:
        return _not_now(request, assessment, services.LOCKED_MESSAGE)
    form = AssessmentEditForm(posted(request), initial=AssessmentEditForm.initial_for(assessment))
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_update(
                actor=request.user,
                assessment=assessment,
                expected_version=form.cleaned_data["version"],
                started_on=form.cleaned_data["started_on"],
                **form.text(),
            )
        except ConflictError as error:
            conflict = True
            form = rebind_after_conflict(form, error.current_version)
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Assessment saved")
            return _to_detail(assessment)
    return render_record_page(
        request,
        "cases/assessments/edit.html",
        {
            "young_person": young_person,
            "assessment": assessment,
            "form": form,
            "conflict": conflict,
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_factor_add(request, young_person_pk: int, pk: int):
    young_person, assessment = _assessment(request, young_person_pk, pk, permissions.CHANGE)
    if request.method == "GET" and not assessment.is_editable:
        return _not_now(request, assessment, services.LOCKED_MESSAGE)
    form = ContextualFactorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            factor = services.contextual_factor_add(
                actor=request.user, assessment=assessment, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"Contextual factor added: {context_kind_label(factor.domain)}"
            )
            return _to_detail(assessment)
    return render_record_page(
        request,
        "cases/assessments/factor_add.html",
        {"young_person": young_person, "assessment": assessment, "form": form},
    )


@require_http_methods(["GET", "POST"])
def assessment_factor_withdraw(request, young_person_pk: int, pk: int, factor_pk: int):
    young_person, assessment = _assessment(request, young_person_pk, pk, permissions.CHANGE)
    factor = assessment_selectors.contextual_factor_get_for_assessment(
        assessment=assessment, pk=factor_pk
    )
    if request.method == "GET":
        if not assessment.is_editable:
            return _not_now(request, assessment, services.LOCKED_MESSAGE)
        if factor.withdrawn_at is not None:
            return _not_now(request, assessment, services.FACTOR_ALREADY_WITHDRAWN_MESSAGE)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contextual_factor_withdraw(actor=request.user, factor=factor)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Contextual factor withdrawn")
            return _to_detail(assessment)
    return render_record_page(
        request,
        "cases/assessments/factor_withdraw.html",
        {"young_person": young_person, "assessment": assessment, "factor": factor, "form": form},
    )


@files.limit_upload_size
@require_http_methods(["GET", "POST"])
def assessment_map_add(request, young_person_pk: int, pk: int):
    young_person, assessment = _assessment(request, young_person_pk, pk, permissions.CHANGE)
    if request.method == "GET" and not assessment.is_editable:
        return _not_now(request, assessment, services.LOCKED_MESSAGE)
    form = MapUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document_upload(
                actor=request.user,
                young_person=young_person,
                uploaded=data["file"],
                title=data["title"],
                kind=data["kind"],
                assessment=assessment,
                shaped_conclusion=data["shaped_conclusion"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{DocumentKind(data['kind']).label} added")
            return _to_detail(assessment)
    return render_record_page(
        request,
        "cases/assessments/map_add.html",
        {"young_person": young_person, "assessment": assessment, "form": form},
    )


@require_http_methods(["GET", "POST"])
def assessment_complete(request, young_person_pk: int, pk: int):
    young_person, assessment = _assessment(request, young_person_pk, pk, permissions.CHANGE)
    if request.method == "GET" and not assessment.is_editable:
        return _not_now(request, assessment, services.LOCKED_MESSAGE)
    # An assessment returned after finding no harm is suggested "No factors identified" again.
    suggested = services.cin_factor_suggestions(
        young_person=young_person, outcome_nature=assessment.outcome_nature
    )
    form = AssessmentCompleteForm(
        posted(request),
        suggested=suggested,
        initial=AssessmentCompleteForm.initial_for(assessment, suggested, timezone.localdate()),
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_complete(
                actor=request.user,
                assessment=assessment,
                expected_version=data["version"],
                completed_on=data["completed_on"],
                conclusion=data["conclusion"],
                outcome_nature=data["outcome_nature"],
                decision=data["decision"],
                cin_factor_codes=data["cin_factors"],
            )
        except ConflictError as error:
            conflict = True
            form = rebind_after_conflict(form, error.current_version, suggested=suggested)
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, "Assessment completed: it now needs a team manager's authorisation"
            )
            return _to_detail(assessment)
    return render_record_page(
        request,
        "cases/assessments/complete.html",
        {
            "young_person": young_person,
            "assessment": assessment,
            "form": form,
            "conflict": conflict,
        },
    )


def _manager_action(request, young_person_pk, pk, *, refused_message, state_message, template):
    """What authorising and returning share: view access to the record (404 without), then the
    role (403 with the service's message), then, when only opening the form, the state."""
    young_person, assessment = _assessment(request, young_person_pk, pk)
    context = {"young_person": young_person, "assessment": assessment}
    if not permissions.can_authorise_assessment(request.user, young_person):
        return young_person, assessment, _refused(request, template, context, refused_message)
    message = state_message(assessment)
    if request.method == "GET" and message:
        return young_person, assessment, _not_now(request, assessment, message)
    return young_person, assessment, None


def _authorise_state(assessment) -> str | None:
    if assessment.authorised_on is not None:
        return services.ALREADY_AUTHORISED_MESSAGE
    if assessment.completed_on is None:
        return services.NOT_COMPLETED_MESSAGE
    return None


def _return_state(assessment) -> str | None:
    if assessment.completed_on is None or assessment.authorised_on is not None:
        return services.NOT_AWAITING_MESSAGE
    return None


@require_http_methods(["GET", "POST"])
def assessment_authorise(request, young_person_pk: int, pk: int):
    template = "cases/assessments/authorise.html"
    young_person, assessment, early = _manager_action(
        request,
        young_person_pk,
        pk,
        refused_message=services.AUTHORISE_REFUSED_MESSAGE,
        state_message=_authorise_state,
        template=template,
    )
    if early is not None:
        return early
    context = {"young_person": young_person, "assessment": assessment}
    form = AssessmentAuthoriseForm(
        posted(request),
        initial={"authorised_on": timezone.localdate()},
        completed_on=assessment.completed_on,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_authorise(
                actor=request.user,
                assessment=assessment,
                authorised_on=form.cleaned_data["authorised_on"],
                reason=form.cleaned_data["reason"],
            )
        except ForbiddenError as error:  # the role changed since the check above
            return _refused(request, template, context, error.message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Assessment authorised")
            return _to_detail(assessment)
    return render_record_page(request, template, {**context, "form": form})


@require_http_methods(["GET", "POST"])
def assessment_return(request, young_person_pk: int, pk: int):
    template = "cases/assessments/return.html"
    young_person, assessment, early = _manager_action(
        request,
        young_person_pk,
        pk,
        refused_message=services.RETURN_REFUSED_MESSAGE,
        state_message=_return_state,
        template=template,
    )
    if early is not None:
        return early
    context = {"young_person": young_person, "assessment": assessment}
    form = AssessmentReturnForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_return(
                actor=request.user, assessment=assessment, reason=form.cleaned_data["reason"]
            )
        except ForbiddenError as error:  # the role changed since the check above
            return _refused(request, template, context, error.message)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Assessment returned for more work")
            return _to_detail(assessment)
    return render_record_page(request, template, {**context, "form": form})
