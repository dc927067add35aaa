"""Two-factor sign-in for tests: give a user an authenticator app, make its codes, and mark a
test client's session verified as django_otp.login does, so tests about other things can sign a
manager in with one call (tests/conftest.py ``client_for``, tests/browser/conftest.py)."""

from __future__ import annotations

import time

from django.contrib.sessions.backends.base import SessionBase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from csafe.accounts import api_tokens, permissions, two_factor


def app_for(user) -> TOTPDevice:
    """The user's confirmed authenticator app, made if they have none (no recovery codes)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.APP_NAME, confirmed=True)
    return device


def code_for(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the app would show now (or at ``at``, a Unix time)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def fresh_code_for(device: TOTPDevice) -> str:
    """A code that will be accepted even if one was used in this time step already: a test may
    sign the same person in twice within 30 seconds, which a real app user cannot."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return code_for(device)


def mark_session_verified(session: SessionBase, user) -> None:
    """As a sign-in through the code page leaves the session. Only for the roles that must use
    two-factor sign-in (or users who already have an app); others are left as they are."""
    has_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if not (permissions.requires_two_factor(user) or has_app):
        return
    device = app_for(user)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.HAS_DEVICE_SESSION_KEY] = True
    session.save()


def verify_client(client, user) -> None:
    """Mark a signed-in test client's session verified (see ``mark_session_verified``)."""
    mark_session_verified(client.session, user)


def api_token_for(user, *, name: str = "Test client") -> str:
    """An API token key as the API token page issues it (less asking for the password again):
    for the roles that must use two-factor sign-in, recorded as issued from a verified session
    (with an app made for them)."""
    device_id = app_for(user).persistent_id if permissions.requires_two_factor(user) else None
    return api_tokens.api_token_create(user=user, name=name, verified_device_id=device_id).key
