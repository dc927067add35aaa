"""Nobody but the person sets their password: an account made in the admin site has none, and
the person is e-mailed a single-use, expiring link to choose it; a reset is the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csafe.accounts import services
from csafe.accounts.models import Role, User
from csafe.accounts.passwords import account_link_tokens
from csafe.audit.models import Event, EventKind
from tests.accounts.account_support import ADD, add_data, link_path
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
FORGOT = reverse("accounts:password_forgot")
NEW_PASSWORD = "a-fresh-long-passphrase-42"


def _invite(client_for, administrator, capture, **changes):
    with capture(execute=True):
        response = client_for(administrator).post(ADD, add_data(**changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return User.objects.get(username=add_data(**changes)["username"])


def _set_password(client, path, password=NEW_PASSWORD, again=None):
    """Follow the link (Django moves the token into the session) and post the form."""
    opened = client.get(path)
    assert opened.status_code == 302
    form_url = opened["Location"]
    return client.post(
        form_url, {"new_password1": password, "new_password2": again or password}
    ), form_url


def test_the_add_form_has_no_password_field(client_for, administrator):
    response = client_for(administrator).get(ADD)
    fields = set(response.context["adminform"].form.fields)
    assert fields == {"username", "first_name", "last_name", "email", "role", "team"}
    assert 'type="password"' not in response.content.decode()


def test_an_account_made_in_admin_has_no_password_and_gets_an_invitation(
    client_for, administrator, team_a, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CSAFE_BASE_URL = "https://csafe.example"
    user = _invite(client_for, administrator, django_capture_on_commit_callbacks, team=team_a.pk)
    assert not user.has_usable_password()
    kinds = list(
        Event.objects.filter(target_id=str(user.pk)).order_by("pk").values_list("kind", "actor")
    )
    assert kinds == [
        (EventKind.USER_CREATED, administrator.pk),
        (EventKind.USER_INVITED, administrator.pk),
    ]
    (message,) = [m for m in mailoutbox if m.to == ["newperson@csafe.invalid"]]
    assert message.subject == "csafe: Set your password"
    assert "Your username is newperson." in message.body
    assert "The link works once and for 3 days." in message.body
    assert message.body.count("https://csafe.example/accounts/set-password/") == 1


def test_the_invitation_names_no_child(
    client_for, administrator, team_a, mailoutbox, django_capture_on_commit_callbacks
):
    child = YoungPersonFactory(first_name="Zebedee", last_name="Quintrell")
    _invite(client_for, administrator, django_capture_on_commit_callbacks, team=team_a.pk)
    for message in mailoutbox:
        assert child.first_name not in message.body and child.last_name not in message.body
        assert child.local_identifier not in message.body


def test_the_person_chooses_their_password_once_and_then_signs_in(
    client, client_for, administrator, team_a, mailoutbox, django_capture_on_commit_callbacks
):
    user = _invite(client_for, administrator, django_capture_on_commit_callbacks, team=team_a.pk)
    path = link_path(next(m for m in mailoutbox if m.to == [user.email]))
    client.logout()
    response, form_url = _set_password(client, path)
    assert response["Location"] == SIGN_IN
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    event = Event.objects.get(kind=EventKind.USER_PASSWORD_SET)
    assert (event.actor, event.target_id) == (user, str(user.pk))
    signed_in = client.post(SIGN_IN, {"username": user.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    # Spent: the same link (and the form it led to) no longer works.
    client.logout()
    again = client.get(path)
    assert again.status_code == 200
    assert 'data-testid="link-not-valid"' in again.content.decode()
    assert not User.objects.get(pk=user.pk).check_password("another-long-passphrase-9")


def test_a_weak_password_gets_the_validators_errors_in_a_govuk_summary(client, practitioner):
    path = _path_for(practitioner)
    response, _ = _set_password(client, path, password="password")
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content
    assert "This password is too short. It must contain at least 12 characters." in content
    assert "This password is too common." in content
    assert 'href="#id_new_password1"' in content


def test_passwords_that_differ_are_refused(client, practitioner):
    response, _ = _set_password(client, _path_for(practitioner), again="something-else-entirely")
    assert response.status_code == 400
    assert "The passwords do not match" in response.content.decode()
    practitioner.refresh_from_db()
    assert not practitioner.check_password(NEW_PASSWORD)


def _path_for(user) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": account_link_tokens.make_token(user),
        },
    )


def test_a_link_expires_after_the_invitation_days(client, practitioner, settings, monkeypatch):
    path = _path_for(practitioner)
    later = timezone.now() + timedelta(days=settings.CSAFE_INVITATION_DAYS, minutes=1)
    monkeypatch.setattr(type(account_link_tokens), "_now", lambda self: later.replace(tzinfo=None))
    response = client.get(path)
    assert 'data-testid="link-not-valid"' in response.content.decode()


def test_a_link_stops_working_when_the_account_is_switched_off(client, practitioner, administrator):
    path = _path_for(practitioner)
    services.user_update(
        actor=administrator,
        user=practitioner,
        role=practitioner.role,
        team=practitioner.team,
        is_active=False,
    )
    assert 'data-testid="link-not-valid"' in client.get(path).content.decode()


def test_a_tampered_link_does_not_work(client, practitioner, teammate):
    path = _path_for(practitioner)
    other = _path_for(teammate)
    # practitioner's uid with teammate's token
    mixed = "/".join(path.split("/")[:4] + other.split("/")[4:])
    assert 'data-testid="link-not-valid"' in client.get(mixed).content.decode()


# --- Forgotten password: the same answer whether or not the address has an account -----------


def _forgot(client, capture, email):
    with capture(execute=True):
        return client.post(FORGOT, {"email": email})


def test_forgot_password_answers_alike_and_sends_only_to_a_real_account(
    client, practitioner, mailoutbox, django_capture_on_commit_callbacks
):
    known = _forgot(client, django_capture_on_commit_callbacks, practitioner.email.upper())
    unknown = _forgot(client, django_capture_on_commit_callbacks, "nobody@csafe.invalid")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert [m.to for m in mailoutbox] == [[practitioner.email]]
    assert mailoutbox[0].subject == "csafe: Reset your password"
    event = Event.objects.get(kind=EventKind.USER_PASSWORD_RESET_SENT)
    assert (event.actor, event.detail) == (None, {"asked_by": "self"})


def test_forgot_password_sends_nothing_to_an_account_switched_off(
    client, practitioner, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    services.user_update(
        actor=administrator,
        user=practitioner,
        role=practitioner.role,
        team=practitioner.team,
        is_active=False,
    )
    mailoutbox.clear()
    response = _forgot(client, django_capture_on_commit_callbacks, practitioner.email)
    assert 'data-testid="reset-sent"' in response.content.decode()
    assert mailoutbox == []


def test_forgot_password_without_an_address_is_a_govuk_error(client):
    response = client.post(FORGOT, {"email": ""})
    assert response.status_code == 400
    assert "Enter your e-mail address" in response.content.decode()


def test_the_sign_in_page_links_to_forgotten_password(client):
    assert f'href="{FORGOT}"' in client.get(SIGN_IN).content.decode()


def test_an_administrator_can_send_a_reset_link_but_never_sees_it(
    client_for, administrator, practitioner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_link", "_selected_action": [practitioner.pk]},
            follow=True,
        )
    content = response.content.decode()
    assert "A link to choose a password was sent to 1 account(s)." in content
    assert "/accounts/set-password/" not in content
    (message,) = mailoutbox
    assert message.to == [practitioner.email]
    assert Event.objects.get(kind=EventKind.USER_PASSWORD_RESET_SENT).actor == administrator


def test_an_invitation_is_resent_to_someone_who_never_chose_a_password(
    client_for, administrator, team_a, mailoutbox, django_capture_on_commit_callbacks
):
    user = services.user_create(
        actor=administrator,
        username="pending",
        first_name="Pen",
        last_name="Ding",
        email="pending@csafe.invalid",
        role=Role.PRACTITIONER,
        team=team_a,
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(administrator).post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_link", "_selected_action": [user.pk]},
        )
    assert [m.subject for m in mailoutbox if m.to == [user.email]] == ["csafe: Set your password"]
    assert Event.objects.filter(kind=EventKind.USER_INVITED, target_id=str(user.pk)).count() == 1
