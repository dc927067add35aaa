"""Who may use context records. Contexts are thematic and open to every practitioner: what keeps
children private is that no context-facing output carries a child (contexts/selectors), not who
may open the page. Linking a young person needs the acting user's object permission on that
young person, checked in contexts.linking.services through cases.permissions."""

from __future__ import annotations

from csafe.accounts.models import Role
from csafe.accounts.permissions import can_configure

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


def _manages_team_of(user, context) -> bool:
    return user.role == Role.TEAM_MANAGER and user.team_id == context.team_id


def can_correct_context_text(user, context, row) -> bool:
    """Correct or withdraw the text of an assessment or meeting note, a plan action or a
    closure or reopening: whoever wrote it (recorded it, added the action or wrote its progress
    note, made the closure or reopening), or a team manager of the team holding the context."""
    if not can_work_on_contexts(user):
        return False
    authors = {
        getattr(row, name, None)
        for name in ("recorded_by_id", "created_by_id", "progress_noted_by_id", "by_id")
    }
    return user.pk in authors or _manages_team_of(user, context)


def can_redact_context_text(user, context) -> bool:
    """Redact a passage found later to name a child: a team manager of the context's team."""
    return can_work_on_contexts(user) and _manages_team_of(user, context)


def can_configure_contexts(user) -> bool:
    """Naming conventions and the word for a peer group: administrators."""
    return can_configure(user)
