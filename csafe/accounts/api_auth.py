"""API token authentication that carries two-factor sign-in over to the API."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .api_tokens import key_digest
from .models import ApiToken
from .permissions import requires_two_factor

INVALID_TOKEN = "Invalid token."
UNVERIFIED_TOKEN = (
    "Team managers, service managers and administrators must use an API token issued after "
    "two-factor sign-in. Sign in, then get a new token from the API token page of your account."
)


class VerifiedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` against csafe's own hashed, expiring tokens
    (accounts.models.ApiToken), in one query. A key unknown, revoked or expired answers 401
    "Invalid token." alike, so a caller learns nothing about which; a token of a role that must
    use two-factor sign-in is refused (403) unless it was issued from a verified session."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=key_digest(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if requires_two_factor(token.user) and not token.two_factor_device:
            raise exceptions.PermissionDenied(UNVERIFIED_TOKEN)
        return (token.user, token)
