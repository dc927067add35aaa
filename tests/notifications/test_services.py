"""Notification services: created once per dedupe key, e-mailed once after commit, read only by
their recipient."""

from __future__ import annotations

import pytest
from django.core import mail

from csafe.core.errors import ApplicationError
from csafe.notifications import selectors, services
from csafe.notifications.models import Notification, NotificationKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(recipient, key: str = "test:1", **overrides):
    fields = {
        "recipient": recipient,
        "kind": NotificationKind.FLAG_REVIEW_DUE,
        "title": "Harm flag review overdue for TST000123",
        "body": "The Gangs flag on TST000123 was due for review on 01 March 2026.",
        "url": "/young-people/1/",
        "dedupe_key": key,
    }
    fields.update(overrides)
    return services.notification_create(**fields)


class TestCreate:
    def test_creates_once_per_dedupe_key(self, practitioner, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            first, created = notify(practitioner)
            again, created_again = notify(practitioner, title="Something else")

        assert (created, created_again) == (True, False)
        assert again.pk == first.pk
        assert Notification.objects.get().title == "Harm flag review overdue for TST000123"
        # Only the new notification enqueues an e-mail, and only after commit.
        assert len(callbacks) == 1
        assert mail.outbox == []

    def test_the_email_goes_after_commit(self, practitioner, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            notification, _ = notify(practitioner)
            assert mail.outbox == []

        [message] = mail.outbox
        assert message.to == [practitioner.email]
        assert message.subject == "csafe: Harm flag review overdue for TST000123"
        # The body (what the flag is) stays inside csafe; the e-mail says where to look.
        assert message.body == (
            "Harm flag review overdue for TST000123.\n\nSign in to csafe to read more."
            "\n\nhttp://127.0.0.1:8000/young-people/1/\n"
        )
        notification.refresh_from_db()
        assert notification.emailed_at is not None


class TestSendEmail:
    def test_sends_once_however_often_delivered(self, practitioner):
        notification, _ = notify(practitioner)

        assert services.notification_send_email(notification_id=notification.pk) is True
        assert services.notification_send_email(notification_id=notification.pk) is False

        assert len(mail.outbox) == 1

    def test_the_e_mail_carries_a_message_id_made_from_the_notification(
        self, practitioner, settings
    ):
        """Sent twice (a worker died between the mail server and the mark), both copies carry
        the same Message-ID, so the mail system can drop the second: at least once, one copy."""
        settings.CSAFE_BASE_URL = "https://csafe.northbridge.example/"
        notification, _ = notify(practitioner)
        services.notification_send_email(notification_id=notification.pk)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)  # the lost mark
        services.notification_send_email(notification_id=notification.pk)

        expected = f"<notification-{notification.pk}@csafe.northbridge.example>"
        headers = [message.message() for message in mail.outbox]
        assert [h["Message-ID"] for h in headers] == [expected, expected]
        assert [h["X-Csafe-Dedupe-Key"] for h in headers] == [expected.strip("<>")] * 2

    def test_nothing_is_sent_to_a_user_without_an_email_address(self, team_a):
        no_email = UserFactory(team=team_a, email="")
        notification, _ = notify(no_email)

        assert services.notification_send_email(notification_id=notification.pk) is False

        assert mail.outbox == []
        notification.refresh_from_db()
        assert notification.emailed_at is None

    def test_a_notification_without_a_link_is_sent_without_one(self, practitioner):
        notification, _ = notify(practitioner, url="")

        services.notification_send_email(notification_id=notification.pk)

        assert mail.outbox[0].body == (
            "Harm flag review overdue for TST000123.\n\nSign in to csafe to read more.\n"
        )


class TestRead:
    def test_mark_read_once(self, practitioner):
        notification, _ = notify(practitioner)

        services.notification_mark_read(user=practitioner, notification=notification)
        first_read = Notification.objects.get().read_at
        services.notification_mark_read(user=practitioner, notification=notification)

        assert first_read is not None
        assert Notification.objects.get().read_at == first_read

    def test_another_user_cannot_mark_it_read(self, practitioner, teammate):
        notification, _ = notify(practitioner)

        with pytest.raises(ApplicationError) as refused:
            services.notification_mark_read(user=teammate, notification=notification)

        assert refused.value.message == "That notification is not yours"
        assert Notification.objects.get().read_at is None

    def test_mark_all_read_touches_only_the_users_own(self, practitioner, teammate):
        notify(practitioner, key="a")
        notify(practitioner, key="b")
        notify(teammate, key="c")

        assert services.notifications_mark_all_read(user=practitioner) == 2

        assert selectors.unread_count_for_user(user=practitioner) == 0
        assert selectors.unread_count_for_user(user=teammate) == 1
        assert services.notifications_mark_all_read(user=practitioner) == 0
