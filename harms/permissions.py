"""Who may configure the taxonomy and who may change a young person's flags.

Flags belong to the young person's record, so changing them needs the same object permission as
changing the record (cases/permissions.py); configuring the taxonomy is for administrators.
"""

from __future__ import annotations

from cases import permissions as case_permissions
from csafe.accounts import permissions as role_permissions


def can_configure_taxonomy(user) -> bool:
    return role_permissions.can_configure(user)


def can_change_flags(user, young_person) -> bool:
    return case_permissions.user_has_perm(user, case_permissions.CHANGE, young_person)
