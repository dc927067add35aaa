"""Resetting someone's two-factor sign-in, switching their account off, or changing their role
or team signs them out everywhere and revokes their API tokens, with one ``user.sessions_ended``
event each time. Sessions are ended by the epoch in the session's auth hash (accounts.sessions)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csafe.accounts import services, two_factor
from csafe.accounts.models import ApiToken, Role
from csafe.audit.models import Event, EventKind
from tests.two_factor import api_token_for, verify_client

pytestmark = pytest.mark.django_db

HOME = reverse("workspace:home")
API = "/api/v1/harm-types/"
LOGIN = reverse("accounts:login")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_client(client, user)
    assert client.get(HOME).status_code == 200
    return client


def _signed_out(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def _reset_two_factor(administrator, user, team_b):
    two_factor.two_factor_reset(actor=administrator, user=user)


def _switch_off(administrator, user, team_b):
    services.user_update(
        actor=administrator, user=user, role=user.role, team=user.team, is_active=False
    )


def _new_role(administrator, user, team_b):
    services.user_update(actor=administrator, user=user, role=Role.PRACTITIONER, team=user.team)


def _new_team(administrator, user, team_b):
    services.user_update(actor=administrator, user=user, role=user.role, team=team_b)


EVENTS = {
    _reset_two_factor: EventKind.TWO_FACTOR_REMOVED,
    _switch_off: EventKind.USER_DEACTIVATED,
    _new_role: EventKind.USER_ROLE_CHANGED,
    _new_team: EventKind.USER_TEAM_CHANGED,
}


@pytest.mark.parametrize("change", list(EVENTS), ids=lambda f: f.__name__.strip("_"))
def test_the_change_ends_every_session_and_token_of_that_person_only(
    change, administrator, team_manager, teammate, team_b
):
    first, second = _signed_in(team_manager), _signed_in(team_manager)
    key = api_token_for(team_manager)
    bystander = _signed_in(teammate)
    bystander_key = api_token_for(teammate)
    admin_session = _signed_in(administrator)

    change(administrator, team_manager, team_b)

    assert _signed_out(first) and _signed_out(second)
    assert Client().get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert ApiToken.objects.get(user=team_manager).revoked_at is not None  # kept, not deleted
    # Nobody else is touched, the acting administrator included.
    assert bystander.get(HOME).status_code == 200
    assert Client().get(API, HTTP_AUTHORIZATION=f"Token {bystander_key}").status_code == 200
    assert admin_session.get(HOME).status_code == 200
    (ended,) = Event.objects.filter(
        kind=EventKind.USER_SESSIONS_ENDED, target_id=str(team_manager.pk)
    )
    assert (ended.actor, ended.detail) == (
        administrator,
        {"reason": EVENTS[change].value, "api_tokens_revoked": 1},
    )


def test_a_change_of_role_and_team_at_once_ends_sessions_once(administrator, practitioner, team_b):
    services.user_update(
        actor=administrator, user=practitioner, role=Role.TEAM_MANAGER, team=team_b
    )
    assert (
        Event.objects.filter(
            kind=EventKind.USER_SESSIONS_ENDED, target_id=str(practitioner.pk)
        ).count()
        == 1
    )


def test_the_person_can_sign_in_again_afterwards(client, administrator, team_manager, password):
    old = _signed_in(team_manager)
    two_factor.two_factor_reset(actor=administrator, user=team_manager)
    assert _signed_out(old)
    response = client.post(LOGIN, {"username": team_manager.username, "password": password})
    assert response.status_code == 302
    # Two-factor sign-in was reset: a new app must be set up before anything else.
    assert client.get(HOME)["Location"] == reverse("accounts:two_factor_setup")


def test_an_administrator_resetting_in_the_admin_signs_the_person_out(
    client_for, administrator, team_manager
):
    theirs = _signed_in(team_manager)
    client_for(administrator).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [team_manager.pk]},
    )
    assert _signed_out(theirs)
