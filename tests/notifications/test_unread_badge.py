"""The unread count in the service navigation: an MOJ notification badge on the Notifications link,
counting the signed-in user's own unread notifications, on every page, and gone once they are
all read."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from csafe.notifications import services
from csafe.notifications.models import NotificationKind
from tests.harms.helpers import EVERYONE, detail_url, page_of, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark_all_read")

_BADGE = re.compile(
    r'<span class="moj-notification-badge" data-testid="unread-count">(.*?)</span></span>', re.S
)
_NAV_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(.*?)</a>', re.S
)


def notify(recipient, key: str):
    notification, _ = services.notification_create(
        recipient=recipient,
        kind=NotificationKind.FLAG_REVIEW_DUE,
        title="Harm flag review overdue for TST000123",
        body="The Gangs flag on TST000123 was due for review.",
        url="/",
        dedupe_key=key,
    )
    return notification


def badges(response) -> list[str]:
    """The text of every unread badge on the page, visually hidden words included."""
    return [text_of(body + "</span>") for body in _BADGE.findall(page_of(response))]


def nav_links(response) -> dict[str, str]:
    """{href: accessible text} for the service navigation's links."""
    return {href: text_of(body) for href, body in _NAV_LINK.findall(page_of(response))}


class TestBadge:
    @pytest.mark.parametrize("role_holder", EVERYONE)
    def test_shows_the_users_unread_count_on_the_notifications_link(
        self, request, client_for, role_holder
    ):
        user = request.getfixturevalue(role_holder)
        for key in "abc":
            notify(user, key)

        response = client_for(user).get("/")

        assert badges(response) == ["3 unread"]
        assert nav_links(response)[LIST] == "Notifications 3 unread"
        # The number alone is what sighted users see; the words are for screen readers.
        assert (
            '<span class="moj-notification-badge" data-testid="unread-count">3'
            '<span class="govuk-visually-hidden"> unread</span></span>'
        ) in page_of(response)

    def test_no_badge_without_unread_notifications(self, client_for, practitioner):
        response = client_for(practitioner).get("/")

        assert badges(response) == []
        assert nav_links(response)[LIST] == "Notifications"

    def test_read_notifications_do_not_count(self, client_for, practitioner):
        opened = notify(practitioner, "a")
        notify(practitioner, "b")
        services.notification_mark_read(user=practitioner, notification=opened)

        assert badges(client_for(practitioner).get("/")) == ["1 unread"]

    def test_shows_on_every_page(self, client_for, practitioner, young_person):
        notify(practitioner, "a")
        notify(practitioner, "b")
        client = client_for(practitioner)

        for path in ["/", reverse("cases:caseload"), detail_url(young_person), LIST]:
            assert badges(client.get(path)) == ["2 unread"], path

    def test_the_active_notifications_link_keeps_its_badge(self, client_for, practitioner):
        notify(practitioner, "a")

        response = client_for(practitioner).get(LIST)

        assert nav_links(response)[LIST] == "Notifications 1 unread"
        assert 'aria-current="true"' in page_of(response).split(f'href="{LIST}"')[1][:40]

    def test_opening_one_lowers_the_count(self, client_for, practitioner):
        first = notify(practitioner, "a")
        notify(practitioner, "b")
        client = client_for(practitioner)

        client.post(reverse("notifications:open", args=[first.pk]))

        assert badges(client.get(LIST)) == ["1 unread"]

    def test_disappears_after_mark_all_read(self, client_for, practitioner):
        for key in "abcd":
            notify(practitioner, key)
        client = client_for(practitioner)
        assert badges(client.get(LIST)) == ["4 unread"]

        response = client.post(MARK_ALL, follow=True)

        assert response.redirect_chain == [(LIST, 302)]
        assert badges(response) == []
        assert nav_links(response)[LIST] == "Notifications"
        assert badges(client.get("/")) == []

    def test_a_new_notification_after_mark_all_read_brings_it_back(self, client_for, practitioner):
        notify(practitioner, "a")
        client = client_for(practitioner)
        client.post(MARK_ALL)

        notify(practitioner, "b")

        assert badges(client.get("/")) == ["1 unread"]

    def test_anonymous_pages_have_no_badge(self, client, practitioner):
        notify(practitioner, "a")

        response = client.get(reverse("accounts:login"))

        assert response.status_code == 200
        assert badges(response) == []
        assert "unread-count" not in page_of(response)


class TestOnlyTheUsersOwn:
    def test_another_users_notifications_do_not_count(self, client_for, practitioner, teammate):
        notify(practitioner, "mine")
        for key in "abcde":
            notify(teammate, f"theirs-{key}")

        assert badges(client_for(practitioner).get("/")) == ["1 unread"]
        assert badges(client_for(teammate).get("/")) == ["5 unread"]

    def test_no_badge_when_only_someone_else_has_unread(self, client_for, practitioner, teammate):
        notify(teammate, "a")

        assert badges(client_for(practitioner).get("/")) == []

    def test_marking_all_read_leaves_another_users_count_alone(
        self, client_for, practitioner, teammate
    ):
        notify(practitioner, "a")
        notify(teammate, "b")
        notify(teammate, "c")

        client_for(practitioner).post(MARK_ALL)

        assert badges(client_for(practitioner).get("/")) == []
        assert badges(client_for(teammate).get("/")) == ["2 unread"]

    def test_opening_another_users_notification_changes_neither_count(
        self, client_for, practitioner, teammate
    ):
        theirs = notify(teammate, "a")
        notify(practitioner, "b")

        response = client_for(practitioner).post(reverse("notifications:open", args=[theirs.pk]))

        assert response.status_code == 404
        assert badges(client_for(practitioner).get("/")) == ["1 unread"]
        assert badges(client_for(teammate).get("/")) == ["1 unread"]
