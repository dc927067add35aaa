"""Management oversight on a young person's record: a team manager of the holding team records
what they decided on reviewing the case, why, and when they will look again.

Notes are never edited or deleted (a later note supersedes an earlier one), so the file shows
what the manager knew and decided when. Ofsted looks for them on every child's file.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.versioning import locked

from .. import permissions
from ..models import OversightNote, YoungPerson

REFUSED_MESSAGE = (
    "Only a team manager of the team holding this case can record management oversight"
)
DATE_REQUIRED = "Enter the date of the oversight"
DATE_IN_FUTURE = "The date of the oversight must be today or in the past"
DECISION_REQUIRED = "Enter what you decided"
REASONS_REQUIRED = "Enter your reasons for the decision"


def next_review_too_early(recorded_on: date) -> str:
    return (
        "The date the next oversight is due must be after the date of this oversight "
        f"({long_date(recorded_on)})"
    )


def oversight_note_problems(
    *, recorded_on: date | None, decision: str, reasons: str, next_review_on: date | None
) -> list[ApplicationError]:
    """Every rule the note breaks, each against its field, so that a form shows them all at
    once and the service refuses with the first: one statement of the rules for both."""
    problems = []
    if recorded_on is None:
        problems.append(ApplicationError(DATE_REQUIRED, field="recorded_on"))
    elif recorded_on > timezone.localdate():
        problems.append(ApplicationError(DATE_IN_FUTURE, field="recorded_on"))
    if not (decision or "").strip():
        problems.append(ApplicationError(DECISION_REQUIRED, field="decision"))
    if not (reasons or "").strip():
        problems.append(ApplicationError(REASONS_REQUIRED, field="reasons"))
    if recorded_on is not None and next_review_on is not None and next_review_on <= recorded_on:
        problems.append(
            ApplicationError(next_review_too_early(recorded_on), field="next_review_on")
        )
    return problems


@transaction.atomic
def oversight_note_record(
    *,
    actor: User,
    young_person: YoungPerson,
    recorded_on: date,
    decision: str,
    reasons: str,
    next_review_on: date | None = None,
) -> OversightNote:
    """Record management oversight on the young person's record. The actor must be a team
    manager of the holding team (``permissions.can_record_oversight``: ForbiddenError if not);
    the caller has checked they may view the record. The date is today or earlier; the next
    oversight, if given, is due after it."""
    young_person = locked(young_person)
    if not permissions.can_record_oversight(actor, young_person):
        raise ForbiddenError(REFUSED_MESSAGE)
    problems = oversight_note_problems(
        recorded_on=recorded_on,
        decision=decision,
        reasons=reasons,
        next_review_on=next_review_on,
    )
    if problems:
        raise problems[0]
    note = OversightNote(
        young_person=young_person,
        recorded_on=recorded_on,
        decision=decision.strip(),
        reasons=reasons.strip(),
        next_review_on=next_review_on,
        recorded_by=actor,
    )
    note._history_user = actor
    note.full_clean()
    note.save()
    event_record(
        actor=actor,
        kind=EventKind.OVERSIGHT_NOTE_RECORDED,
        target=note,
        young_person=young_person,
        detail={
            "recorded_on": recorded_on.isoformat(),
            "next_review_on": next_review_on.isoformat() if next_review_on else None,
        },
    )
    return note
