"""The red-team path, closed: an administrator made a team-manager account with a password they
chose, signed in as it, set up an authenticator and opened the team's records. Now the admin
site takes no password, the account has none until the person follows their link, and what is
left (inviting an address the administrator controls) is written down and told to others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from csafe.accounts.models import Role, User
from csafe.audit.models import Event, EventKind
from csafe.notifications.models import Notification
from tests.accounts.account_support import ADD, add_data, change_data, change_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOSEN = "chosen-by-the-administrator-7"


def test_an_administrator_cannot_make_an_account_they_can_sign_in_as(
    client_for, administrator, team_a, team_manager, young_person
):
    other_admin = UserFactory(role=Role.ADMINISTRATOR, username="admin2")
    response = client_for(administrator).post(
        ADD,
        add_data(
            username="insider",
            role=Role.TEAM_MANAGER,
            team=team_a.pk,
            password1=CHOSEN,
            password2=CHOSEN,
            password=CHOSEN,
            usable_password="true",
        ),
    )
    assert response.status_code == 302
    made = User.objects.get(username="insider")
    assert not made.has_usable_password()
    assert not made.check_password(CHOSEN)
    attacker = Client()
    signed_in = attacker.post(
        reverse("accounts:login"), {"username": "insider", "password": CHOSEN}
    )
    assert signed_in.status_code == 200  # the sign-in form again, with its error
    assert "Enter a correct username and password." in signed_in.content.decode()
    assert attacker.get(reverse("cases:detail", args=[young_person.pk])).status_code == 302

    # What is left is visible: the account's creation names the administrator, and the team's
    # manager and every other administrator are told.
    created = Event.objects.get(kind=EventKind.USER_CREATED, target_id=str(made.pk))
    assert created.actor == administrator
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {team_manager.username, other_admin.username}


def test_an_administrator_cannot_give_an_existing_account_a_password(
    client_for, administrator, team_manager
):
    before = User.objects.get(pk=team_manager.pk).password
    client_for(administrator).post(
        change_url(team_manager),
        {**change_data(team_manager), "password": CHOSEN, "password1": CHOSEN},
    )
    assert User.objects.get(pk=team_manager.pk).password == before
    assert not User.objects.get(pk=team_manager.pk).check_password(CHOSEN)
