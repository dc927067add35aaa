"""A session left open is not enough to move someone's second factor or mint a token: replacing
the authenticator app and making an API token need the password entered again, and new recovery
codes need a current code."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csafe.accounts import two_factor
from csafe.accounts.passwords import PASSWORD_NOT_RIGHT
from csafe.core.errors import ApplicationError
from tests.two_factor import app_for, code_for

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:two_factor_setup")
NEW_CODES = reverse("accounts:two_factor_recovery_codes_new")


def test_replacing_the_app_without_the_password_is_refused(client_for, team_manager):
    old_app = app_for(team_manager)
    client = client_for(team_manager)
    page = client.get(SET_UP).content.decode()
    assert 'name="password"' in page
    new_app = TOTPDevice.objects.get(user=team_manager, confirmed=False)
    for password in ("", "a-wrong-password-123"):
        response = client.post(SET_UP, {"code": code_for(new_app), "password": password})
        assert response.status_code == 200
        content = response.content.decode()
        assert "There is a problem" in content
        expected = "Enter your password" if not password else PASSWORD_NOT_RIGHT
        assert expected in content
    assert list(TOTPDevice.objects.filter(user=team_manager, confirmed=True)) == [old_app]


def test_replacing_the_app_with_the_password_works(client_for, team_manager, password):
    app_for(team_manager)
    client = client_for(team_manager)
    client.get(SET_UP)
    new_app = TOTPDevice.objects.get(user=team_manager, confirmed=False)
    response = client.post(SET_UP, {"code": code_for(new_app), "password": password})
    assert response["Location"] == reverse("accounts:two_factor_recovery_codes")
    assert list(TOTPDevice.objects.filter(user=team_manager)) == [new_app]


def test_the_service_itself_asks_for_the_password_when_replacing(team_manager):
    app_for(team_manager)
    new_app = two_factor.totp_enrolment_start(user=team_manager)
    with pytest.raises(ApplicationError) as refused:
        two_factor.totp_enrolment_confirm(user=team_manager, device=new_app, code=code_for(new_app))
    assert (refused.value.message, refused.value.field) == (PASSWORD_NOT_RIGHT, "password")


def test_a_first_app_needs_no_password(client, team_manager, password):
    client.post(reverse("accounts:login"), {"username": "manager", "password": password})
    page = client.get(SET_UP).content.decode()
    assert 'name="password"' not in page
    device = TOTPDevice.objects.get(user=team_manager, confirmed=False)
    assert client.post(SET_UP, {"code": code_for(device)}).status_code == 302


def test_new_recovery_codes_need_a_current_code(client_for, team_manager):
    app_for(team_manager)
    response = client_for(team_manager).post(NEW_CODES, {"code": ""})
    assert "Enter the code from your authenticator app" in response.content.decode()
