"""API tokens: named, several per person, stored as a digest, expiring, revoked never deleted.

A key is ``csafe_`` + an 8-character prefix + ``_`` + 43 characters of randomness (256 bits).
The database keeps only the prefix (to tell tokens apart in the list) and the key's SHA-256: a
slow password hash is for guessable secrets, and a 256-bit random key cannot be guessed, so a
copy of the table gives nobody a working token.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from .models import ApiToken, User
from .passwords import password_confirm
from .permissions import requires_two_factor

KEY_PREFIX = "csafe_"
NOT_VERIFIED = "Sign in with two-factor sign-in before asking for an API token"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


def api_tokens_for_user(*, user: User) -> list[ApiToken]:
    """The person's own tokens, newest first, live and not: only they see this list."""
    return list(ApiToken.objects.filter(user=user))


def api_token_get_for_user(*, user: User, pk: int) -> ApiToken | None:
    """One of the person's own tokens; None (a 404) for anyone else's token."""
    return ApiToken.objects.filter(user=user, pk=pk).first()


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, password: str, verified_device_id: str | None
) -> IssuedToken:
    """A new token for ``user`` from the API token page, after their password is entered again:
    a session left open must not be enough to mint a token."""
    _check(user=user, name=name, verified_device_id=verified_device_id)
    password_confirm(user=user, password=password)
    return api_token_create(user=user, name=name, verified_device_id=verified_device_id)


def _check(*, user: User, name: str, verified_device_id: str | None) -> None:
    if not name.strip():
        raise ApplicationError("Enter a name for the token", field="name")
    if verified_device_id is None and requires_two_factor(user):
        raise ApplicationError(NOT_VERIFIED)


@transaction.atomic
def api_token_create(*, user: User, name: str, verified_device_id: str | None) -> IssuedToken:
    """The token itself, for a caller that has already made sure it is the person (the page,
    through ``api_token_issue``; test support). ``verified_device_id`` is the device that
    verified the asking session, or None; a role that must use two-factor sign-in cannot have a
    token without one. Earlier tokens keep working until they expire or are revoked."""
    _check(user=user, name=name, verified_device_id=verified_device_id)
    name = name.strip()
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=user,
        name=name,
        prefix=f"{KEY_PREFIX}{prefix}",
        digest=key_digest(key),
        two_factor_device=verified_device_id or "",
        expires_at=timezone.now() + timedelta(days=settings.CSAFE_API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    event_record(
        actor=user,
        kind=EventKind.API_TOKEN_ISSUED,
        target=user,
        detail={
            "token": token.pk,
            "two_factor_verified": verified_device_id is not None,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens (already revoked: nothing changes)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise ApplicationError("That API token is not yours")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event_record(
            actor=actor, kind=EventKind.API_TOKEN_REVOKED, target=actor, detail={"token": token.pk}
        )
    return token
