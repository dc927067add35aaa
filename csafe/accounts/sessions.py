"""Ending every session and API token of one person at once.

Sessions live in the database, but finding one person's means decoding every row. Instead each
session carries the auth hash it was made with (Django's HASH_SESSION_KEY), and the user's hash
includes ``User.session_epoch`` (models.py): bumping the epoch makes every earlier session fail
Django's own check at its next request, which flushes it and signs the person out.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from csafe.audit.models import EventKind
from csafe.audit.services import event_record

from .models import ApiToken, User


@transaction.atomic
def user_sessions_end(*, actor: User | None, user: User, reason: str) -> int:
    """Sign ``user`` out everywhere and revoke their live API tokens; one ``user.sessions_ended``
    event. Called by the services that change what the person may do (two-factor reset,
    switched off, new role or team), inside their transaction. Returns the tokens revoked."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    # The caller's copy too, so that a later save of it cannot put the old epoch back.
    user.session_epoch = User.objects.values_list("session_epoch", flat=True).get(pk=user.pk)
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    event_record(
        actor=actor,
        kind=EventKind.USER_SESSIONS_ENDED,
        target=user,
        detail={"reason": reason, "api_tokens_revoked": revoked},
    )
    return revoked
