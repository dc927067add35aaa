"""Writes to staff accounts and teams.

Team managers hold object permissions on their team's young people through the team's managers
group, so every change of role or team goes through ``user_update`` which keeps that group's
membership in step in the same transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from .models import Role, Team, User


@transaction.atomic
def team_create(*, actor: User | None, name: str, description: str = "") -> Team:
    """Create a team and the group its managers act through."""
    name = name.strip()
    if Team.objects.filter(name__iexact=name).exists():
        raise ApplicationError(f"A team called {name} already exists", field="name")
    group = Group.objects.create(name=f"team-managers:{name}")
    team = Team(name=name, description=description, managers_group=group)
    team._history_user = actor
    team.full_clean()
    team.save()
    event_record(actor=actor, kind=EventKind.TEAM_CREATED, target=team)
    return team


def _sync_manager_group(user: User) -> None:
    """Make the user a member of exactly their own team's managers group, if they manage one."""
    manager_groups = Group.objects.filter(managed_team__isnull=False)
    user.groups.remove(*manager_groups.filter(user=user))
    if user.role == Role.TEAM_MANAGER and user.team_id is not None:
        user.groups.add(user.team.managers_group)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None = None,
    password: str | None = None,
    job_title: str = "",
    phone: str = "",
) -> User:
    """Create a staff account. Administrators get Django admin access for configuration only."""
    if role in {Role.PRACTITIONER, Role.TEAM_MANAGER} and team is None:
        raise ApplicationError(
            "Practitioners and team managers must belong to a team", field="team"
        )
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
        job_title=job_title,
        phone=phone,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = actor
    user.full_clean()
    user.save()
    _sync_manager_group(user)
    event_record(actor=actor, kind=EventKind.USER_CREATED, target=user)
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, role: str, team: Team | None) -> User:
    """Change a person's role or team, keeping their team-manager group membership in step."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if role in {Role.PRACTITIONER, Role.TEAM_MANAGER} and team is None:
        raise ApplicationError(
            "Practitioners and team managers must belong to a team", field="team"
        )
    user.role = role
    user.team = team
    user.is_staff = role == Role.ADMINISTRATOR
    user._history_user = actor
    user.full_clean()
    user.save()
    _sync_manager_group(user)
    # A person who moves team, stops carrying a caseload or is switched off loses the access
    # their old allocations gave. Imported here: cases depends on accounts, not the reverse.
    from cases.services import worker_allocations_end_outside_team

    worker_allocations_end_outside_team(
        actor=actor, worker=user, reason="Worker changed team or role"
    )
    event_record(
        actor=actor,
        kind=EventKind.USER_UPDATED,
        target=user,
        detail={"role": role, "team": team.pk if team else None},
    )
    return user
