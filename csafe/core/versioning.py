"""Optimistic concurrency for records an editor loads, changes and saves: each such record has a
``version`` the form carries back, so an editor who loaded an older version is told someone else
saved in between rather than overwriting them. Shared by cases and contexts alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ApplicationError

if TYPE_CHECKING:
    from csafe.accounts.models import User


def require_version(obj, expected: int | None, message: str) -> None:
    """Refuse (code "conflict") when the editor loaded a version of ``obj`` other than the one
    now saved: someone else saved in between. ``expected`` None skips the check."""
    if expected is not None and expected != obj.version:
        raise ApplicationError(message, code="conflict")


def bump_version(obj, actor: User, *fields: str) -> None:
    """Raise ``obj``'s version and save it with ``fields`` (and ``updated_at``): for a change
    to ``obj`` itself, or one made in a row of its own (a factor, an action, a map) that changes
    what ``obj`` says, so that an editor who loaded ``obj`` before it is told, not overwritten."""
    obj.version += 1
    obj._history_user = actor
    obj.save(update_fields=[*fields, "version", "updated_at"])
