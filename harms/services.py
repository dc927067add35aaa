"""Every write to the harm taxonomy. Writes to a young person's flags are the record's own
(cases/services/flags.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from . import permissions
from .models import HarmType


def _require_administrator(actor: User) -> None:
    if not permissions.can_configure_taxonomy(actor):
        raise ApplicationError("Only administrators can change the harm taxonomy")


def _check_parent(harm_type: HarmType | None, parent: HarmType | None) -> None:
    """A type cannot sit under itself or under one of its own descendants."""
    node = parent
    while node is not None:
        if harm_type is not None and node.pk == harm_type.pk:
            raise ApplicationError(
                "A harm type cannot be moved under itself or one of its own sub-types",
                field="parent",
            )
        node = node.parent


def _check_unique_name(name: str, parent: HarmType | None, exclude_pk: int | None) -> None:
    clash = HarmType.objects.filter(name__iexact=name, parent=parent)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        where = f"under {parent}" if parent else "at the top level"
        raise ApplicationError(f"There is already a harm type called {name} {where}", field="name")


@transaction.atomic
def harm_type_create(
    *,
    actor: User,
    name: str,
    nature: str,
    parent: HarmType | None = None,
    cin_code: str = "",
    description: str = "",
) -> HarmType:
    _require_administrator(actor)
    name = name.strip()
    _check_unique_name(name, parent, None)
    harm_type = HarmType(
        name=name, nature=nature, parent=parent, cin_code=cin_code, description=description.strip()
    )
    harm_type._history_user = actor
    harm_type.full_clean(validate_constraints=False)
    harm_type.save()
    event_record(actor=actor, kind=EventKind.HARM_TYPE_CREATED, target=harm_type)
    return harm_type


@transaction.atomic
def harm_type_update(
    *,
    actor: User,
    harm_type: HarmType,
    name: str,
    nature: str,
    parent: HarmType | None,
    cin_code: str,
    description: str,
) -> HarmType:
    """Rename, move, re-code or re-describe a type. Existing flags keep pointing at it, so their
    history reads with the new name; the old name stays in the type's own history."""
    _require_administrator(actor)
    harm_type = HarmType.objects.select_for_update().get(pk=harm_type.pk)
    name = name.strip()
    _check_parent(harm_type, parent)
    _check_unique_name(name, parent, harm_type.pk)
    before = {"name": harm_type.name, "parent": harm_type.parent_id, "cin_code": harm_type.cin_code}
    harm_type.name = name
    harm_type.nature = nature
    harm_type.parent = parent
    harm_type.cin_code = cin_code
    harm_type.description = description.strip()
    harm_type._history_user = actor
    harm_type.full_clean(validate_constraints=False)
    harm_type.save()
    event_record(
        actor=actor, kind=EventKind.HARM_TYPE_UPDATED, target=harm_type, detail={"before": before}
    )
    return harm_type


@transaction.atomic
def harm_type_set_active(
    *, actor: User, harm_type: HarmType, active: bool, reason: str = ""
) -> HarmType:
    """Retire a type (no new flags of it; existing flags stay and show it as a retired type) or
    bring it back. Retiring needs the reason, which is kept on the type, its history and the
    event; bringing it back clears it from the type (the history keeps it)."""
    _require_administrator(actor)
    harm_type = HarmType.objects.select_for_update().get(pk=harm_type.pk)
    if harm_type.is_active == active:
        state = "in use" if active else "retired"
        raise ApplicationError(f"{harm_type} is already {state}")
    if active and harm_type.parent is not None and not harm_type.parent.is_active:
        raise ApplicationError(f"Bring {harm_type.parent} back into use first", field="parent")
    reason = reason.strip()
    if not active and not reason:
        raise ApplicationError("Enter why this harm type is being retired", field="reason")
    harm_type.is_active = active
    if active:
        harm_type.retired_at, harm_type.retired_by, harm_type.retired_reason = None, None, ""
    else:
        harm_type.retired_at, harm_type.retired_by, harm_type.retired_reason = (
            timezone.now(),
            actor,
            reason,
        )
    harm_type._history_user = actor
    harm_type.save(
        update_fields=["is_active", "retired_at", "retired_by", "retired_reason", "updated_at"]
    )
    event_record(
        actor=actor,
        kind=EventKind.HARM_TYPE_REACTIVATED if active else EventKind.HARM_TYPE_RETIRED,
        target=harm_type,
        detail=None if active else {"reason": reason},
    )
    return harm_type
