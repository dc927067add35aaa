"""Every write to a young person's record and its allocations.

Each service takes the acting user, checks what it may do through cases/permissions.py, locks the
rows it changes, writes its history and audit event in the same transaction, and enqueues side
effects only after commit.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from csafe.accounts import permissions as role_permissions
from csafe.accounts.models import Team, User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError
from csafe.core.validators import normalise_postcode
from csafe.core.versioning import locked, require_version, versioned_save

from .. import permissions
from ..models import (
    Allocation,
    AllocationKind,
    CaseStatus,
    YoungPerson,
)


@transaction.atomic
def young_person_create(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    preferred_name: str = "",
    sex: str = "U",
    gender_identity: str = "",
    ethnicity: str = "NOBT",
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    local_identifier: str = "",
) -> YoungPerson:
    """Open a record for the actor's team. A practitioner who opens it is allocated to it, so
    nobody creates a record they then cannot see. Without a ``local_identifier`` one is made
    from the record's number (CS0000123)."""
    if not permissions.can_open_case(actor):
        raise ApplicationError("Only practitioners and team managers in a team can open a record")
    if date_of_birth > timezone.localdate():
        raise ApplicationError("Date of birth must be in the past", field="date_of_birth")
    generated = not local_identifier.strip()
    young_person = YoungPerson(
        # A placeholder that cannot clash, replaced once the row has its number.
        local_identifier=local_identifier.strip() or f"new-{uuid.uuid4().hex[:20]}",
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        sex=sex,
        gender_identity=gender_identity.strip(),
        ethnicity=ethnicity,
        address_line_1=address_line_1.strip(),
        address_line_2=address_line_2.strip(),
        town=town.strip(),
        postcode=normalise_postcode(postcode),
    )
    young_person._history_user = actor
    young_person.full_clean()
    young_person.save()
    if generated:
        young_person.local_identifier = f"CS{young_person.pk:07d}"
        young_person.save(update_fields=["local_identifier"])
    event_record(
        actor=actor,
        kind=EventKind.YOUNG_PERSON_CREATED,
        target=young_person,
        young_person=young_person,
    )
    _allocate_team(actor=actor, young_person=young_person, team=actor.team)
    if role_permissions.is_practitioner(actor):
        _allocate_worker(actor=actor, young_person=young_person, worker=actor)
    return young_person


def _allocate_team(*, actor: User, young_person: YoungPerson, team: Team) -> Allocation:
    allocation = Allocation(
        young_person=young_person,
        kind=AllocationKind.TEAM,
        team=team,
        started_at=timezone.now(),
        started_by=actor,
    )
    allocation._history_user = actor
    allocation.full_clean(validate_constraints=False)
    allocation.save()
    young_person.team = team
    young_person._history_user = actor
    young_person.save(update_fields=["team", "updated_at"])
    permissions.grant_team(team, young_person)
    event_record(
        actor=actor,
        kind=EventKind.TEAM_ALLOCATED,
        target=allocation,
        young_person=young_person,
        detail={"team": team.pk},
    )
    return allocation


def _allocate_worker(*, actor: User, young_person: YoungPerson, worker: User) -> Allocation:
    allocation = Allocation(
        young_person=young_person,
        kind=AllocationKind.WORKER,
        worker=worker,
        started_at=timezone.now(),
        started_by=actor,
    )
    allocation._history_user = actor
    allocation.full_clean(validate_constraints=False)
    try:
        # A savepoint, so a lost race on the unique constraint leaves the outer transaction usable.
        with transaction.atomic():
            allocation.save()
    except IntegrityError as exc:
        raise ApplicationError(
            f"{worker} is already allocated to this young person", field="worker"
        ) from exc
    permissions.grant_worker(worker, young_person)
    event_record(
        actor=actor,
        kind=EventKind.WORKER_ALLOCATED,
        target=allocation,
        young_person=young_person,
        detail={"worker": worker.pk},
    )
    transaction.on_commit(lambda: _notify_allocation(allocation.pk))
    return allocation


def _notify_allocation(allocation_id: int) -> None:
    from ..tasks import allocation_notify_worker

    allocation_notify_worker.delay(allocation_id)


@transaction.atomic
def young_person_allocate_worker(
    *, actor: User, young_person: YoungPerson, worker: User
) -> Allocation:
    """Allocate ``worker`` to the case. The actor must manage the team holding it, and the worker
    must be a practitioner or team manager in that team. Grants the worker view and change."""
    # Locked first: two managers allocating at once queue here instead of both passing the
    # "already allocated" check.
    young_person = locked(young_person)
    if not permissions.can_allocate(actor, young_person):
        raise ApplicationError("Only a manager of the team holding this case can allocate it")
    if not permissions.can_be_allocated(worker, young_person):
        raise ApplicationError(
            f"{worker} cannot be allocated: they are not a practitioner or manager in "
            f"{young_person.team}",
            field="worker",
        )
    if young_person.allocations.filter(
        kind=AllocationKind.WORKER, worker=worker, ended_at__isnull=True
    ).exists():
        raise ApplicationError(
            f"{worker} is already allocated to this young person", field="worker"
        )
    return _allocate_worker(actor=actor, young_person=young_person, worker=worker)


@transaction.atomic
def young_person_deallocate_worker(
    *, actor: User, allocation: Allocation, reason: str
) -> Allocation:
    """End a worker's allocation and revoke their access to the record."""
    young_person = locked(allocation.young_person)
    allocation = locked(allocation)
    if not permissions.can_allocate(actor, young_person):
        raise ApplicationError("Only a manager of the team holding this case can end an allocation")
    if allocation.kind != AllocationKind.WORKER:
        raise ApplicationError("That is a team allocation; transfer the case instead")
    if allocation.ended_at is not None:
        raise ApplicationError("That allocation has already ended")
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Enter why the allocation is ending", field="reason")
    allocation.ended_at = timezone.now()
    allocation.ended_by = actor
    allocation.end_reason = reason
    allocation._history_user = actor
    allocation.save(update_fields=["ended_at", "ended_by", "end_reason"])
    permissions.revoke_worker(allocation.worker, young_person)
    event_record(
        actor=actor,
        kind=EventKind.WORKER_DEALLOCATED,
        target=allocation,
        young_person=young_person,
        detail={"worker": allocation.worker_id, "reason": reason},
    )
    return allocation


@transaction.atomic
def young_person_transfer_team(
    *, actor: User, young_person: YoungPerson, team: Team, reason: str
) -> Allocation:
    """Move the case to another team. Ends the old team's allocation and every worker allocation,
    since those workers belong to the old team; the new team's managers then allocate."""
    young_person = locked(young_person)
    if not permissions.can_allocate(actor, young_person):
        raise ApplicationError("Only a manager of the team holding this case can transfer it")
    if team.pk == young_person.team_id:
        raise ApplicationError("The case is already held by that team", field="team")
    if not team.is_active:
        raise ApplicationError("That team is no longer active", field="team")
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Enter why the case is being transferred", field="reason")
    now = timezone.now()
    for allocation in young_person.allocations.select_for_update().filter(ended_at__isnull=True):
        allocation.ended_at = now
        allocation.ended_by = actor
        allocation.end_reason = f"Case transferred to {team}: {reason}"
        allocation._history_user = actor
        allocation.save(update_fields=["ended_at", "ended_by", "end_reason"])
        if allocation.kind == AllocationKind.WORKER:
            permissions.revoke_worker(allocation.worker, young_person)
            kind = EventKind.WORKER_DEALLOCATED
        else:
            permissions.revoke_team(allocation.team, young_person)
            kind = EventKind.TEAM_DEALLOCATED
        event_record(
            actor=actor,
            kind=kind,
            target=allocation,
            young_person=young_person,
            detail={"reason": allocation.end_reason},
        )
    return _allocate_team(actor=actor, young_person=young_person, team=team)


# The details a practitioner may correct; the local identifier, status and team change only
# through their own services.
DETAIL_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "ethnicity",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)
CONFLICT_MESSAGE = (
    "Someone else changed these details while you were editing. Your changes have not been "
    "saved: compare them with what is saved now, then save again to replace it."
)


@transaction.atomic
def young_person_update(
    *, actor: User, young_person: YoungPerson, expected_version: int | None, **details
) -> YoungPerson:
    """Correct a young person's details (names, date of birth, sex and gender, ethnicity,
    address). Needs change permission on the record; refused with a ``ConflictError`` when the
    editor loaded a version other than the one saved, so a second editor never silently
    overwrites the first. The event names the fields changed, never their values."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not details of a young person: {', '.join(sorted(unknown))}")
    young_person = lock_for_change(actor, young_person)
    require_version(young_person, expected_version, CONFLICT_MESSAGE)
    if "date_of_birth" in details and details["date_of_birth"] > timezone.localdate():
        raise ApplicationError("Date of birth must be in the past", field="date_of_birth")
    changed = []
    for field, value in details.items():
        if field == "postcode":
            value = normalise_postcode(value)
        elif isinstance(value, str):
            value = value.strip()
        if getattr(young_person, field) != value:
            setattr(young_person, field, value)
            changed.append(field)
    if not changed:
        return young_person
    try:
        young_person.full_clean(exclude=["team"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from exc
    young_person._change_reason = "Details corrected"
    versioned_save(young_person, actor, only=changed)
    event_record(
        actor=actor,
        kind=EventKind.YOUNG_PERSON_UPDATED,
        target=young_person,
        young_person=young_person,
        detail={"fields": changed},
    )
    return young_person


@transaction.atomic
def young_person_set_status(
    *, actor: User, young_person: YoungPerson, status: str, reason: str
) -> YoungPerson:
    """Open or close the case to the service. Allocations stay, so the record remains visible to
    those who held it; managers end them separately."""
    young_person = locked(young_person)
    if not permissions.user_has_perm(actor, permissions.CHANGE, young_person):
        raise ApplicationError("You cannot change this record")
    if status not in CaseStatus.values:
        raise ApplicationError("Choose open or closed", field="status")
    if status == young_person.status:
        raise ApplicationError(f"The case is already {young_person.get_status_display().lower()}")
    if not reason.strip():
        raise ApplicationError("Enter a reason", field="reason")
    young_person.status = status
    young_person.closed_on = timezone.localdate() if status == CaseStatus.CLOSED else None
    young_person._history_user = actor
    young_person._change_reason = reason.strip()
    young_person.save(update_fields=["status", "closed_on", "updated_at"])
    event_record(
        actor=actor,
        kind=EventKind.YOUNG_PERSON_STATUS_CHANGED,
        target=young_person,
        young_person=young_person,
        detail={"status": status, "reason": reason.strip()},
    )
    return young_person


@transaction.atomic
def worker_allocations_end_outside_team(*, actor: User | None, worker: User, reason: str) -> int:
    """End a worker's allocations on cases their team does not hold (after a move of team), or
    all of them if they no longer carry a caseload (role changed or account switched off), and
    revoke the access those allocations gave. Returns how many ended."""
    active = Allocation.objects.select_for_update().filter(
        kind=AllocationKind.WORKER, worker=worker, ended_at__isnull=True
    )
    keeps_caseload = worker.is_active and permissions.can_open_case(worker)
    if keeps_caseload:
        active = active.exclude(young_person__team_id=worker.team_id)
    ended = 0
    now = timezone.now()
    for allocation in active.select_related("young_person"):
        allocation.ended_at = now
        allocation.ended_by = actor
        allocation.end_reason = reason
        allocation._history_user = actor
        allocation.save(update_fields=["ended_at", "ended_by", "end_reason"])
        permissions.revoke_worker(worker, allocation.young_person)
        event_record(
            actor=actor,
            kind=EventKind.WORKER_DEALLOCATED,
            target=allocation,
            young_person=allocation.young_person,
            detail={"worker": worker.pk, "reason": reason},
        )
        ended += 1
    return ended


# --- Shared by the services of every part of the record --------------------------------------

CHANGE_REFUSED_MESSAGE = "You cannot change this young person's record"


def lock_for_change(actor: User, young_person: YoungPerson) -> YoungPerson:
    """Lock the young person's row and return it fresh, once ``actor`` is known to hold change
    permission on it; otherwise ApplicationError. Every service that writes to a part of the
    record (assessments, plans, relocations, notes, documents) starts here, so writes to one
    record queue in the same order and never deadlock, and a permission revoked a moment ago
    is seen."""
    young_person = locked(young_person)
    if not permissions.user_has_perm(actor, permissions.CHANGE, young_person):
        raise ApplicationError(CHANGE_REFUSED_MESSAGE)
    return young_person


# --- Referrals -------------------------------------------------------------------------------
