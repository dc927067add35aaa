"""The progress rule shared by a young person's plan actions and a context's plan actions."""

from __future__ import annotations

from datetime import date

from csafe.core.dates import check_not_future
from csafe.core.errors import ApplicationError

from ..reference import ActionProgress


def progress_apply(action, *, progress: str, note: str, completed_on: date | None) -> str | None:
    """Set ``action``'s progress, note and completion date, unsaved. A done action needs the date
    it was done (today or before); any other progress clears that date. Returns the previous
    progress, or None when nothing would change (so the caller saves, records and tells
    nothing)."""
    if progress not in ActionProgress.values:
        raise ApplicationError("Choose the progress of the action", field="progress")
    if progress == ActionProgress.DONE:
        if completed_on is None:
            raise ApplicationError("Enter the date the action was done", field="completed_on")
        check_not_future(completed_on, "completed_on", "The date done")
    else:
        completed_on = None
    note = note.strip()
    if (action.progress, action.progress_note, action.completed_on) == (
        progress,
        note,
        completed_on,
    ):
        return None
    previous = action.progress
    action.progress = progress
    action.progress_note = note
    action.completed_on = completed_on
    return previous
