"""Who may configure the harm taxonomy: administrators. Who may change a young person's flags
is decided with the record, in cases/permissions.py."""

from __future__ import annotations

from csafe.accounts import permissions as role_permissions


def can_configure_taxonomy(user) -> bool:
    return role_permissions.can_configure(user)
