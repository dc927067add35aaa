"""The notification settings page: every signed-in person sets their own e-mail choice, and
only their own; anonymous visitors are sent to sign in."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from csafe.notifications import selectors
from csafe.notifications.models import EmailChoice, NotificationPreference
from tests.harms.helpers import EVERYONE, messages_of, sign_in_redirect
from tests.html_pages import page_of

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")
MESSAGE = "Choose how you want to be e-mailed about your notifications"


def checked(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="email" value="(\w+)"[^>]* checked>', page)


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_sets_their_own_choice(client_for, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)

    page = page_of(client.get(SETTINGS))
    assert "Notification settings" in page
    assert checked(page) == ["immediate"]

    response = client.post(SETTINGS, {"email": "daily"}, follow=True)

    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert messages_of(response) == ["Your notification settings have been saved"]
    assert selectors.email_choice_for_user(user=user) == EmailChoice.DAILY
    assert checked(page_of(client.get(SETTINGS))) == ["daily"]


def test_another_persons_choice_can_never_be_changed(client_for, practitioner, teammate):
    client = client_for(practitioner)
    # Whatever is posted beside the choice, the page sets the signed-in person's own.
    for extra in [{"user": teammate.pk}, {"user_id": teammate.pk}, {"recipient": teammate.pk}]:
        client.post(SETTINGS, {"email": "none", **extra})
        client.post(f"{SETTINGS}?user={teammate.pk}", {"email": "none", **extra})

    assert not NotificationPreference.objects.filter(user=teammate).exists()
    assert selectors.email_choice_for_user(user=practitioner) == EmailChoice.NONE


@pytest.mark.parametrize("posted", [{}, {"email": ""}, {"email": "hourly"}])
def test_no_choice_or_an_unknown_one_is_refused(client_for, practitioner, posted):
    response = client_for(practitioner).post(SETTINGS, posted)

    assert response.status_code == 400
    assert response.context["form"].error_summary_items() == [
        {"message": MESSAGE, "href": "#id_email_0"}
    ]
    page = page_of(response)
    assert "<title>Error: Notification settings" in page
    assert page.count(MESSAGE) == 2  # the summary and beside the radios
    assert not NotificationPreference.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(SETTINGS)["Location"] == sign_in_redirect(SETTINGS)
    assert client.post(SETTINGS, {"email": "none"})["Location"] == sign_in_redirect(SETTINGS)
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("page", ["notifications:list", "accounts:account"])
def test_reached_from_notifications_and_the_account_page(client_for, practitioner, page):
    html = page_of(client_for(practitioner).get(reverse(page)))
    assert f'href="{SETTINGS}">Notification settings</a>' in html
