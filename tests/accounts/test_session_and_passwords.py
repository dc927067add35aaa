"""Idle sessions (on a fake clock), the password rules, and the sign-in lock-out limit."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from csafe import settings as csafe_settings

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
HOME = reverse("workspace:home")


class FakeClock:
    """Stands in for django.utils.timezone.now, which sessions use to stamp and check expiry."""

    def __init__(self):
        self.now = timezone.now()

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    fake = FakeClock()
    with mock.patch("django.utils.timezone.now", fake):
        yield fake


def test_a_session_lasts_while_it_is_used_and_ends_after_the_idle_time(
    client_for, team_manager, clock
):
    idle = settings.SESSION_IDLE_MINUTES
    client = client_for(team_manager)
    assert client.get(HOME).status_code == 200
    # Used just inside the idle time, again and again: still signed in well past it in total.
    for _ in range(3):
        clock.advance(minutes=idle - 1)
        assert client.get(HOME).status_code == 200
    clock.advance(minutes=idle, seconds=1)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/"


def test_the_idle_time_is_thirty_minutes_unless_configured():
    assert csafe_settings.env_int("CSAFE_SESSION_IDLE_MINUTES", 30) == settings.SESSION_IDLE_MINUTES
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def _messages(password: str, user=None) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return refused.value.messages


def test_a_short_password_is_refused():
    assert _messages("Tr0ub4dor&3") == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_a_common_password_is_refused():
    assert _messages("password1234") == ["This password is too common."]


def test_a_numeric_password_is_refused():
    assert _messages("839201746512") == ["This password is entirely numeric."]


def test_a_password_like_the_username_is_refused(practitioner):
    assert _messages("practitioner1", practitioner) == [
        "The password is too similar to the username."
    ]


def test_a_long_uncommon_password_is_accepted(practitioner):
    assert validate_password("kestrel-foundry-lantern-42", practitioner) is None


def test_the_lock_out_limit_is_configurable_and_five_by_default():
    assert csafe_settings.env_int("CSAFE_LOGIN_FAILURE_LIMIT", 5) == settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("limit", [3, 5])
def test_sign_in_locks_after_exactly_the_failure_limit(client, practitioner, password, limit):
    with mock.patch.object(settings, "AXES_FAILURE_LIMIT", limit):
        for _ in range(limit - 1):
            client.post(SIGN_IN, {"username": "practitioner", "password": "wrong-password-here"})
        # One short of the limit, the right password still works (and resets the count).
        assert (
            client.post(SIGN_IN, {"username": "practitioner", "password": password}).status_code
            == 302
        )
        client.post(reverse("accounts:logout"))
        for _ in range(limit):
            client.post(SIGN_IN, {"username": "practitioner", "password": "wrong-password-here"})
        locked = client.post(SIGN_IN, {"username": "practitioner", "password": password})
    assert locked.status_code == 429
    assert "You cannot sign in at the moment" in locked.content.decode()
    assert "_auth_user_id" not in client.session
