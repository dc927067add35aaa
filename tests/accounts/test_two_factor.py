"""Two-factor sign-in: who must use it, setting it up, codes and recovery codes, throttling, the
audit trail, and the API tokens of the roles that must use it."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from csafe.accounts import api_tokens, two_factor
from csafe.accounts.api_auth import UNVERIFIED_TOKEN
from csafe.accounts.models import ApiToken, Role
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from tests.factories import UserFactory
from tests.two_factor import app_for, code_for, fresh_code_for

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"
HOME = reverse("workspace:home")
VERIFY = reverse("accounts:two_factor_verify")
SET_UP = reverse("accounts:two_factor_setup")
CODES = reverse("accounts:two_factor_recovery_codes")
NEW_CODES = reverse("accounts:two_factor_recovery_codes_new")
SWITCH_OFF = reverse("accounts:two_factor_remove")
ACCOUNT = reverse("accounts:account")
API_TOKEN = reverse("accounts:api_token")
API = "/api/v1/harm-types/"
PRIVILEGED = [Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.ADMINISTRATOR]
TEAM_ROLES = {Role.PRACTITIONER, Role.TEAM_MANAGER}


def _user(role, team_a):
    return UserFactory(role=role, team=team_a if role in TEAM_ROLES else None)


def _password_sign_in(client, user, password):
    response = client.post(SIGN_IN, {"username": user.username, "password": password})
    assert response.status_code == 302, "the password step was refused"
    return response


def _kinds(user) -> list[str]:
    return list(
        Event.objects.filter(actor=user, kind__startswith="two_factor.")
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def _wait_out_the_lock(user) -> None:
    """Move the last failure an hour back, as if the person waited before trying again."""
    earlier = timezone.now() - timedelta(hours=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=earlier)


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """An app set up through the service, as the set-up page does; returns it and the codes."""
    device = two_factor.totp_enrolment_start(user=user)
    result = two_factor.totp_enrolment_confirm(user=user, device=device, code=code_for(device))
    return result.device, result.recovery_codes


# --- Who must use it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", PRIVILEGED)
def test_managers_and_administrators_without_an_app_are_sent_to_set_one_up(
    client, team_a, password, role
):
    user = _user(role, team_a)
    _password_sign_in(client, user, password)
    pages = [
        HOME,
        reverse("notifications:list"),
        ACCOUNT,
        API_TOKEN,
        VERIFY,
        "/admin/",
        "/api/docs/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SET_UP, path
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert "must use two-factor sign-in. You need to set it up before you can continue" in (
        page.content.decode()
    )


@pytest.mark.parametrize("role", PRIVILEGED)
def test_an_unverified_manager_session_is_refused_by_the_api(client, team_a, password, role):
    user = _user(role, team_a)
    _password_sign_in(client, user, password)
    response = client.get(API)
    assert response.status_code == 403
    assert response.json() == {"detail": "Set up two-factor sign-in before using the API."}


def test_sign_out_and_the_health_check_stay_open_before_the_second_step(
    client, team_manager, password
):
    _password_sign_in(client, team_manager, password)
    assert client.get(reverse("healthz")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert "_auth_user_id" not in client.session


def test_a_practitioner_without_an_app_signs_in_with_a_password_alone(
    client, practitioner, password
):
    _password_sign_in(client, practitioner, password)
    assert client.get(HOME).status_code == 200
    assert client.get(VERIFY)["Location"] == HOME


def test_anonymous_visitors_are_sent_to_sign_in_from_every_two_factor_page(client):
    for path in [ACCOUNT, VERIFY, SET_UP, CODES, NEW_CODES, SWITCH_OFF, API_TOKEN]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SIGN_IN}?next={path}", path


# --- Setting up an app ------------------------------------------------------------------------


def test_set_up_page_shows_a_qr_code_without_inline_style_and_the_key_to_type(
    client, team_manager, password
):
    _password_sign_in(client, team_manager, password)
    content = client.get(SET_UP).content.decode()
    device = TOTPDevice.objects.get(user=team_manager, confirmed=False)
    svg = re.search(r"<svg .*?</svg>", content, re.S).group(0)
    assert 'role="img"' in svg
    assert "style" not in svg.lower()  # the CSP forbids inline style
    assert "<script" not in svg.lower()
    secret = two_factor.secret_for_typing(device)
    assert f'<code class="csafe-secret" data-testid="totp-secret">{secret}</code>' in content
    # Reloading keeps the same secret, so a scan made from the first load still works.
    client.get(SET_UP)
    assert TOTPDevice.objects.filter(user=team_manager).count() == 1


def test_a_wrong_set_up_code_is_refused_and_logged(client, team_manager, password):
    _password_sign_in(client, team_manager, password)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    content = response.content.decode()
    assert response.status_code == 200
    assert (
        "The code is not right. Check that the time on your phone is set automatically, "
        "then enter the newest 6-digit code" in content
    )
    assert not TOTPDevice.objects.filter(user=team_manager, confirmed=True).exists()
    assert _kinds(team_manager) == [EventKind.TWO_FACTOR_FAILED]


def test_setting_up_an_app_shows_ten_recovery_codes_once_and_opens_the_service(
    client, team_manager, password
):
    _password_sign_in(client, team_manager, password)
    client.get(SET_UP)
    old_key = client.session.session_key
    device = TOTPDevice.objects.get(user=team_manager)
    response = client.post(SET_UP, {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == CODES
    assert client.session.session_key != old_key  # a new session key once verified

    shown = client.get(CODES).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    stored = set(StaticToken.objects.filter(device__user=team_manager).values_list("token", flat=1))
    assert len(codes) == 10
    assert set(codes) == stored
    assert "These codes are shown only once" in shown
    again = client.get(CODES).content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", again))
    assert "Recovery codes are shown only once, when they are made" in again

    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200
    assert _kinds(team_manager) == [EventKind.TWO_FACTOR_ENROLLED]


def test_a_practitioner_may_set_up_an_app_from_the_account_page(client_for, practitioner):
    client = client_for(practitioner)
    account = client.get(ACCOUNT).content.decode()
    assert "Two-factor sign-in is off" in account
    assert f'href="{SET_UP}"' in account
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=practitioner)
    assert client.post(SET_UP, {"code": code_for(device)})["Location"] == CODES
    assert "Two-factor sign-in is on" in client.get(ACCOUNT).content.decode()


def test_a_new_app_replaces_the_old_one_and_its_recovery_codes(client_for, practitioner, password):
    old_app, old_codes = _enrolled(practitioner)
    client = client_for(practitioner)  # verified, since the practitioner now has an app
    assert "Set up a new authenticator app" in client.get(SET_UP).content.decode()
    new_app = TOTPDevice.objects.get(user=practitioner, confirmed=False)
    client.post(SET_UP, {"code": code_for(new_app), "password": password})
    assert list(TOTPDevice.objects.filter(user=practitioner)) == [new_app]
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    assert not TOTPDevice.objects.filter(pk=old_app.pk).exists()


# --- The code at sign-in ----------------------------------------------------------------------


def test_a_person_with_an_app_is_asked_for_a_code_after_the_password(
    client, practitioner, password
):
    device, _ = _enrolled(practitioner)
    client.post(SIGN_IN, {"username": "practitioner", "password": password, "next": "/contexts/"})
    response = client.get("/contexts/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fcontexts%2F"
    # Owing a code, one cannot set up another app to get round it.
    assert client.get(SET_UP)["Location"] == f"{VERIFY}?next=%2Faccounts%2Ftwo-factor%2Fset-up%2F"
    api = client.get(API)
    assert api.status_code == 403
    assert api.json() == {"detail": "Enter your two-factor sign-in code before using the API."}

    page = client.get(VERIFY + "?next=/contexts/").content.decode()
    assert '<h1 class="govuk-heading-l">Enter your sign-in code</h1>' in page
    response = client.post(VERIFY, {"code": fresh_code_for(device), "next": "/contexts/"})
    assert response.status_code == 302
    assert response["Location"] == "/contexts/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/contexts/").status_code == 200
    assert _kinds(practitioner)[-1] == EventKind.TWO_FACTOR_VERIFIED


def test_next_is_ignored_when_it_leaves_the_site(client, practitioner, password):
    device, _ = _enrolled(practitioner)
    _password_sign_in(client, practitioner, password)
    response = client.post(
        VERIFY, {"code": fresh_code_for(device), "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == HOME


def test_a_wrong_code_is_refused_with_a_clear_message_and_logged(client, practitioner, password):
    _enrolled(practitioner)
    _password_sign_in(client, practitioner, password)
    response = client.post(VERIFY, {"code": "123456"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter your sign-in code" in content
    assert (
        '<a href="#id_code">The code is not right. Enter the newest 6-digit code from your '
        "authenticator app, or one of your recovery codes</a>" in content
    )
    assert DEVICE_ID_SESSION_KEY not in client.session
    failed = Event.objects.filter(actor=practitioner, kind=EventKind.TWO_FACTOR_FAILED).get()
    assert failed.detail == {"step": "sign_in", "method": "app", "failures": 1}


def test_an_empty_or_malformed_code_gets_a_message_and_uses_no_attempt(
    client, practitioner, password
):
    device, _ = _enrolled(practitioner)
    _password_sign_in(client, practitioner, password)
    empty = client.post(VERIFY, {"code": ""}).content.decode()
    assert "Enter the code from your authenticator app" in empty
    odd = client.post(VERIFY, {"code": "12<b>"}).content.decode()
    assert (
        "Enter the 6-digit code from your authenticator app, or an 8-character recovery code" in odd
    )
    assert "<b>" not in odd.split("<main", 1)[1].split("Enter the 6-digit", 1)[0][-200:]
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_codes_lock_the_app_for_longer_each_time(client, practitioner, password):
    device, _ = _enrolled(practitioner)
    _password_sign_in(client, practitioner, password)
    failures = 3
    for _ in range(failures):
        # Each try waits out the previous lock, so every one is a real attempt.
        _wait_out_the_lock(practitioner)
        client.post(VERIFY, {"code": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == failures

    # Locked for 2**(3-1) = 4 seconds: even the right code is refused.
    refused = client.post(VERIFY, {"code": fresh_code_for(device)}).content.decode()
    assert "You have entered too many wrong codes. Wait 4 seconds, then try again" in refused
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert Event.objects.filter(actor=practitioner, kind=EventKind.TWO_FACTOR_FAILED).count() == 4

    later = timezone.now() + timedelta(seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        accepted = client.post(VERIFY, {"code": code_for(device)})
    assert accepted["Location"] == HOME
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_lock_survives_signing_in_again(client, practitioner, password):
    device, _ = _enrolled(practitioner)
    _password_sign_in(client, practitioner, password)
    client.post(VERIFY, {"code": "000000"})
    client.post(reverse("accounts:logout"))
    _password_sign_in(client, practitioner, password)
    refused = client.post(VERIFY, {"code": code_for(device)}).content.decode()
    assert "You have entered too many wrong codes. Wait 1 second, then try again" in refused


def test_a_recovery_code_works_once(client, team_manager, password):
    _, codes = _enrolled(team_manager)
    _password_sign_in(client, team_manager, password)
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert response["Location"] == HOME
    home = client.get(HOME).content.decode()
    assert "You used a recovery code. It cannot be used again: you have 9 left." in home
    used = Event.objects.filter(actor=team_manager, kind=EventKind.TWO_FACTOR_RECOVERY_CODE_USED)
    assert used.get().detail == {"recovery_codes_left": 9}

    client.post(reverse("accounts:logout"))
    _password_sign_in(client, team_manager, password)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert "The code is not right." in again.content.decode()


def test_signing_in_again_asks_for_a_code_again(client, practitioner, password):
    device, _ = _enrolled(practitioner)
    _password_sign_in(client, practitioner, password)
    client.post(VERIFY, {"code": fresh_code_for(device)})
    assert DEVICE_ID_SESSION_KEY in client.session
    # Django keeps a session's data when the same person signs in on it again (the admin's
    # sign-in page would do so); the second step must still be asked for afresh.
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(HOME)["Location"] == f"{VERIFY}?next=%2F"


# --- Recovery codes and switching off ---------------------------------------------------------


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones(client_for, team_manager):
    device, old_codes = _enrolled(team_manager)
    client = client_for(team_manager)
    wrong = client.post(NEW_CODES, {"code": "000000"})
    assert "The code is not right." in wrong.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old_codes)
    _wait_out_the_lock(team_manager)
    response = client.post(NEW_CODES, {"code": fresh_code_for(device)})
    assert response["Location"] == CODES
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(CODES).content.decode())
    assert len(codes) == 10
    assert not set(codes) & set(old_codes)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    assert _kinds(team_manager)[-1] == EventKind.TWO_FACTOR_RECOVERY_CODES_REGENERATED


@pytest.mark.parametrize("role", PRIVILEGED)
def test_managers_and_administrators_cannot_switch_two_factor_off(client_for, team_a, role):
    user = _user(role, team_a)
    device, _ = _enrolled(user)
    client = client_for(user)
    assert "Switch off two-factor sign-in" not in client.get(ACCOUNT).content.decode()
    page = client.get(SWITCH_OFF).content.decode()
    assert "must use two-factor sign-in, so it cannot be switched off" in page
    client.post(SWITCH_OFF, {"code": fresh_code_for(device)})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    with pytest.raises(ApplicationError) as refused:
        two_factor.two_factor_remove(user=user, code=fresh_code_for(device))
    assert refused.value.message == two_factor.MUST_KEEP


def test_a_practitioner_may_switch_two_factor_off_with_a_code(client_for, practitioner):
    device, _ = _enrolled(practitioner)
    client = client_for(practitioner)
    token = _token(practitioner, device)
    assert "The code is not right." in client.post(SWITCH_OFF, {"code": "000000"}).content.decode()
    _wait_out_the_lock(practitioner)
    response = client.post(SWITCH_OFF, {"code": fresh_code_for(device)})
    assert response["Location"] == ACCOUNT
    assert "Two-factor sign-in is switched off" in client.get(ACCOUNT).content.decode()
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert not StaticDevice.objects.filter(user=practitioner).exists()
    token.refresh_from_db()
    assert token.two_factor_device == ""
    assert _kinds(practitioner)[-1] == EventKind.TWO_FACTOR_REMOVED
    assert client.get(HOME).status_code == 200


# --- API tokens -------------------------------------------------------------------------------


def _api(client, key):
    return client.get(API, HTTP_AUTHORIZATION=f"Token {key}")


def _token(user, device=None) -> ApiToken:
    verified_by = device.persistent_id if device is not None else None
    return api_tokens.api_token_create(user=user, name="Test", verified_device_id=verified_by).token


def _issued_key(response) -> str:
    found = re.search(r'<code data-testid="api-token">([^<]+)</code>', response.content.decode())
    assert found, "the new token is not shown"
    return found.group(1)


@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_token_issued_after_two_factor_sign_in_works_for_managers(
    client_for, client, team_a, role, password
):
    user = _user(role, team_a)
    signed_in = client_for(user)
    response = signed_in.post(API_TOKEN, {"name": "Sync", "password": password})
    key = _issued_key(response)
    token = ApiToken.objects.get(user=user)
    assert token.two_factor_device == app_for(user).persistent_id
    signed_in.post(reverse("accounts:logout"))
    assert _api(client, key).status_code == 200
    detail = Event.objects.filter(actor=user, kind=EventKind.API_TOKEN_ISSUED).get().detail
    assert detail == {
        "token": token.pk,
        "two_factor_verified": True,
        "expires_at": token.expires_at.isoformat(),
    }


@pytest.mark.parametrize("role", PRIVILEGED)
def test_a_manager_token_made_without_two_factor_is_refused(client, team_a, role):
    user = _user(role, team_a)
    app_for(user)
    # A token row without a verifying device, as a token made before a change of role.
    issued = api_tokens.api_token_create(user=UserFactory(), name="Test", verified_device_id=None)
    ApiToken.objects.filter(pk=issued.token.pk).update(user=user)
    response = _api(client, issued.key)
    assert response.status_code == 403
    assert response.json() == {"detail": UNVERIFIED_TOKEN}


def test_a_practitioner_token_works_without_two_factor_until_they_become_a_manager(
    client_for, client, practitioner, password
):
    response = client_for(practitioner).post(API_TOKEN, {"name": "Sync", "password": password})
    key = _issued_key(response)
    assert ApiToken.objects.get(user=practitioner).two_factor_device == ""
    client.logout()
    assert _api(client, key).status_code == 200
    practitioner.role = Role.TEAM_MANAGER
    practitioner.save(update_fields=["role"])
    assert _api(client, key).status_code == 403


def test_the_service_refuses_a_manager_token_without_a_verified_session(team_manager, password):
    with pytest.raises(ApplicationError) as refused:
        api_tokens.api_token_issue(
            user=team_manager, name="Sync", password=password, verified_device_id=None
        )
    assert refused.value.message == "Sign in with two-factor sign-in before asking for an API token"
    assert not ApiToken.objects.filter(user=team_manager).exists()


def test_token_authentication_still_takes_one_query(
    client, practitioner, django_assert_num_queries
):
    key = api_tokens.api_token_create(user=practitioner, name="T", verified_device_id=None).key
    from csafe.accounts.api_auth import VerifiedTokenAuthentication

    with django_assert_num_queries(1):  # the live token with its user, joined
        user, _ = VerifiedTokenAuthentication().authenticate_credentials(key)
    assert user == practitioner


def test_a_verified_session_costs_no_extra_query(client_for, team_manager):
    """The middleware reads the session only: compare a verified manager's request with a
    practitioner's, who owes nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(team_manager)
    client.get(ACCOUNT)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notifications:list"))
    assert not [q for q in queries.captured_queries if "otp_" in q["sql"]]


# --- Demo logins, the administrator's reset, the header link ----------------------------------


def test_demo_enrolment_is_idempotent_and_gives_codes_to_sign_in_with(
    client, team_manager, password
):
    codes = two_factor.two_factor_demo_enrol(user=team_manager)
    assert len(codes) == 10
    assert two_factor.two_factor_demo_enrol(user=team_manager) == codes
    assert TOTPDevice.objects.filter(user=team_manager, confirmed=True).count() == 1
    _password_sign_in(client, team_manager, password)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == HOME
    assert two_factor.two_factor_demo_enrol(user=team_manager) == codes[1:]


def test_an_administrator_can_reset_someone_who_lost_their_phone(
    client_for, administrator, team_manager
):
    device, _ = _enrolled(team_manager)
    token = _token(team_manager, device)
    response = client_for(administrator).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [team_manager.pk]},
        follow=True,
    )
    assert "Two-factor sign-in reset for 1 account(s)" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=team_manager).exists()
    assert not StaticDevice.objects.filter(user=team_manager).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    reset = Event.objects.get(kind=EventKind.TWO_FACTOR_REMOVED, target_id=str(team_manager.pk))
    assert (reset.actor, reset.detail) == (administrator, {"reset": True})


def test_every_page_links_to_the_account_page(client_for, practitioner):
    content = client_for(practitioner).get(HOME).content.decode()
    assert f'<a class="moj-header__navigation-link" href="{ACCOUNT}">Your account</a>' in content
