"""API token authentication that carries two-factor sign-in over to the API."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .two_factor import requires_two_factor

UNVERIFIED_TOKEN = (
    "Team managers, service managers and administrators must use an API token issued after "
    "two-factor sign-in. Sign in, then get a new token from the API token page of your account."
)


class VerifiedTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, in one query, refusing (403) a token of a role that must use
    two-factor sign-in unless the token was issued from a verified session."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "verification").get(key=key)
        except model.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if requires_two_factor(token.user) and not hasattr(token, "verification"):
            raise exceptions.PermissionDenied(UNVERIFIED_TOKEN)
        return (token.user, token)
