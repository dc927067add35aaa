"""Every write to a young person's harm flags: raising, archiving, reinstating and reviewing
them. The taxonomy the flags classify is harms' own (harms/services.py)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError, ForbiddenError
from harms.models import ArchiveReason, FlagStatus, HarmFlag, HarmType, IdentifiedAt, Nature

from .. import permissions
from ..models import YoungPerson


def _require_change(actor: User, young_person: YoungPerson) -> None:
    if not permissions.can_change_flags(actor, young_person):
        raise ForbiddenError("You cannot change this young person's record")


def flag_nature_for(harm_type: HarmType, nature: str | None) -> str:
    """The nature to record on a flag: the type's own, or the one chosen for an "either" type."""
    if harm_type.nature != Nature.EITHER:
        if nature and nature != harm_type.nature:
            raise ApplicationError(
                f"{harm_type} is always {harm_type.get_nature_display().lower()}", field="nature"
            )
        return harm_type.nature
    if nature not in {Nature.EXTRA_FAMILIAL, Nature.INTRA_FAMILIAL}:
        raise ApplicationError(
            f"Say whether {harm_type} is extra-familial or intra-familial here", field="nature"
        )
    return nature


@transaction.atomic
def harm_flag_raise(
    *,
    actor: User,
    young_person: YoungPerson,
    harm_type: HarmType,
    identified_at: str,
    identified_on: date,
    nature: str | None = None,
    review_date: date | None = None,
    note: str = "",
    referral=None,
) -> HarmFlag:
    """Raise a flag. Any number may be active at once; one per type, held by the database."""
    _require_change(actor, young_person)
    if not harm_type.is_active:
        raise ApplicationError(
            f"{harm_type} has been retired and cannot be used for new flags", field="harm_type"
        )
    if identified_at not in IdentifiedAt.values:
        raise ApplicationError("Choose where the harm was identified", field="identified_at")
    if identified_on > timezone.localdate():
        raise ApplicationError(
            "The date identified must be today or in the past", field="identified_on"
        )
    if review_date is not None and review_date < identified_on:
        raise ApplicationError(
            "The review date must be on or after the date identified", field="review_date"
        )
    flag = HarmFlag(
        young_person=young_person,
        harm_type=harm_type,
        nature=flag_nature_for(harm_type, nature),
        identified_at=identified_at,
        identified_on=identified_on,
        raised_by=actor,
        review_date=review_date,
        note=note.strip(),
        referral=referral,
    )
    flag._history_user = actor
    flag.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:
        raise ApplicationError(
            f"{harm_type} is already flagged for this young person", field="harm_type"
        ) from exc
    event_record(
        actor=actor,
        kind=EventKind.FLAG_RAISED,
        target=flag,
        young_person=young_person,
        detail={"harm_type": harm_type.pk, "nature": flag.nature},
    )
    return flag


def _lock_flag(flag: HarmFlag) -> HarmFlag:
    return HarmFlag.objects.select_for_update().select_related("harm_type").get(pk=flag.pk)


@transaction.atomic
def harm_flag_archive(*, actor: User, flag: HarmFlag, reason: str, rationale: str) -> HarmFlag:
    """Archive a flag: it stops labelling the child but stays in the record's history."""
    flag = _lock_flag(flag)
    _require_change(actor, flag.young_person)
    if flag.status != FlagStatus.ACTIVE:
        raise ApplicationError("This flag is already archived")
    if reason not in ArchiveReason.values:
        raise ApplicationError("Choose why the flag is being archived", field="reason")
    if not rationale.strip():
        raise ApplicationError("Explain why the flag is being archived", field="rationale")
    flag.status = FlagStatus.ARCHIVED
    flag.archived_at = timezone.now()
    flag.archived_by = actor
    flag.archive_reason = reason
    flag.archive_rationale = rationale.strip()
    flag._history_user = actor
    flag._change_reason = ArchiveReason(reason).label
    flag.save()
    event_record(
        actor=actor,
        kind=EventKind.FLAG_ARCHIVED,
        target=flag,
        young_person=flag.young_person,
        detail={"harm_type": flag.harm_type_id, "reason": reason, "rationale": rationale.strip()},
    )
    return flag


@transaction.atomic
def harm_flag_reinstate(*, actor: User, flag: HarmFlag, reason: str) -> HarmFlag:
    """Bring an archived flag back. Its archive details stay in the flag's history."""
    flag = _lock_flag(flag)
    _require_change(actor, flag.young_person)
    if flag.status == FlagStatus.ACTIVE:
        raise ApplicationError("This flag is already current")
    if not flag.harm_type.is_active:
        raise ApplicationError(
            f"{flag.harm_type} has been retired, so this flag cannot be reinstated. Raise a flag "
            "of a type still in use instead."
        )
    if not reason.strip():
        raise ApplicationError("Explain why the flag is being reinstated", field="reason")
    flag.status = FlagStatus.ACTIVE
    flag.reinstated_at = timezone.now()
    flag.reinstated_by = actor
    flag.reinstate_reason = reason.strip()
    flag.archived_at = None
    flag.archived_by = None
    flag.archive_reason = ""
    flag.archive_rationale = ""
    flag._history_user = actor
    flag._change_reason = "Reinstated"
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError as exc:
        raise ApplicationError(
            f"{flag.harm_type} is already flagged as current for this young person"
        ) from exc
    event_record(
        actor=actor,
        kind=EventKind.FLAG_REINSTATED,
        target=flag,
        young_person=flag.young_person,
        detail={"harm_type": flag.harm_type_id, "reason": reason.strip()},
    )
    return flag


@transaction.atomic
def harm_flag_review(
    *, actor: User, flag: HarmFlag, next_review_date: date | None, note: str
) -> HarmFlag:
    """Record that a current flag has been reviewed and still applies, and when to look again.
    (A flag that no longer applies is archived instead.) A new review date starts a new round of
    reminders; clearing it stops them."""
    flag = _lock_flag(flag)
    _require_change(actor, flag.young_person)
    if flag.status != FlagStatus.ACTIVE:
        raise ApplicationError("Only a current flag can be reviewed; reinstate it first")
    today = timezone.localdate()
    if next_review_date is not None and next_review_date <= today:
        raise ApplicationError(
            "The next review date must be in the future", field="next_review_date"
        )
    if not note.strip():
        raise ApplicationError("Say what the review found", field="note")
    previous = flag.review_date
    flag.review_date = next_review_date
    flag._history_user = actor
    flag._change_reason = "Reviewed"
    flag.save(update_fields=["review_date"])
    event_record(
        actor=actor,
        kind=EventKind.FLAG_REVIEW_DATE_CHANGED,
        target=flag,
        young_person=flag.young_person,
        detail={
            "harm_type": flag.harm_type_id,
            "previous": previous.isoformat() if previous else None,
            "next": next_review_date.isoformat() if next_review_date else None,
            "reason": note.strip(),
        },
    )
    return flag
