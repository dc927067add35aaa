"""Retention review pages.

Rules: administrators only. The list of records due and the decision page: team managers (their
team's records) and service managers (every team's). Everyone else signed in is refused with 403,
since the pages' existence is no secret; a record outside the manager's scope, not due, or
already decided answers 404. Anonymous visitors are sent to sign in (LoginRequiredMiddleware).

Legal holds: the same managers (permissions.can_hold), 403 for every other role; a record the
manager may not hold answers 404 (selectors.young_person_for_hold). The legal hold rule:
administrators only, beside the retention rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csafe.accounts import permissions as role_permissions
from csafe.audit.services import record_list_access
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted
from csafe.core.pages import render_page

from . import permissions, selectors, services
from .forms import (
    LegalHoldForm,
    LegalHoldLiftForm,
    LegalHoldRuleForm,
    RetentionDecisionForm,
    RetentionRuleForm,
)
from .models import Decision, RecordKind, RetentionRule, RuleKind


def _require_configurer(user) -> None:
    if not permissions.can_configure_retention(user):
        raise PermissionDenied("Only administrators change retention rules")


def _require_reviewer(user) -> None:
    if not permissions.can_review_retention(user):
        raise PermissionDenied(services.REVIEW_REFUSED)


@require_GET
def rule_list(request):
    _require_configurer(request.user)
    return render_page(
        request,
        "retention/rule_list.html",
        {"rules": selectors.retention_rules(), "hold_rule": selectors.legal_hold_rule()},
        section="retention_rules",
    )


@require_http_methods(["GET", "POST"])
def hold_rule_edit(request):
    _require_configurer(request.user)
    rule = selectors.legal_hold_rule()
    initial = {
        "harm_types": list(rule.harm_types.all()),
        "citation": rule.citation,
        "policy_note": rule.policy_note,
    }
    form = LegalHoldRuleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_rule_update(
                actor=request.user,
                harm_types=list(form.cleaned_data["harm_types"]),
                citation=form.cleaned_data["citation"],
                policy_note=form.cleaned_data["policy_note"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Legal hold rule saved")
            return redirect("retention:rules")
    return render_page(
        request,
        "retention/hold_rule_form.html",
        {"form": form, "rule": rule},
        section="retention_rules",
    )


@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    _require_configurer(request.user)
    rule = get_object_or_404(RetentionRule, pk=pk)
    initial = {
        "basis": rule.basis,
        "years": rule.years,
        "is_active": rule.is_active,
        "policy_note": rule.policy_note,
    }
    form = RetentionRuleForm(
        posted(request), initial=initial, context_rule=rule.kind == RuleKind.CONTEXT
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Retention rule for {rule.get_kind_display().lower()} saved")
            return redirect("retention:rules")
    return render_page(
        request,
        "retention/rule_form.html",
        {"form": form, "rule": rule, "history": selectors.retention_rule_history(rule=rule)},
        section="retention_rules",
    )


@require_GET
def due_list(request):
    _require_reviewer(request.user)
    today = timezone.localdate()
    due = selectors.records_due_for_review(user=request.user, as_of=today)
    # Identifiers of young people from any team, for a service manager: each one shown is an
    # access-log row, as on every list that shows young people.
    record_list_access(user=request.user, young_people=due.young_person_ids, resource=request.path)
    return render_page(
        request,
        "retention/due_list.html",
        {"due": due, "today": today, "limit": selectors.LIST_LIMIT},
        section="retention",
    )


@require_http_methods(["GET", "POST"])
def decide(request, record_kind: str, pk: int):
    _require_reviewer(request.user)
    if record_kind not in RecordKind.values:
        raise Http404("No such record")
    today = timezone.localdate()
    record = selectors.due_record_for_user(
        user=request.user, record_kind=record_kind, pk=pk, as_of=today
    )
    if record is None:
        raise Http404("No record due for review")
    form = RetentionDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.retention_decide(
                actor=request.user,
                record_kind=record_kind,
                record_id=pk,
                decision=data["decision"],
                reason=data["reason"],
                review_on=data["review_on"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            if data["decision"] == Decision.ERASE:
                done = f"{record.identifier} erased"
            else:
                done = f"{record.identifier} kept until {long_date(data['review_on'])}"
            if record_kind == RecordKind.CONTEXT:
                done = f"Context record {done}"
            messages.success(request, done)
            return redirect("retention:due")
    return render_page(
        request,
        "retention/decide.html",
        {
            "form": form,
            "record": record,
            "decisions": selectors.decisions_for_record(record_kind=record_kind, pk=pk),
        },
        section="retention",
    )


def _require_hold_manager(user) -> None:
    if not permissions.can_manage_holds(user):
        raise PermissionDenied(services.HOLD_REFUSED)


def _hold_back_link(user, young_person) -> tuple[str, str]:
    # A team manager comes from the record; a service manager, who has no record page, from
    # the retention review.
    if role_permissions.is_service_manager(user):
        return reverse("retention:due"), "Back to records due for review"
    return reverse("cases:detail", args=[young_person.pk]), "Back to the record"


@require_http_methods(["GET", "POST"])
def hold(request, pk: int):
    """The holds on one record, and the form to place one when none stands."""
    _require_hold_manager(request.user)
    young_person = selectors.young_person_for_hold(user=request.user, pk=pk, resource=request.path)
    form = LegalHoldForm(posted(request))
    back_url, back_text = _hold_back_link(request.user, young_person)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_place(
                actor=request.user, young_person=young_person, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Legal hold placed on {young_person.local_identifier}")
            return redirect(back_url)
    return render_page(
        request,
        "retention/hold.html",
        {
            "form": form,
            "young_person": young_person,
            "holds": selectors.legal_holds_for_young_person(young_person=young_person),
            "back_url": back_url,
            "back_text": back_text,
        },
        section="retention" if role_permissions.is_service_manager(request.user) else "caseload",
    )


@require_http_methods(["GET", "POST"])
def hold_lift(request, pk: int):
    _require_hold_manager(request.user)
    young_person = selectors.young_person_for_hold(user=request.user, pk=pk, resource=request.path)
    holds = selectors.legal_holds_for_young_person(young_person=young_person)
    if holds.standing is None:
        raise Http404("No legal hold to lift")
    form = LegalHoldLiftForm(posted(request))
    back_url, back_text = _hold_back_link(request.user, young_person)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_hold_lift(
                actor=request.user,
                young_person=young_person,
                reason=form.cleaned_data["lift_reason"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Legal hold on {young_person.local_identifier} lifted")
            return redirect(back_url)
    return render_page(
        request,
        "retention/hold_lift.html",
        {
            "form": form,
            "young_person": young_person,
            "holds": holds,
            "back_url": back_url,
            "back_text": back_text,
        },
        section="retention" if role_permissions.is_service_manager(request.user) else "caseload",
    )
