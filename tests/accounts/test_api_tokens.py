"""API tokens: named, several per person, made only with the password entered again, stored as a
digest, expiring after CSAFE_API_TOKEN_DAYS, listed and revoked by their owner only (revoked
tokens are kept), and refused with 401 "Invalid token." once expired or revoked."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csafe.accounts import api_tokens
from csafe.accounts.models import ApiToken
from csafe.audit.models import Event, EventKind

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:api_token")
API = "/api/v1/harm-types/"


def _revoke_url(token) -> str:
    return reverse("accounts:api_token_revoke", args=[token.pk])


def _make(client, password, name="Integration with X"):
    return client.post(TOKENS, {"name": name, "password": password})


def _key(response) -> str:
    found = re.search(r'<code data-testid="api-token">([^<]+)</code>', response.content.decode())
    assert found, "no token shown"
    return found.group(1)


def _api(key):
    return Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_is_made_with_the_password_and_shown_once(client_for, practitioner, password):
    client = client_for(practitioner)
    response = _make(client, password)
    assert response.status_code == 200
    key = _key(response)
    assert _api(key).status_code == 200
    listing = client.get(TOKENS).content.decode()
    assert key not in listing  # shown once
    token = ApiToken.objects.get(user=practitioner)
    assert token.name == "Integration with X"
    assert key.startswith(token.prefix) and token.prefix in listing
    assert "Integration with X" in listing


def test_the_key_is_stored_only_as_a_digest(client_for, practitioner, password):
    key = _key(_make(client_for(practitioner), password))
    token = ApiToken.objects.get(user=practitioner)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    secret = key[len(token.prefix) :]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored and key not in stored


def test_a_wrong_password_makes_no_token(client_for, practitioner):
    response = _make(client_for(practitioner), "not-my-password")
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Your password is not right. Enter the password you sign in with" in content
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(kind=EventKind.API_TOKEN_ISSUED).exists()


def test_a_token_needs_a_name_and_a_password(client_for, practitioner):
    response = client_for(practitioner).post(TOKENS, {})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter a name for the token" in content
    assert "Enter your password" in content
    assert not ApiToken.objects.exists()


def test_several_tokens_work_side_by_side(client_for, practitioner, password):
    client = client_for(practitioner)
    first = _key(_make(client, password, "One"))
    second = _key(_make(client, password, "Two"))
    assert _api(first).status_code == _api(second).status_code == 200


def test_a_token_expires_after_the_configured_days(client_for, practitioner, password, settings):
    settings.CSAFE_API_TOKEN_DAYS = 7
    key = _key(_make(client_for(practitioner), password))
    token = ApiToken.objects.get(user=practitioner)
    assert timedelta(days=7) - (token.expires_at - token.created_at) < timedelta(seconds=5)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _api(key)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}
    assert "Expired" in client_for(practitioner).get(TOKENS).content.decode()


def test_the_default_lifetime_is_ninety_days():
    from django.conf import settings

    assert settings.CSAFE_API_TOKEN_DAYS == 90


def test_the_owner_revokes_a_token_and_it_is_kept(client_for, practitioner, password):
    client = client_for(practitioner)
    key = _key(_make(client, password))
    token = ApiToken.objects.get(user=practitioner)
    response = client.post(_revoke_url(token))
    assert response.status_code == 302 and response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = _api(key)
    assert api.status_code == 401
    assert api.json() == {"detail": "Invalid token."}
    assert "Revoked" in client.get(TOKENS).content.decode()
    event = Event.objects.get(kind=EventKind.API_TOKEN_REVOKED)
    assert (event.actor, event.detail) == (practitioner, {"token": token.pk})
    # Revoking again changes nothing and writes nothing.
    client.post(_revoke_url(token))
    assert Event.objects.filter(kind=EventKind.API_TOKEN_REVOKED).count() == 1


def test_another_persons_token_cannot_be_revoked_or_seen(client_for, practitioner, teammate):
    theirs = api_tokens.api_token_create(user=teammate, name="Teammate's", verified_device_id=None)
    client = client_for(practitioner)
    assert client.post(_revoke_url(theirs.token)).status_code == 404
    assert "Teammate's" not in client.get(TOKENS).content.decode().replace("&#x27;", "'")
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None
    assert _api(theirs.key).status_code == 200


def test_revoking_is_a_post(client_for, practitioner):
    token = api_tokens.api_token_create(user=practitioner, name="T", verified_device_id=None).token
    assert client_for(practitioner).get(_revoke_url(token)).status_code == 405


def test_anonymous_users_are_sent_to_sign_in(client, practitioner):
    token = api_tokens.api_token_create(user=practitioner, name="T", verified_device_id=None).token
    for response in (client.get(TOKENS), client.post(_revoke_url(token))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_unknown_key_is_an_invalid_token():
    response = _api("csafe_00000000_not-a-real-key")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_the_token_list_takes_a_fixed_number_of_queries(
    client_for, practitioner, django_assert_max_num_queries
):
    client = client_for(practitioner)
    api_tokens.api_token_create(user=practitioner, name="A", verified_device_id=None)
    with django_assert_max_num_queries(20) as one:
        client.get(TOKENS)
    for n in range(5):
        api_tokens.api_token_create(user=practitioner, name=f"B{n}", verified_device_id=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(TOKENS)
