"""Optimistic concurrency, row locks and versioned saves: the one way any app changes a record
an editor loads, changes and saves.

Each such record has a ``version`` the form carries back, so an editor who loaded an older
version is told someone else saved in between rather than overwriting them. A service locks the
row it changes (``locked``), checks the version the editor loaded (``require_version``) and saves
through ``versioned_save``, which bumps the version, credits the history row to the actor,
validates and saves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from .errors import ConflictError

if TYPE_CHECKING:
    from django.db import models

    from csafe.accounts.models import User

    Row = TypeVar("Row", bound=models.Model)


def locked(obj: Row, **scope) -> Row:
    """``obj`` read again under a row lock (``SELECT ... FOR UPDATE`` of its own table only, so
    a nullable join never widens the lock), for the rest of the transaction. ``scope`` narrows
    the read (for example ``context=context`` for a child row), so an id from another parent is
    ``DoesNotExist``. Two writers that both lock first queue here instead of both passing a
    check made on what they read before."""
    return type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk, **scope)


def require_version(obj, expected: int | None, message: str) -> None:
    """Refuse with a ``ConflictError`` when the editor loaded a version of ``obj`` other than
    the one now saved. ``expected`` None skips the check."""
    if expected is not None and expected != obj.version:
        raise ConflictError(message, current_version=obj.version)


def versioned_save(obj, actor: User, *, only: Iterable[str] | None = None) -> None:
    """Raise ``obj``'s version, credit its history row to ``actor`` and save it.

    By default the whole row is validated (``full_clean``) and saved. With ``only``, just those
    fields (and ``version`` and ``updated_at``) are written; ``only=()`` writes nothing but the
    new version, for a change made in a row of its own (a factor, an action, a map) that changes
    what ``obj`` says, so that an editor who loaded ``obj`` before it is told, not overwritten."""
    obj.version += 1
    obj._history_user = actor
    if only is not None:
        obj.save(update_fields=[*only, "version", "updated_at"])
        return
    obj.full_clean()
    obj.save()
