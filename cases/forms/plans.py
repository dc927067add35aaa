"""Forms for plans and relocations. They parse and validate the shape of the input; the rules
(dates in order, factors open, one plan of each kind) are the services'."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms

from csafe.core.dates import short_date
from csafe.core.forms import DATE_HINT, GovUKDateField, GovUKForm, text_area
from csafe.core.vocabulary import ContextKind, context_kind_choices

from ..models import Plan
from ..reference import (
    PartnerAgency,
    PlanAddressesFactors,
    PlanKind,
    PlanStatus,
    RelocationKind,
)
from ..selectors.plans import FactorStatus
from ..services.plans import OWNER_TOO_LONG
from ..services.relocations import DESTINATION_TOO_LONG
from .assessments import version_field


def _text(label: str, required_message: str | None = None, rows: int = 4, **kwargs):
    return text_area(label, required_message, rows=rows, max_length=4000, **kwargs)


class PlanForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Kind of plan",
        choices=PlanKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of plan"},
    )
    start_date = GovUKDateField(
        label="Start date", help_text=DATE_HINT, error_messages={"required": "Enter the start date"}
    )
    review_date = GovUKDateField(
        label="Next review date",
        help_text="The same as or after the start date",
        error_messages={"required": "Enter the next review date"},
    )
    summary = _text("What the plan is for (optional)")


class PlanEditForm(GovUKForm):
    start_date = GovUKDateField(
        label="Start date", help_text=DATE_HINT, error_messages={"required": "Enter the start date"}
    )
    review_date = GovUKDateField(
        label="Next review date",
        help_text="The same as or after the start date",
        error_messages={"required": "Enter the next review date"},
    )
    summary = _text("What the plan is for (optional)")
    version = version_field("plan")


ORDINARY = "ordinary"
CONTEXTUAL = "contextual"
_STATE_LABELS = {
    "open": "open",
    "not_addressed": "marked as not addressed",
    "answered": "already planned for",
}


class ActionForm(GovUKForm):
    action_type = forms.ChoiceField(
        label="What kind of action is it?",
        widget=forms.RadioSelect,
        choices=[
            (ORDINARY, "An action for the young person or their family"),
            (CONTEXTUAL, "A contextual action"),
        ],
        help_text=(
            "A contextual action targets a context in the young person's life (a peer group, a "
            "school, a place or an online space) and relies on a partner agency."
        ),
        error_messages={"required": "Choose what kind of action it is"},
    )
    description = _text("Action", "Describe the action", rows=3)
    owner = forms.CharField(
        label="Who is responsible",
        max_length=200,
        help_text="A person or a role, for example Youth worker, Westbrook Youth Hub",
        error_messages={
            "required": "Enter who is responsible for the action",
            "max_length": OWNER_TOO_LONG,
        },
    )
    due_date = GovUKDateField(label="Due date (optional)", required=False, help_text=DATE_HINT)
    target_context_kind = forms.ChoiceField(
        label="Context the action targets",
        required=False,
        choices=[("", "Choose a context"), *ContextKind.choices],
        help_text="Contextual actions only",
    )
    partner_agency = forms.ChoiceField(
        label="Partner agency",
        required=False,
        choices=[("", "Choose a partner agency"), *PartnerAgency.choices],
        help_text="Contextual actions only",
    )
    factor = forms.ChoiceField(
        label="Contextual factor this action answers (optional)",
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "Contextual actions only. Answering a factor marked as not addressed takes that "
            "mark away."
        ),
    )

    def __init__(self, *args, factors: Sequence[FactorStatus], **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = {str(status.factor.pk): status.factor for status in factors}
        # Context kinds with the peer group in the administrator's word, read once per form.
        kinds = dict(context_kind_choices())
        self.fields["target_context_kind"].choices = [("", "Choose a context"), *kinds.items()]
        # Open factors first: they are the ones the plan still has to answer.
        ordered = sorted(factors, key=lambda status: not status.is_open)
        self.fields["factor"].choices = [("", "None of them")] + [
            (
                str(status.factor.pk),
                f"{kinds.get(status.factor.domain, status.factor.domain)}: "
                f"{status.factor.description} "
                f"({_STATE_LABELS[status.state]})",
            )
            for status in ordered
        ]
        if not factors:
            del self.fields["factor"]

    def clean(self):
        data = super().clean()
        if data.get("action_type") == CONTEXTUAL:
            if not data.get("target_context_kind"):
                self.add_error("target_context_kind", "Choose the context the action targets")
            if not data.get("partner_agency"):
                self.add_error("partner_agency", "Choose the partner agency")
        elif data.get("action_type") == ORDINARY and data.get("factor"):
            self.add_error("factor", "Only a contextual action can answer a contextual factor")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        contextual = data["action_type"] == CONTEXTUAL
        return {
            "description": data["description"],
            "owner": data["owner"],
            "due_date": data["due_date"],
            "is_contextual": contextual,
            "target_context_kind": data["target_context_kind"] if contextual else "",
            "partner_agency": data["partner_agency"] if contextual else "",
            "factor": self.factors.get(data.get("factor") or ""),
        }


class FactorGapForm(GovUKForm):
    reason = _text(
        "Why does the plan not address this factor?",
        "Explain why the plan does not address this factor",
        help_text="Reviewers will see this beside the factor",
    )


class FinaliseForm(GovUKForm):
    """Nothing to fill in but, for a child protection plan, the date of the conference that
    made it; the button confirms."""

    conference_date = GovUKDateField(
        label="Date of the child protection conference",
        help_text=(
            "The conference that made the plan: the same as or before the plan's start date. "
            + DATE_HINT
        ),
        error_messages={"required": "Enter the date of the child protection conference"},
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        if plan.kind != PlanKind.CHILD_PROTECTION:
            del self.fields["conference_date"]
        elif plan.conference_date and not self.is_bound:
            self.initial.setdefault("conference_date", plan.conference_date)

    def service_arguments(self) -> dict:
        return {"conference_date": self.cleaned_data.get("conference_date")}


class SubmitForm(FinaliseForm):
    """Submitting for sign-off: as finalising, the conference date for a child protection
    plan."""


class SignOffForm(GovUKForm):
    reason = _text(
        "Your reasoning",
        "Enter your reasoning for signing off the plan",
        help_text=(
            "Why the plan answers what the assessment found and will keep the young person safe. "
            "The practitioner sees this on the plan, and it is part of the management oversight "
            "on the record"
        ),
    )
    version = version_field("plan")


class ReturnPlanForm(GovUKForm):
    reason = _text(
        "What more is needed?",
        "Say what more is needed",
        help_text="The practitioner sees this on the plan until they submit it again",
    )
    version = version_field("plan")


class ReviewForm(GovUKForm):
    reviewed_on = GovUKDateField(
        label="Date of the review",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date of the review"},
    )
    next_review_date = GovUKDateField(
        label="Next review date", error_messages={"required": "Enter the next review date"}
    )
    summary = _text("What the review found", "Summarise what the review found")


class EndPlanForm(GovUKForm):
    ended_on = GovUKDateField(
        label="End date",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the plan ended"},
    )
    reason = _text("Why is the plan ending?", "Explain why the plan is ending", rows=3)


class RelocationForm(GovUKForm):
    moved_on = GovUKDateField(
        label="Date of the move",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date of the move"},
    )
    kind = forms.ChoiceField(
        label="Kind of move",
        widget=forms.RadioSelect,
        choices=RelocationKind.choices,
        error_messages={"required": "Choose the kind of move"},
    )
    destination = forms.CharField(
        label="Where to (optional)",
        max_length=200,
        required=False,
        help_text="An area or a council, not an address",
        error_messages={"max_length": DESTINATION_TOO_LONG},
    )
    reason = _text("Reason for the move", "Enter the reason for the move", rows=3)
    because_of_extra_familial_harm = forms.TypedChoiceField(
        label="Is the move because of extra-familial harm?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Say whether the move is because of extra-familial harm"},
    )
    plan = forms.ChoiceField(label="Plan", required=False, widget=forms.RadioSelect)
    plan_addresses_factors = forms.ChoiceField(
        label="Does the plan address the contextual factors that led to the move?",
        widget=forms.RadioSelect,
        choices=PlanAddressesFactors.choices,
        error_messages={
            "required": "Say whether the plan addresses the contextual factors that led to the move"
        },
    )

    def __init__(self, *args, plans: Sequence[Plan], suggestion_hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.plans = {str(plan.pk): plan for plan in plans}
        self.fields["plan"].choices = [("", "No plan")] + [
            (str(plan.pk), _plan_label(plan)) for plan in plans
        ]
        if suggestion_hint:
            # Set after GovUKForm has bound the fields, so bind this one again to show it.
            field = self.fields["plan_addresses_factors"]
            field.help_text = suggestion_hint
            self._bound_fields_cache.pop("plan_addresses_factors", None)
            self._describe(field, f"{self['plan_addresses_factors'].auto_id}-hint")

    def chosen_plan(self) -> Plan | None:
        return self.plans.get(self.cleaned_data.get("plan") or "")


def _plan_label(plan: Plan) -> str:
    status = {
        PlanStatus.DRAFT: "draft",
        PlanStatus.SUBMITTED: "awaiting sign-off",
        PlanStatus.ACTIVE: "in force",
        PlanStatus.ENDED: f"ended {short_date(plan.ended_on)}" if plan.ended_on else "ended",
    }[plan.status]
    return f"{plan.get_kind_display()} plan from {short_date(plan.start_date)} ({status})"
