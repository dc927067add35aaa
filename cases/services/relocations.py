"""Relocations: moves of a young person, counted on the dashboards so that a council can say how
often it moves young people because of extra-familial harm, and whether the plan behind each
move addressed the contextual factors that led to it."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import check_not_future
from csafe.core.errors import ApplicationError

from ..models import Plan, Relocation, YoungPerson
from ..reference import PlanAddressesFactors, RelocationKind
from .young_people import lock_for_change

PLAN_NOT_THEIRS = "Choose one of this young person's plans"
DESTINATION_MAX_LENGTH = Relocation._meta.get_field("destination").max_length
DESTINATION_TOO_LONG = (
    f"Where the young person moved to must be {DESTINATION_MAX_LENGTH} characters or fewer"
)

# A full postcode anywhere in the text (outward code, optional space, inward code). The
# destination is an area or a council, never an address: a full postcode points at a street.
_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)


@transaction.atomic
def relocation_record(
    *,
    actor: User,
    young_person: YoungPerson,
    moved_on: date,
    kind: str,
    reason: str,
    because_of_extra_familial_harm: bool,
    plan_addresses_factors: str,
    destination: str = "",
    plan: Plan | None = None,
) -> Relocation:
    """Record a move. ``plan`` is one of the young person's plans (usually the one in force) and
    ``plan_addresses_factors`` says whether it addresses the contextual factors behind the move:
    "no_plan" exactly when there is no plan."""
    young_person = lock_for_change(actor, young_person)
    check_not_future(moved_on, "moved_on", "The date of the move")
    if kind not in RelocationKind.values:
        raise ApplicationError("Choose the kind of move", field="kind")
    destination = destination.strip()
    if len(destination) > DESTINATION_MAX_LENGTH:
        raise ApplicationError(DESTINATION_TOO_LONG, field="destination")
    if _FULL_POSTCODE.search(destination):
        raise ApplicationError(
            "Enter an area or a council, not an address or a full postcode",
            field="destination",
        )
    if not reason.strip():
        raise ApplicationError("Enter the reason for the move", field="reason")
    if plan is not None and plan.young_person_id != young_person.pk:
        raise ApplicationError(PLAN_NOT_THEIRS, field="plan")
    if plan_addresses_factors not in PlanAddressesFactors.values:
        raise ApplicationError(
            "Say whether the plan addresses the contextual factors that led to the move",
            field="plan_addresses_factors",
        )
    if plan is None and plan_addresses_factors != PlanAddressesFactors.NO_PLAN:
        raise ApplicationError(
            'Choose the plan, or answer "No plan in force"', field="plan_addresses_factors"
        )
    if plan is not None and plan_addresses_factors == PlanAddressesFactors.NO_PLAN:
        raise ApplicationError(
            "You chose a plan, so say whether it addresses the contextual factors that led "
            "to the move",
            field="plan_addresses_factors",
        )
    relocation = Relocation(
        young_person=young_person,
        moved_on=moved_on,
        kind=kind,
        destination=destination,
        reason=reason.strip(),
        because_of_extra_familial_harm=because_of_extra_familial_harm,
        plan=plan,
        plan_addresses_factors=plan_addresses_factors,
        recorded_by=actor,
    )
    relocation._history_user = actor
    relocation.full_clean()
    relocation.save()
    event_record(
        actor=actor,
        kind=EventKind.RELOCATION_RECORDED,
        target=relocation,
        young_person=young_person,
        detail={
            "kind": kind,
            "because_of_extra_familial_harm": because_of_extra_familial_harm,
            "plan": plan.pk if plan else None,
            "plan_addresses_factors": plan_addresses_factors,
        },
    )
    return relocation
