"""The administrator's configuration of plan sign-off: which kinds of plan go into force only
when a team manager of the holding team signs them off (``PlanSignOffRule``, one row per kind;
child in need and early help plans by default).

A change applies to plans from then on: a plan already awaiting sign-off still waits for a
manager, and a plan already in force stays in force.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError, ForbiddenError

from .. import permissions
from ..models import PlanSignOffRule
from ..reference import PlanKind

NOT_AN_ADMINISTRATOR = "Only administrators can change which plans need sign-off"
UNKNOWN_KIND = "Choose kinds of plan from the list"


@transaction.atomic
def plan_sign_off_rules_update(*, actor: User, kinds_needing_sign_off: Iterable[str]) -> list[str]:
    """Mark exactly ``kinds_needing_sign_off`` as needing a team manager's sign-off (none is
    allowed: every plan is then finalised by its practitioner). Each changed rule keeps its
    history; one audit event lists what changed. Returns the kinds changed (none: nothing
    written)."""
    if not permissions.can_configure_plan_sign_off(actor):
        raise ForbiddenError(NOT_AN_ADMINISTRATOR)
    wanted = set(kinds_needing_sign_off)
    if wanted - set(PlanKind.values):
        raise ApplicationError(UNKNOWN_KIND, field="kinds")
    rules = {rule.kind: rule for rule in PlanSignOffRule.objects.select_for_update()}
    changed = []
    for kind in PlanKind.values:
        needs = kind in wanted
        rule = rules.get(kind)
        if rule is not None and rule.needs_sign_off == needs:
            continue
        # A kind without a row (only in an emptied table: the migration makes one per kind)
        # needs no sign-off; writing its row when it does not change keeps nothing to audit.
        before = rule.needs_sign_off if rule is not None else False
        rule = rule or PlanSignOffRule(kind=kind)
        rule.needs_sign_off = needs
        rule._history_user = actor
        rule.full_clean()
        rule.save()
        if before == needs:
            continue
        changed.append(kind)
        event_record(
            actor=actor,
            kind=EventKind.PLAN_SIGN_OFF_RULES_CHANGED,
            target=rule,
            detail={"kind": kind, "needs_sign_off": needs},
        )
    return changed
