"""What each role may use, and the one place a person's role is tested. Which *young people* a
person may see is decided in cases/permissions.py by object permissions, never here."""

from __future__ import annotations

from .models import Role

# Practitioners and team managers work within a team and carry a caseload.
TEAM_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER})
# The roles that reach records or configuration beyond a practitioner's own caseload.
PRIVILEGED_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.ADMINISTRATOR})


def role_needs_team(role: str) -> bool:
    """Whether an account with ``role`` must belong to a team."""
    return role in TEAM_ROLES


def can_use_caseload(user) -> bool:
    return user.is_authenticated and user.role in TEAM_ROLES


def is_team_manager(user) -> bool:
    """A team manager, whether or not they hold a team at the moment."""
    return user.is_authenticated and user.role == Role.TEAM_MANAGER


def manages_a_team(user) -> bool:
    """A team manager who holds a team."""
    return is_team_manager(user) and user.team_id is not None


def is_service_manager(user) -> bool:
    return user.is_authenticated and user.role == Role.SERVICE_MANAGER


def requires_two_factor(user) -> bool:
    """Whether this person's role obliges them to use two-factor sign-in."""
    return bool(user.is_authenticated and user.role in PRIVILEGED_ROLES)


def can_configure(user) -> bool:
    """An administrator: an active, signed-in account with the administrator role and Django
    admin access (``is_staff``, which accounts.services keeps in step with the role). Every
    piece of configuration (the admin site, the harm taxonomy, context naming, retention rules)
    asks this and nothing else, so an account whose two flags disagree configures nothing."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role == Role.ADMINISTRATOR
        and user.is_staff
    )


def is_practitioner(user) -> bool:
    return user.is_authenticated and user.role == Role.PRACTITIONER
