"""Notification pages: each user sees, opens and marks only their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csafe.notifications import services
from csafe.notifications.models import Notification, NotificationKind
from tests.harms.helpers import EVERYONE, messages_of, page_of, sign_in_redirect

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
MARK_ALL = reverse("notifications:mark_all_read")


def open_url(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def notify(recipient, key: str, title: str = "Harm flag review overdue for TST000123", **extra):
    notification, _ = services.notification_create(
        recipient=recipient,
        kind=NotificationKind.FLAG_REVIEW_DUE,
        title=title,
        body=extra.pop("body", "The Gangs flag on TST000123 was due for review."),
        url=extra.pop("url", "/young-people/1/"),
        dedupe_key=key,
    )
    return notification


def listed(response) -> list[int]:
    return [n.pk for n in response.context["page"].object_list]


class TestList:
    def test_lists_only_the_users_own_newest_first(self, client_for, practitioner, teammate):
        older = notify(practitioner, "a", title="First for Pat")
        newer = notify(practitioner, "b", title="Second for Pat")
        notify(teammate, "c", title="For Tam only")

        response = client_for(practitioner).get(LIST)

        assert response.status_code == 200
        assert listed(response) == [newer.pk, older.pk]
        page = page_of(response)
        assert "Second for Pat" in page and "First for Pat" in page
        assert "For Tam only" not in page
        assert page.count("govuk-tag--blue") == 2

    def test_read_notifications_are_not_marked_new(self, client_for, practitioner):
        read = notify(practitioner, "a")
        services.notification_mark_read(user=practitioner, notification=read)
        notify(practitioner, "b")

        page = page_of(client_for(practitioner).get(LIST))

        assert page.count("govuk-tag--blue") == 1

    def test_an_empty_list_says_so(self, client_for, practitioner, teammate):
        notify(teammate, "a")

        response = client_for(practitioner).get(LIST)

        assert listed(response) == []
        assert "You have no notifications." in page_of(response)

    def test_anonymous_is_sent_to_sign_in(self, client):
        assert client.get(LIST)["Location"] == sign_in_redirect(LIST)


class TestOpen:
    def test_marks_read_and_goes_to_the_record(self, client_for, practitioner, young_person):
        notification = notify(practitioner, "a", url=f"/young-people/{young_person.pk}/")

        response = client_for(practitioner).post(open_url(notification))

        assert response.status_code == 302
        assert response["Location"] == f"/young-people/{young_person.pk}/"
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_another_users_notification_is_not_found(self, client_for, practitioner, teammate):
        notification = notify(practitioner, "a")

        response = client_for(teammate).post(open_url(notification))

        assert response.status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_an_unknown_notification_is_not_found(self, client_for, practitioner):
        assert client_for(practitioner).post("/notifications/999999/open/").status_code == 404

    def test_a_link_off_the_site_goes_to_the_list_instead(self, client_for, practitioner):
        notification = notify(practitioner, "a", url="https://phishing.example/young-people/1/")

        response = client_for(practitioner).post(open_url(notification))

        assert response["Location"] == LIST
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_get_is_not_allowed(self, client_for, practitioner):
        notification = notify(practitioner, "a")

        assert client_for(practitioner).get(open_url(notification)).status_code == 405
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_anonymous_is_sent_to_sign_in(self, client, practitioner):
        notification = notify(practitioner, "a")

        response = client.post(open_url(notification))

        assert response["Location"] == sign_in_redirect(open_url(notification))
        notification.refresh_from_db()
        assert notification.read_at is None


class TestMarkAllRead:
    def test_marks_only_the_users_own(self, client_for, practitioner, teammate):
        notify(practitioner, "a")
        notify(practitioner, "b")
        theirs = notify(teammate, "c")
        client = client_for(practitioner)

        response = client.post(MARK_ALL)

        assert response["Location"] == LIST
        assert not Notification.objects.filter(
            recipient=practitioner, read_at__isnull=True
        ).exists()
        theirs.refresh_from_db()
        assert theirs.read_at is None
        assert messages_of(client.get(LIST)) == ["2 notifications marked as read"]

    def test_one_notification_is_singular(self, client_for, practitioner):
        notify(practitioner, "a")
        client = client_for(practitioner)

        client.post(MARK_ALL)

        assert messages_of(client.get(LIST)) == ["1 notification marked as read"]

    def test_anonymous_is_sent_to_sign_in(self, client, practitioner):
        notify(practitioner, "a")

        assert client.post(MARK_ALL)["Location"] == sign_in_redirect(MARK_ALL)
        assert Notification.objects.get().read_at is None


class TestUnreadCount:
    @pytest.mark.parametrize("role_holder", EVERYONE)
    def test_every_page_knows_the_users_unread_count(self, request, client_for, role_holder):
        user = request.getfixturevalue(role_holder)
        first = notify(user, "a")
        notify(user, "b")
        client = client_for(user)

        assert client.get(LIST).context["unread_notifications"] == 2
        assert client.get("/").context["unread_notifications"] == 2

        client.post(open_url(first))

        assert client.get(LIST).context["unread_notifications"] == 1

    def test_other_users_notifications_do_not_count(self, client_for, practitioner, teammate):
        notify(teammate, "a")

        assert client_for(practitioner).get(LIST).context["unread_notifications"] == 0

    def test_the_navigation_links_to_notifications(self, client_for, practitioner):
        response = client_for(practitioner).get("/")

        labels = {item.label: item.url for item in response.context["navigation"]}
        assert labels["Notifications"] == LIST
