"""Pages for plans and relocations on a young person's record: access -> form -> service ->
redirect. Viewing needs view permission on the record, every change needs change permission;
without it the page is a 404, as for every record."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError, ConflictError, ForbiddenError
from csafe.core.forms import GovUKForm, add_service_error, posted, rebind_after_conflict

from .. import permissions
from ..access import young_person_for_request
from ..forms.plans import (
    CONTEXTUAL,
    ActionForm,
    EndPlanForm,
    FactorGapForm,
    FinaliseForm,
    PlanEditForm,
    PlanForm,
    RelocationForm,
    ReturnPlanForm,
    ReviewForm,
    SignOffForm,
    SubmitForm,
)
from ..forms.progress import ProgressForm
from ..reference import PlanStatus
from ..selectors import plans as plan_selectors
from ..selectors import records as record_selectors
from ..selectors.relocations import RelocationSuggestion, relocation_suggestion
from ..services import plans as plan_services
from ..services import relocations as relocation_services
from ._common import render_record_page


def _to_plan(plan):
    return redirect("cases:plan_detail", young_person_pk=plan.young_person_id, pk=plan.pk)


@require_GET
def plan_list(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    plans = plan_selectors.plans_with_details_for_young_person(young_person=young_person)
    today = timezone.localdate()
    rows = [
        {
            "plan": plan,
            "open_factors": sum(1 for status in plan.factor_status if status.is_open),
            "overdue_actions": sum(
                1
                for action in plan.actions.all()
                if plan_selectors.action_is_overdue(action, today)
            ),
        }
        for plan in plans
    ]
    return render_record_page(
        request,
        "cases/plans/list.html",
        {
            "young_person": young_person,
            "rows": rows,
            "can_change": permissions.user_has_perm(request.user, permissions.CHANGE, young_person),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_new(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    form = PlanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_services.plan_create(
                actor=request.user, young_person=young_person, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{plan.get_kind_display()} plan drafted")
            return _to_plan(plan)
    assessment = plan_selectors.latest_authorised_assessment(young_person=young_person)
    return render_record_page(
        request,
        "cases/plans/form.html",
        {
            "young_person": young_person,
            "plan": None,
            "assessment": assessment,
            "factor_count": plan_selectors.current_factor_count(assessment=assessment),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_detail(request, young_person_pk: int, pk: int):
    """The plan. Its one POST is the "Answer the latest assessment" button, shown when an
    assessment was authorised after the plan was made (``plan_assessment_update``)."""
    if request.method == "POST":
        return _answer_latest_assessment(request, young_person_pk, pk)
    young_person = young_person_for_request(request, young_person_pk)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    today = timezone.localdate()
    statuses = plan.factor_status
    can_change = permissions.user_has_perm(request.user, permissions.CHANGE, young_person)
    ended = plan.status == PlanStatus.ENDED
    awaiting = plan.status == PlanStatus.SUBMITTED
    drafted = plan.status == PlanStatus.DRAFT
    return render_record_page(
        request,
        "cases/plans/detail.html",
        {
            "young_person": young_person,
            "plan": plan,
            "actions": [
                (action, plan_selectors.action_is_overdue(action, today))
                for action in plan.actions.all()
            ],
            "factor_status": statuses,
            "open_count": sum(1 for status in statuses if status.is_open),
            # Planned for (an action, whatever its progress) and done, as the dashboards count.
            "planned_count": sum(1 for status in statuses if status.actions),
            "done_count": sum(1 for status in statuses if status.is_done),
            "not_addressed": [status for status in statuses if status.state == "not_addressed"],
            "reviews": plan.reviews.all(),
            # A plan awaiting sign-off is read-only: the manager signs off what was submitted.
            "can_change": can_change and not ended and not awaiting,
            "can_end": can_change and not ended,
            "can_sign_off": awaiting and permissions.can_sign_off_plan(request.user, young_person),
            # Asked whatever the state, so the page costs the same in every state.
            "needs_sign_off": plan_selectors.plan_kind_needs_sign_off(plan.kind) and drafted,
            # An ended plan no longer has to answer anything.
            "newer_assessment": None if ended else plan_selectors.newer_assessment(plan),
            "answer_latest_action": plan_services.ANSWER_LATEST_ACTION,
        },
    )


def _answer_latest_assessment(request, young_person_pk: int, pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    try:
        plan = plan_services.plan_assessment_update(actor=request.user, plan=plan)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "The plan now answers the assessment authorised on "
            f"{long_date(plan.assessment.authorised_on)}: answer each of its contextual factors",
        )
    return _to_plan(plan)


@require_http_methods(["GET", "POST"])
def plan_edit(request, young_person_pk: int, pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    initial = {
        "start_date": plan.start_date,
        "review_date": plan.review_date,
        "summary": plan.summary,
        "version": plan.version,
    }
    form = PlanEditForm(posted(request), initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_services.plan_update(
                actor=request.user,
                plan=plan,
                expected_version=data["version"],
                start_date=data["start_date"],
                review_date=data["review_date"],
                summary=data["summary"],
            )
        except ConflictError as error:
            # Keep what the user typed, show the plan as it is now beside it, and take the
            # current version: saving again, having looked, is a deliberate choice.
            conflict = True
            plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
            form = rebind_after_conflict(form, error.current_version, initial=initial)
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Plan saved")
            return _to_plan(plan)
    return render_record_page(
        request,
        "cases/plans/form.html",
        {"young_person": young_person, "plan": plan, "conflict": conflict, "form": form},
    )


@require_http_methods(["GET", "POST"])
def plan_action_add(request, young_person_pk: int, pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    initial = {}
    if request.GET.get("factor"):
        # Reached from "answer with an action" beside a factor.
        initial = {"action_type": CONTEXTUAL, "factor": request.GET["factor"]}
    form = ActionForm(posted(request), initial=initial, factors=plan.factor_status)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_action_add(actor=request.user, plan=plan, **form.service_arguments())
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Action added")
            return _to_plan(plan)
    return render_record_page(
        request,
        "cases/plans/action_form.html",
        {"young_person": young_person, "plan": plan, "form": form},
    )


@require_http_methods(["GET", "POST"])
def plan_action_progress(request, young_person_pk: int, pk: int, action_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    action = plan_selectors.plan_action_get_for_plan(plan=plan, pk=action_pk)
    form = ProgressForm(
        posted(request),
        initial={
            "progress": action.progress,
            "completed_on": action.completed_on,
            "note": action.progress_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_action_update_progress(
                actor=request.user, action=action, **form.cleaned_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Progress recorded")
            return _to_plan(plan)
    return render_record_page(
        request,
        "cases/plans/progress_form.html",
        {"young_person": young_person, "plan": plan, "action": action, "form": form},
    )


@require_http_methods(["GET", "POST"])
def plan_factor_gap(request, young_person_pk: int, pk: int, factor_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    factor = plan_selectors.plan_factor_get_for_plan(plan=plan, pk=factor_pk)
    current = next(s for s in plan.factor_status if s.factor.pk == factor.pk)
    form = FactorGapForm(
        posted(request), initial={"reason": current.gap.reason if current.gap else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.plan_factor_not_addressed(
                actor=request.user, plan=plan, factor=factor, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Factor marked as not addressed")
            return _to_plan(plan)
    return render_record_page(
        request,
        "cases/plans/gap_form.html",
        {"young_person": young_person, "plan": plan, "status": current, "form": form},
    )


def _plan_step(
    request, young_person_pk, pk, *, form_class, template, act, done: str, with_plan=False
):
    """The shape every change of a plan's state shares: change permission on the record, the
    plan, the form (given the plan when ``with_plan``), the service, its business errors shown
    on the form."""
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    form = form_class(posted(request), **({"plan": plan} if with_plan else {}))
    if request.method == "POST" and form.is_valid():
        try:
            act(plan, form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return _to_plan(plan)
    open_statuses = [status for status in plan.factor_status if status.is_open]
    return render_record_page(
        request,
        template,
        {"young_person": young_person, "plan": plan, "open_statuses": open_statuses, "form": form},
    )


@require_http_methods(["GET", "POST"])
def plan_finalise(request, young_person_pk: int, pk: int):
    return _plan_step(
        request,
        young_person_pk,
        pk,
        form_class=FinaliseForm,
        template="cases/plans/finalise.html",
        act=lambda plan, data: plan_services.plan_finalise(
            actor=request.user, plan=plan, conference_date=data.get("conference_date")
        ),
        done="Plan finalised: it is now in force",
        with_plan=True,
    )


@require_http_methods(["GET", "POST"])
def plan_submit(request, young_person_pk: int, pk: int):
    return _plan_step(
        request,
        young_person_pk,
        pk,
        form_class=SubmitForm,
        template="cases/plans/submit.html",
        act=lambda plan, data: plan_services.plan_submit(
            actor=request.user, plan=plan, conference_date=data.get("conference_date")
        ),
        done="Plan submitted for sign-off: the team's managers have been told",
        with_plan=True,
    )


def _refused(request, template: str, context: dict, message: str):
    """The page for a user who may see the record but not sign off or return its plans: the
    service's message in the error summary, no form, status 403."""
    form = GovUKForm({})  # bound, so that it has cleaned data to take the error
    form.is_valid()
    form.add_error(None, message)
    return render_record_page(
        request, template, {**context, "form": form, "refused": True}, status=403
    )


def _manager_step(request, young_person_pk, pk, *, refused, form_class, template, act, done):
    """Signing off and returning: view access to the record (404 without), then the role (403
    with the service's message), then, when only opening the form, the plan's state (back to
    the plan, saying why); the service checks role and state again under its locks."""
    young_person = young_person_for_request(request, young_person_pk)
    plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
    context = {"young_person": young_person, "plan": plan}
    if not permissions.can_sign_off_plan(request.user, young_person):
        return _refused(request, template, context, refused)
    if request.method == "GET" and plan.status != PlanStatus.SUBMITTED:
        messages.error(request, plan_services.NOT_AWAITING_SIGN_OFF_MESSAGE)
        return _to_plan(plan)
    form = form_class(posted(request), initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            act(plan, data)
        except ForbiddenError as error:  # the role changed since the check above
            return _refused(request, template, context, error.message)
        except ConflictError as error:
            # The plan was returned, changed and submitted again since this page was opened:
            # show it as it is now, and take the current version only on a deliberate resubmit.
            plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
            context["plan"] = plan
            form = rebind_after_conflict(form, error.current_version, initial={})
            add_service_error(form, error)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return _to_plan(plan)
    return render_record_page(request, template, {**context, "form": form})


@require_http_methods(["GET", "POST"])
def plan_sign_off(request, young_person_pk: int, pk: int):
    return _manager_step(
        request,
        young_person_pk,
        pk,
        refused=plan_services.SIGN_OFF_REFUSED_MESSAGE,
        form_class=SignOffForm,
        template="cases/plans/sign_off.html",
        act=lambda plan, data: plan_services.plan_sign_off(
            actor=request.user,
            plan=plan,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="Plan signed off: it is now in force",
    )


@require_http_methods(["GET", "POST"])
def plan_return(request, young_person_pk: int, pk: int):
    return _manager_step(
        request,
        young_person_pk,
        pk,
        refused=plan_services.RETURN_REFUSED_MESSAGE,
        form_class=ReturnPlanForm,
        template="cases/plans/return.html",
        act=lambda plan, data: plan_services.plan_return(
            actor=request.user,
            plan=plan,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="Plan returned for more work: the practitioner has been told",
    )


@require_http_methods(["GET", "POST"])
def plan_review(request, young_person_pk: int, pk: int):
    return _plan_step(
        request,
        young_person_pk,
        pk,
        form_class=ReviewForm,
        template="cases/plans/review_form.html",
        act=lambda plan, data: plan_services.plan_review(actor=request.user, plan=plan, **data),
        done="Review recorded",
    )


@require_http_methods(["GET", "POST"])
def plan_end(request, young_person_pk: int, pk: int):
    return _plan_step(
        request,
        young_person_pk,
        pk,
        form_class=EndPlanForm,
        template="cases/plans/end_form.html",
        act=lambda plan, data: plan_services.plan_end(actor=request.user, plan=plan, **data),
        done="Plan ended",
    )


# --- Relocations -----------------------------------------------------------------------------


@require_GET
def relocation_list(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    return render_record_page(
        request,
        "cases/plans/relocation_list.html",
        {
            "young_person": young_person,
            "relocations": record_selectors.relocations_for_young_person(young_person=young_person),
            "can_change": permissions.user_has_perm(request.user, permissions.CHANGE, young_person),
        },
    )


def _suggestion_hint(suggestion: RelocationSuggestion) -> str:
    plan = suggestion.plan_in_force
    if plan is None:
        return (
            'No plan is in force, so we suggest "No plan in force". If one of the plans above '
            "covers this move, choose it and answer for that plan."
        )
    named = f"We have chosen the plan in force ({plan.get_kind_display()} plan from "
    named += f"{long_date(plan.start_date)})."
    if suggestion.open_factor_count:
        count = suggestion.open_factor_count
        noun = "contextual factor" if count == 1 else "contextual factors"
        return (
            f"{named} It leaves {count} {noun} open, so check whether it addresses the factors "
            'behind this move before answering "Yes".'
        )
    if suggestion.factor_count == 0:
        return (
            f'{named} It has no contextual factors to answer, so we suggest "Yes": check that '
            "it addresses what led to the move."
        )
    return (
        f'{named} It answers every contextual factor of its assessment, so we suggest "Yes": '
        "check that those are the factors behind this move."
    )


@require_http_methods(["GET", "POST"])
def relocation_new(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    suggestion = relocation_suggestion(young_person=young_person)
    initial = {
        "plan": str(suggestion.plan_in_force.pk) if suggestion.plan_in_force else "",
        "plan_addresses_factors": suggestion.answer,
    }
    form = RelocationForm(
        posted(request),
        initial=initial,
        plans=suggestion.plans,
        suggestion_hint=_suggestion_hint(suggestion),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relocation_services.relocation_record(
                actor=request.user,
                young_person=young_person,
                moved_on=data["moved_on"],
                kind=data["kind"],
                destination=data["destination"],
                reason=data["reason"],
                because_of_extra_familial_harm=data["because_of_extra_familial_harm"],
                plan=form.chosen_plan(),
                plan_addresses_factors=data["plan_addresses_factors"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Relocation recorded")
            return redirect("cases:relocation_list", young_person_pk=young_person.pk)
    return render_record_page(
        request, "cases/plans/relocation_form.html", {"young_person": young_person, "form": form}
    )
