"""Case notes on a young person's record. Notes are never edited or deleted: a correction is a
further note, so the record shows what was known when."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import check_not_future
from csafe.core.errors import ApplicationError

from ..models import CaseNote, YoungPerson
from .young_people import lock_for_change

SUBJECT_MAX_LENGTH = CaseNote._meta.get_field("subject").max_length


@transaction.atomic
def case_note_add(
    *,
    actor: User,
    young_person: YoungPerson,
    noted_on: date,
    subject: str,
    body: str,
) -> CaseNote:
    """Add a note to the record of a young person ``actor`` may change. ``noted_on`` is the date
    of the contact or event the note is about: today or earlier. Subject and body are required."""
    young_person = lock_for_change(actor, young_person)
    check_not_future(noted_on, "noted_on", "The date of the contact or event")
    subject = subject.strip()
    if not subject:
        raise ApplicationError("Enter a subject for the note", field="subject")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ApplicationError(
            f"The subject must be {SUBJECT_MAX_LENGTH} characters or fewer", field="subject"
        )
    body = body.strip()
    if not body:
        raise ApplicationError("Enter the note", field="body")
    note = CaseNote(
        young_person=young_person,
        noted_on=noted_on,
        subject=subject,
        body=body,
        author=actor,
    )
    note._history_user = actor
    note.full_clean()
    note.save()
    event_record(
        actor=actor,
        kind=EventKind.CASE_NOTE_ADDED,
        target=note,
        young_person=young_person,
        detail={"noted_on": noted_on.isoformat()},
    )
    return note
