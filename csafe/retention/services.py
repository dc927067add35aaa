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

from . import permissions, redaction, selectors
from .models import Decision, RecordKind, RetentionBasis, RetentionDecision, RetentionRule, RuleKind

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

    Keep: the record leaves the list until ``review_on`` (after today). Erase: every text field
    of the record and of its history is redacted (see redaction.py) and its stored files are
    removed after commit; no row is deleted, so counts on the dashboards stay as they were.
    Either way one audit event is written, holding ids and dates only."""
    if not permissions.can_review_retention(actor):
        raise ApplicationError(REVIEW_REFUSED, code="forbidden")
    if record_kind not in RecordKind.values:
        raise ApplicationError(NOT_DUE, code="not_found")
    today = timezone.localdate()
    record = _lock_record(record_kind, record_id)
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
