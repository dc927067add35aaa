"""The administrator's configuration of plan sign-off, beside the harm types and context naming.
Other roles have no configuration area at all: the page is a 404 for them, as the others are."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted
from csafe.core.pages import render_page

from .. import permissions
from ..forms.configuration import PlanSignOffRulesForm
from ..selectors import plans as plan_selectors
from ..services import plan_sign_off_rules as rule_services


@require_http_methods(["GET", "POST"])
def plan_sign_off_rules(request):
    if not permissions.can_configure_plan_sign_off(request.user):
        raise Http404("No such page")
    rules = plan_selectors.plan_sign_off_rules()
    form = PlanSignOffRulesForm(
        posted(request), initial={"kinds": [kind for kind, _, needs in rules if needs]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = rule_services.plan_sign_off_rules_update(
                actor=request.user, kinds_needing_sign_off=form.cleaned_data["kinds"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                "Plan sign-off saved" if changed else "No change: plan sign-off is as it was",
            )
            return redirect("case_configuration:plan_sign_off")
    return render_page(
        request,
        "cases/configuration/plan_sign_off.html",
        {"form": form, "rules": rules},
        section="plan_sign_off",
    )
