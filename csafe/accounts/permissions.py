"""What each role may use. Which *young people* a person may see is decided in
cases/permissions.py by object permissions, never here."""

from __future__ import annotations

from .models import Role


def can_use_caseload(user) -> bool:
    return user.is_authenticated and user.role in {Role.PRACTITIONER, Role.TEAM_MANAGER}


def can_allocate_in_team(user, team) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.TEAM_MANAGER
        and team is not None
        and user.team_id == team.pk
    )


def can_configure(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMINISTRATOR and user.is_staff
