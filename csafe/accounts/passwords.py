"""Passwords: only the person sets theirs, from a single-use link (an invitation to a new
account, or a reset), and enters it again before the changes that a session left open must not
be enough for (a new authenticator app, an API token)."""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from csafe.core.errors import ApplicationError

PASSWORD_NOT_RIGHT = "Your password is not right. Enter the password you sign in with"


class AccountLinkTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset-link tokens with csafe's own salt. A token hashes the password and the
    last sign-in, so setting a password (or signing in) spends every link sent before, and the
    account being on, so switching it off spends them too. Links last
    settings.PASSWORD_RESET_TIMEOUT, which is CSAFE_INVITATION_DAYS."""

    key_salt = "csafe.accounts.passwords.AccountLinkTokenGenerator"
    algorithm = "sha256"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


account_link_tokens = AccountLinkTokenGenerator()


def password_confirm(*, user, password: str) -> None:
    """Raise unless ``password`` is the user's own (asked again before a sensitive change)."""
    if not password or not user.check_password(password):
        raise ApplicationError(PASSWORD_NOT_RIGHT, field="password")
