"""Every write of retention review: changing a rule, and a manager's decision on a record.

Nothing here runs on a schedule: a record is erased only by ``retention_decide``, called for one
record by a manager who chose to erase it.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import YoungPerson
from contexts.models import Context
from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError
from harms.models import HarmType

from . import permissions, redaction, selectors
from .models import (
    Decision,
    LegalHold,
    LegalHoldRule,
    RecordKind,
    RetentionBasis,
    RetentionDecision,
    RetentionRule,
    RuleKind,
)

CONFIGURE_REFUSED = "Only administrators can change retention rules"
REVIEW_REFUSED = "Only team managers and service managers review records for retention"
NOT_DUE = "This record is not due for retention review"
CHOOSE_BASIS = "Choose how the retention period is counted"
CONTEXT_AFTER_CLOSURE = "A context record can only be kept for a number of years after it closed"
YEARS_RANGE = "Enter a number of years from 1 to 120"
CHOOSE_DECISION = "Choose whether to erase or keep the record"
REASON_REQUIRED = "Enter the reason for your decision"
REVIEW_DATE_REQUIRED = "Enter the date to review the record again"
REVIEW_DATE_FUTURE = "The date to review the record again must be in the future"
ALREADY_DECIDED = "Another manager has just decided on this record"
HELD_NOT_ERASED = "This record is under a legal hold and cannot be erased"
HELD_NOT_DUE = "This record is under a legal hold, so it is kept and not due for review"
HOLD_REFUSED = "Only the record's team managers and service managers place and lift legal holds"
HOLD_REASON_REQUIRED = "Enter the reason for the legal hold"
HOLD_REVIEW_REQUIRED = "Enter the date to review the legal hold"
HOLD_REVIEW_FUTURE = "The date to review the legal hold must be in the future"
ALREADY_HELD = "This record is already under a legal hold"
HOLD_ERASED = "This record has been erased, so it cannot be held"
NOT_HELD = "This record has no legal hold to lift"
LIFT_REASON_REQUIRED = "Enter the reason for lifting the legal hold"
HOLD_RULE_REFUSED = "Only administrators can change the legal hold rule"
CITATION_REQUIRED = "Enter the short citation shown with every record the rule holds"


@transaction.atomic
def retention_rule_update(
    *,
    actor: User,
    rule: RetentionRule,
    basis: str,
    years: int | None,
    is_active: bool,
    policy_note: str = "",
) -> RetentionRule:
    """Change one rule: administrators only. Its earlier versions stay in its history, and the
    change is an audit event naming the old and new period (no free text)."""
    if not permissions.can_configure_retention(actor):
        raise ApplicationError(CONFIGURE_REFUSED, code="forbidden")
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    if basis not in RetentionBasis.values:
        raise ApplicationError(CHOOSE_BASIS, field="basis")
    if rule.kind == RuleKind.CONTEXT and basis != RetentionBasis.AFTER_CLOSURE:
        raise ApplicationError(CONTEXT_AFTER_CLOSURE, field="basis")
    if years is None or not 1 <= years <= 120:
        raise ApplicationError(YEARS_RANGE, field="years")
    before = {"basis": rule.basis, "years": rule.years, "is_active": rule.is_active}
    rule.basis = basis
    rule.years = years
    rule.is_active = is_active
    rule.policy_note = policy_note.strip()
    rule.updated_by = actor
    rule._history_user = actor
    rule.full_clean()
    rule.save()
    event_record(
        actor=actor,
        kind=EventKind.RETENTION_RULE_CHANGED,
        target=rule,
        detail={
            "rule": rule.kind,
            "before": before,
            "after": {"basis": basis, "years": years, "is_active": is_active},
        },
    )
    return rule


def _lock_record(record_kind: str, pk: int):
    # Two managers deciding on the same record queue here; the second then finds it settled.
    model = YoungPerson if record_kind == RecordKind.YOUNG_PERSON else Context
    return model.objects.select_for_update().filter(pk=pk).first()


@transaction.atomic
def retention_decide(
    *,
    actor: User,
    record_kind: str,
    record_id: int,
    decision: str,
    reason: str,
    review_on: date | None = None,
) -> RetentionDecision:
    """Record a manager's decision on one record that is due for review today and within their
    scope (selectors.due_record_for_user).

    A young person's record under a legal hold (selectors.held_q) is refused, whatever the
    decision. Keep: the record leaves the list until ``review_on`` (after today). Erase: every
    text field of the record and of its history is redacted (see redaction.py) and its stored
    files are removed after commit; no row is deleted, so counts on the dashboards stay as they
    were. Either way one audit event is written, holding ids and dates only."""
    if not permissions.can_review_retention(actor):
        raise ApplicationError(REVIEW_REFUSED, code="forbidden")
    if record_kind not in RecordKind.values:
        raise ApplicationError(NOT_DUE, code="not_found")
    today = timezone.localdate()
    record = _lock_record(record_kind, record_id)
    # Asked with the row locked: legal_hold_place locks it too, so a hold placed at this moment
    # either committed before the lock was granted (and is seen here) or waits for this decision.
    # A held record is not due either; this says why, and does not rest on the list's filter.
    # Only within the manager's scope, so that nobody learns of a hold on another team's record.
    scope = permissions.team_scope(actor)
    if (
        record is not None
        and record_kind == RecordKind.YOUNG_PERSON
        and scope in (None, record.team_id)
        and selectors.young_person_is_held(pk=record_id)
    ):
        message = HELD_NOT_ERASED if decision == Decision.ERASE else HELD_NOT_DUE
        raise ApplicationError(message, code="conflict")
    due = (
        selectors.due_record_for_user(
            user=actor, record_kind=record_kind, pk=record_id, as_of=today
        )
        if record is not None
        else None
    )
    if due is None:
        raise ApplicationError(NOT_DUE, code="not_found")
    if decision not in Decision.values:
        raise ApplicationError(CHOOSE_DECISION, field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(REASON_REQUIRED, field="reason")
    if decision == Decision.KEEP:
        if review_on is None:
            raise ApplicationError(REVIEW_DATE_REQUIRED, field="review_on")
        if review_on <= today:
            raise ApplicationError(REVIEW_DATE_FUTURE, field="review_on")
    else:
        review_on = None
    row = RetentionDecision(
        record_kind=record_kind,
        record_id=record_id,
        decision=decision,
        reason=reason,
        review_on=review_on,
        rule=due.rule,
        decided_by=actor,
    )
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # one_erasure_per_record: another manager erased it first
        raise ApplicationError(ALREADY_DECIDED, code="conflict") from exc
    young_person = record if record_kind == RecordKind.YOUNG_PERSON else None
    detail: dict = {"decision": row.pk, "rule": due.rule.kind}
    if decision == Decision.ERASE:
        if young_person is not None:
            detail["documents_removed"] = redaction.redact_young_person(record_id)
        else:
            redaction.redact_context(record_id)
        kind = EventKind.RETENTION_RECORD_ERASED
    else:
        detail["review_on"] = review_on.isoformat()
        kind = EventKind.RETENTION_RECORD_KEPT
    event_record(actor=actor, kind=kind, target=record, young_person=young_person, detail=detail)
    return row


def _is_erased(young_person: YoungPerson) -> bool:
    return RetentionDecision.objects.filter(
        record_kind=RecordKind.YOUNG_PERSON, record_id=young_person.pk, decision=Decision.ERASE
    ).exists()


@transaction.atomic
def legal_hold_place(
    *, actor: User, young_person: YoungPerson, reason: str, review_on: date | None
) -> LegalHold:
    """Place a legal hold on a young person's record (permissions.can_hold): from now on it is
    never listed for retention review and cannot be erased, until a manager lifts the hold. The
    record's row is locked first, as retention_decide locks it, so a hold and an erasure at the
    same moment are decided one after the other: the hold on an erased record is refused, and
    the erasure of a held record. One audit event, without the reason (free text)."""
    young_person = YoungPerson.objects.select_for_update().get(pk=young_person.pk)
    if not permissions.can_hold(actor, young_person):
        raise ApplicationError(HOLD_REFUSED, code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(HOLD_REASON_REQUIRED, field="reason")
    if review_on is None:
        raise ApplicationError(HOLD_REVIEW_REQUIRED, field="review_on")
    if review_on <= timezone.localdate():
        raise ApplicationError(HOLD_REVIEW_FUTURE, field="review_on")
    if _is_erased(young_person):
        raise ApplicationError(HOLD_ERASED, code="conflict")
    if LegalHold.objects.filter(young_person=young_person, lifted_at__isnull=True).exists():
        raise ApplicationError(ALREADY_HELD, code="conflict")
    hold = LegalHold(young_person=young_person, reason=reason, review_on=review_on, placed_by=actor)
    hold._history_user = actor
    hold.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            hold.save()
    except IntegrityError as exc:  # one_standing_legal_hold_per_record
        raise ApplicationError(ALREADY_HELD, code="conflict") from exc
    event_record(
        actor=actor,
        kind=EventKind.LEGAL_HOLD_PLACED,
        target=hold,
        young_person=young_person,
        detail={"hold": hold.pk, "review_on": review_on.isoformat()},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, young_person: YoungPerson, reason: str) -> LegalHold:
    """Lift the standing legal hold on a young person's record (permissions.can_hold). The hold
    stays, with who lifted it, when and why; the record is listed for review again when it is
    past its date and nothing else holds it (the rule may still). One audit event."""
    young_person = YoungPerson.objects.select_for_update().get(pk=young_person.pk)
    if not permissions.can_hold(actor, young_person):
        raise ApplicationError(HOLD_REFUSED, code="forbidden")
    hold = (
        LegalHold.objects.select_for_update()
        .filter(young_person=young_person, lifted_at__isnull=True)
        .first()
    )
    if hold is None:
        raise ApplicationError(NOT_HELD, code="not_found")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(LIFT_REASON_REQUIRED, field="lift_reason")
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = reason
    hold._history_user = actor
    hold.full_clean(validate_constraints=False)
    hold.save()
    event_record(
        actor=actor,
        kind=EventKind.LEGAL_HOLD_LIFTED,
        target=hold,
        young_person=young_person,
        detail={"hold": hold.pk, "placed_by": hold.placed_by_id},
    )
    return hold


@transaction.atomic
def legal_hold_rule_update(
    *, actor: User, harm_types: list[HarmType], citation: str, policy_note: str = ""
) -> LegalHoldRule:
    """Choose the harm types whose records the rule holds: administrators only. The change
    applies at once to every record (the rule is asked, not copied). One audit event naming the
    harm types before and after, by id."""
    if not permissions.can_configure_retention(actor):
        raise ApplicationError(HOLD_RULE_REFUSED, code="forbidden")
    rule = LegalHoldRule.objects.select_for_update().get(pk=LegalHoldRule.SINGLE_ROW)
    citation = (citation or "").strip()
    if not citation:
        raise ApplicationError(CITATION_REQUIRED, field="citation")
    before = sorted(rule.harm_types.values_list("pk", flat=True))
    after = sorted({harm_type.pk for harm_type in harm_types})
    citation_before = rule.citation
    rule.citation = citation
    rule.policy_note = (policy_note or "").strip()
    rule.updated_by = actor
    rule.full_clean()
    rule.save()
    rule.harm_types.set(after)
    event_record(
        actor=actor,
        kind=EventKind.LEGAL_HOLD_RULE_CHANGED,
        target=rule,
        detail={
            "before": before,
            "after": after,
            "added": sorted(set(after) - set(before)),
            "removed": sorted(set(before) - set(after)),
            "citation_changed": citation != citation_before,
        },
    )
    return rule
