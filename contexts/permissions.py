"""Who may use context records. Contexts are thematic and open to every practitioner: what keeps
children private is that no context-facing output carries a child (contexts/selectors), not who
may open the page. Linking a young person needs the acting user's object permission on that
young person, checked in contexts.services.links through cases.permissions."""

from __future__ import annotations

from csafe.accounts.models import Role

READERS = {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER}
WRITERS = {Role.PRACTITIONER, Role.TEAM_MANAGER}


def can_view_contexts(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in READERS)


def can_work_on_contexts(user) -> bool:
    """Open contexts, record assessments and meeting notes, add plan actions."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.role in WRITERS
        and user.team_id is not None
    )


def can_close_or_reopen(user, context) -> bool:
    """The context's lead practitioner, or a team manager of the team holding it."""
    if not can_work_on_contexts(user):
        return False
    if context.lead_practitioner_id == user.pk:
        return True
    return user.role == Role.TEAM_MANAGER and user.team_id == context.team_id


def can_configure_contexts(user) -> bool:
    """Naming conventions and the word for a peer group: administrators."""
    return bool(user and user.is_authenticated and user.role == Role.ADMINISTRATOR)
