"""Who may configure retention rules and who may review records for retention.

Administrators set the rules but never see or decide on records (they hold no children's
records). Team managers review the closed records their team holds; service managers review
every team's, since retention is a decision for the whole authority. Practitioners do neither.
"""

from __future__ import annotations

from csafe.accounts.models import Role


def can_configure_retention(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR
    )


def can_review_retention(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role == Role.TEAM_MANAGER and user.team_id is not None


def team_scope(user) -> int | None:
    """The one team whose records ``user`` reviews, or None for every team. Call only for a user
    who ``can_review_retention``."""
    return None if user.role == Role.SERVICE_MANAGER else user.team_id
