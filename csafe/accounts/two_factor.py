"""Two-factor sign-in: an authenticator app (TOTP) with single-use recovery codes, on django-otp.

Team managers, service managers and administrators must use it
(``permissions.requires_two_factor``); anyone else may set it up from their account page, and
from then on is asked for a code at each sign-in.

Where the state lives. That a session has passed the second step is kept in the session under
django-otp's own key, exactly as ``django_otp.login`` leaves it. Whether the person has an
authenticator app is noted in the session when they sign in (``session_note_sign_in``), so the
middleware decides on every request without a query. The session lives in the database, so
neither note can be forged by the browser.

Wrong codes are slowed down by django-otp's throttling on each device: after n failures in a row
the next try must wait ``OTP_TOTP_THROTTLE_FACTOR * 2**(n-1)`` seconds, and a try made sooner is
refused even if the code is right. Every set-up, accepted code, refused code and recovery code
used is written to the audit log in the same transaction as the device change.
"""

from __future__ import annotations

import math
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from .models import ApiToken, User
from .passwords import password_confirm
from .permissions import requires_two_factor
from .sessions import user_sessions_end

RECOVERY_CODE_COUNT = 10
HAS_DEVICE_SESSION_KEY = "csafe_two_factor_has_device"
NEW_RECOVERY_CODES_SESSION_KEY = "csafe_two_factor_new_codes"
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

# The steps a signed-in session may still owe.
VERIFY = "verify"
ENROL = "enrol"

CODE_NOT_RIGHT = (
    "The code is not right. Enter the newest 6-digit code from your authenticator app, "
    "or one of your recovery codes"
)
SET_UP_CODE_NOT_RIGHT = (
    "The code is not right. Check that the time on your phone is set automatically, "
    "then enter the newest 6-digit code"
)
MUST_KEEP = (
    "Team managers, service managers and administrators must use two-factor sign-in, "
    "so it cannot be switched off"
)


def confirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- The session ------------------------------------------------------------------------------


def session_note_sign_in(*, request, user) -> None:
    """At every sign-in: the second step starts again, and note whether there is an app to ask."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_DEVICE_SESSION_KEY] = confirmed_app(user) is not None


def _on_user_logged_in(sender, request, user, **kwargs) -> None:
    session_note_sign_in(request=request, user=user)


# Every way of signing in (the sign-in page, the admin's, a test's force_login) sends this signal.
user_logged_in.connect(_on_user_logged_in, dispatch_uid="csafe-two-factor-sign-in")


def session_is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def session_has_device(request) -> bool:
    has_device = request.session.get(HAS_DEVICE_SESSION_KEY)
    if has_device is None:  # a session from before two-factor sign-in existed
        has_device = confirmed_app(request.user) is not None
        request.session[HAS_DEVICE_SESSION_KEY] = has_device
    return has_device


def pending_step(request) -> str | None:
    """VERIFY, ENROL or None: what this signed-in session must do before it may go anywhere."""
    if session_is_verified(request):
        return None
    if session_has_device(request):
        return VERIFY
    if requires_two_factor(request.user):
        return ENROL
    return None


def session_mark_verified(request, device) -> None:
    """The second step passed: as django_otp.login, with a new session key against fixation."""
    otp_login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    request.session.cycle_key()


def session_forget_device(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_DEVICE_SESSION_KEY] = False


# --- Showing an app to be set up --------------------------------------------------------------


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for people who cannot scan the QR code."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The set-up address as an inline SVG QR code: attributes only, no style, so the page's
    Content Security Policy (no inline style) allows it, and no script or external image."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#0b0c0c", light="#ffffff", svgclass="csafe-qr", lineclass=None
    )
    return svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code to scan with your authenticator app" ',
        1,
    )


# --- Services ---------------------------------------------------------------------------------


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The app being set up: the one already started (so reloading the page keeps the same
    secret), or a new unconfirmed device. An unconfirmed device is never asked for a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _throttled_message(device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    unit = "second" if seconds == 1 else "seconds"
    return f"You have entered too many wrong codes. Wait {seconds} {unit}, then try again"


@dataclass(frozen=True)
class EnrolmentResult:
    device: TOTPDevice
    recovery_codes: list[str]


def totp_enrolment_confirm(
    *, user: User, device: TOTPDevice, code: str, password: str | None = None
) -> EnrolmentResult:
    """Confirm the app being set up with a code from it; replace any earlier app, and make a
    fresh set of recovery codes to be shown once. Replacing an app needs the password entered
    again: a session left open must not be enough to move someone's second factor to a phone
    of one's own."""
    if confirmed_app(user) is not None:
        password_confirm(user=user, password=password or "")
    error = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed:
            raise ApplicationError("This authenticator app is already set up", field="code")
        error = _throttled_message(device)
        if error is None and not device.verify_token(code):
            error = SET_UP_CODE_NOT_RIGHT
        if error is not None:
            event_record(
                actor=user,
                kind=EventKind.TWO_FACTOR_FAILED,
                target=user,
                detail={"step": "set_up", "failures": device.throttling_failure_count},
            )
        else:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user)
            event_record(actor=user, kind=EventKind.TWO_FACTOR_ENROLLED, target=user)
    # Raised after the block commits, so the failure count and the audit row are kept.
    if error is not None:
        raise ApplicationError(error, field="code")
    return EnrolmentResult(device=device, recovery_codes=codes)


def normalise_code(raw: str) -> tuple[str, str]:
    """("app", digits) or ("recovery", code) from what was typed, ignoring spaces and dashes."""
    code = "".join(raw.split()).replace("-", "").lower()
    if code.isdigit() and len(code) == 6:
        return "app", code
    if len(code) == 8 and code.isalnum():
        return "recovery", code
    raise ApplicationError(
        "Enter the 6-digit code from your authenticator app, or an 8-character recovery code",
        field="code",
    )


@dataclass(frozen=True)
class Verification:
    device: TOTPDevice | StaticDevice
    used_recovery_code: bool
    recovery_codes_left: int


def two_factor_verify(*, user: User, code: str) -> Verification:
    """Check a code from the app or a recovery code (which is used up). Raises ApplicationError
    with the reason when it is refused, after the refusal has been counted and logged."""
    kind, value = normalise_code(code)
    model = TOTPDevice if kind == "app" else StaticDevice
    error = None
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            error = CODE_NOT_RIGHT
            failures = 0
        else:
            error = _throttled_message(device)
            if error is None and not device.verify_token(value):
                error = CODE_NOT_RIGHT
            failures = device.throttling_failure_count
        if error is not None:
            event_record(
                actor=user,
                kind=EventKind.TWO_FACTOR_FAILED,
                target=user,
                detail={"step": "sign_in", "method": kind, "failures": failures},
            )
        else:
            left = recovery_codes_left(user)
            event_record(
                actor=user,
                kind=(
                    EventKind.TWO_FACTOR_RECOVERY_CODE_USED
                    if kind == "recovery"
                    else EventKind.TWO_FACTOR_VERIFIED
                ),
                target=user,
                detail={"recovery_codes_left": left} if kind == "recovery" else {},
            )
    if error is not None:
        raise ApplicationError(error, field="code")
    return Verification(
        device=device, used_recovery_code=kind == "recovery", recovery_codes_left=left
    )


def recovery_codes_regenerate(*, user: User, code: str) -> list[str]:
    """New recovery codes, after a code from the app (or a recovery code); the old ones stop
    working."""
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        event_record(actor=user, kind=EventKind.TWO_FACTOR_RECOVERY_CODES_REGENERATED, target=user)
    return codes


def two_factor_remove(*, user: User, code: str) -> None:
    """Switch two-factor sign-in off (not allowed for the roles that must use it). API tokens
    that were issued on its strength stop counting as verified."""
    if requires_two_factor(user):
        raise ApplicationError(MUST_KEEP)
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).update(two_factor_device="")
        event_record(actor=user, kind=EventKind.TWO_FACTOR_REMOVED, target=user)


@transaction.atomic
def two_factor_demo_enrol(*, user: User) -> list[str]:
    """For the invented demo logins only: two-factor sign-in switched on with an app secret that
    nobody holds, so the demo is signed into with a recovery code and a real app can then be set
    up from the account page. Idempotent: returns the recovery codes still unused, making a new
    set when none are left."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=True)
        codes = _recovery_codes_replace(user)
        event_record(
            actor=user, kind=EventKind.TWO_FACTOR_ENROLLED, target=user, detail={"demo": True}
        )
        return codes
    codes = list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )
    if not codes:
        codes = _recovery_codes_replace(user)
        event_record(actor=user, kind=EventKind.TWO_FACTOR_RECOVERY_CODES_REGENERATED, target=user)
    return codes


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """An administrator's reset for someone who has lost both app and recovery codes: their
    devices go, every session of theirs ends and their API tokens are revoked (a session
    verified by the lost phone must not outlive it), and a manager is asked to set up a new app
    at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    event_record(
        actor=actor, kind=EventKind.TWO_FACTOR_REMOVED, target=user, detail={"reset": True}
    )
    user_sessions_end(actor=actor, user=user, reason=EventKind.TWO_FACTOR_REMOVED.value)
