"""Reads for recording relocations. Callers have fetched the young person through
``young_person_get_for_user``, which checked access. The list of relocations itself is
``records.relocations_for_young_person``."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Plan, YoungPerson
from ..reference import PlanAddressesFactors, PlanStatus
from .plans import plan_factor_status


@dataclass(frozen=True)
class RelocationSuggestion:
    """What the relocation form offers first: the plan in force and, when that plan leaves no
    contextual factor open, "yes" to "does the plan address the factors behind the move"."""

    plans: list[Plan]
    plan_in_force: Plan | None
    open_factor_count: int
    answer: str | None

    @property
    def factor_count(self) -> int:
        return len(plan_factor_status(self.plan_in_force)) if self.plan_in_force else 0


def relocation_suggestion(*, young_person: YoungPerson) -> RelocationSuggestion:
    """The young person's plans (newest first) for the form's choices, with the suggestion.
    One query for the plans, three more for the factors of the plan in force, if any."""
    plans = list(Plan.objects.filter(young_person=young_person))
    in_force = next((plan for plan in plans if plan.status == PlanStatus.ACTIVE), None)
    if in_force is None:
        return RelocationSuggestion(
            plans=plans,
            plan_in_force=None,
            open_factor_count=0,
            answer=PlanAddressesFactors.NO_PLAN,
        )
    # Kept on the plan, so that ``factor_count`` reads it without asking again.
    in_force.factor_status = plan_factor_status(in_force)
    open_count = sum(1 for status in in_force.factor_status if status.is_open)
    return RelocationSuggestion(
        plans=plans,
        plan_in_force=in_force,
        open_factor_count=open_count,
        answer=PlanAddressesFactors.YES if open_count == 0 else None,
    )
