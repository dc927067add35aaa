"""Who may configure retention rules and who may review records for retention.

Administrators set the rules but never see or decide on records (they hold no children's
records). Team managers review the closed records their team holds; service managers review
every team's, since retention is a decision for the whole authority. Practitioners do neither.

Legal holds: the team managers of the team holding a young person's case (the managers to whom
cases.permissions grants the record's access log) place and lift holds on it, open or closed;
service managers, who hold no child's record, place and lift them on closed records of any team,
the records they review for retention. Administrators choose the harm types whose records are
held by rule, and never see a record.
"""

from __future__ import annotations

from cases import permissions as case_permissions
from cases.models import CaseStatus
from csafe.accounts import permissions as role_permissions


def can_configure_retention(user) -> bool:
    return role_permissions.can_configure(user)


def can_review_retention(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return role_permissions.is_service_manager(user) or role_permissions.manages_a_team(user)


def team_scope(user) -> int | None:
    """The one team whose records ``user`` reviews, or None for every team. Call only for a user
    who ``can_review_retention``."""
    return None if role_permissions.is_service_manager(user) else user.team_id


def can_manage_holds(user) -> bool:
    """Whether ``user``'s role places and lifts legal holds at all (pages refuse others with
    403 before looking at the record)."""
    return can_review_retention(user)


def can_hold(user, young_person) -> bool:
    """Whether ``user`` may place or lift a legal hold on ``young_person``'s record."""
    if not can_manage_holds(user):
        return False
    if role_permissions.is_service_manager(user):
        return young_person.status == CaseStatus.CLOSED
    return case_permissions.user_has_perm(user, case_permissions.VIEW_ACCESS_LOG, young_person)
