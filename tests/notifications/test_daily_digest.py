"""The daily e-mail for people who chose it: one a day listing their unread notifications not
yet e-mailed since the last one, made once per person per day however often beat runs, sent at
least once and never again once marked sent, under one Message-ID."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from csafe.notifications import services
from csafe.notifications.models import EmailChoice, EmailDigest, Notification, NotificationKind
from csafe.notifications.tasks import email_digests_make

pytestmark = pytest.mark.django_db


def notify(recipient, key: str, title: str):
    notification, _ = services.notification_create(
        recipient=recipient,
        kind=NotificationKind.FLAG_REVIEW_DUE,
        title=title,
        body="",
        url="/young-people/1/",
        dedupe_key=key,
    )
    return notification


@pytest.fixture
def daily(practitioner, django_capture_on_commit_callbacks):
    services.notification_preference_set(user=practitioner, email=EmailChoice.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        notify(practitioner, "a", "Harm flag review overdue for TST000123")
        notify(practitioner, "b", "2 changes: Group – Northbrook – 2026-10")
    assert mail.outbox == []  # nothing at once for someone who chose the daily e-mail
    return practitioner


def run_digests(capture) -> int:
    """Beat's morning run, its e-mails sent."""
    with capture(execute=True):
        return email_digests_make.delay().get()


def test_one_email_lists_the_unread_notifications(daily, django_capture_on_commit_callbacks):
    assert run_digests(django_capture_on_commit_callbacks) == 1

    [message] = mail.outbox
    digest = EmailDigest.objects.get()
    assert message.to == [daily.email]
    assert message.subject == f"csafe: 2 unread notifications ({digest.day:%-d %B %Y})"
    assert message.body == (
        "Your unread notifications since your last daily e-mail:\n\n"
        "- Harm flag review overdue for TST000123\n"
        "- 2 changes: Group – Northbrook – 2026-10\n\n"
        "Sign in to csafe to read them.\n\nhttp://127.0.0.1:8000/notifications/\n"
    )
    assert message.extra_headers["Message-ID"] == services.email_digest_message_id(
        digest_id=digest.pk
    )
    assert digest.emailed_at is not None
    # What it listed counts as e-mailed; the notifications are still unread in the service.
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_running_again_the_same_day_sends_nothing(daily, django_capture_on_commit_callbacks):
    run_digests(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notify(daily, "c", "Harm flag review overdue for TST000999")

    assert run_digests(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert EmailDigest.objects.count() == 1


def test_a_digest_made_but_not_sent_is_sent_by_the_next_run(
    daily, django_capture_on_commit_callbacks
):
    """At least once: the worker died after the digest was committed, before its e-mail went."""
    with django_capture_on_commit_callbacks(execute=False):
        digest, made = services.email_digest_make(recipient=daily)
    assert made and mail.outbox == []

    assert run_digests(django_capture_on_commit_callbacks) == 0
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == f"<digest-{digest.pk}@127.0.0.1>"
    # And a re-delivered send task after the mark sends nothing.
    assert services.email_digest_send(digest_id=digest.pk) is False
    assert len(mail.outbox) == 1


def test_the_next_day_lists_only_what_came_since(daily, django_capture_on_commit_callbacks):
    run_digests(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        notify(daily, "c", "Harm flag review overdue for TST000999")
    tomorrow = timezone.now() + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.email_digests_make(now=tomorrow) == 1

    assert len(mail.outbox) == 2
    assert "TST000999" in mail.outbox[1].body
    assert "TST000123" not in mail.outbox[1].body


def test_read_notifications_and_nothing_new_send_nothing(daily, django_capture_on_commit_callbacks):
    services.notifications_mark_all_read(user=daily)
    assert run_digests(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == [] and not EmailDigest.objects.exists()


@pytest.mark.parametrize("choice", [EmailChoice.IMMEDIATE, EmailChoice.NONE])
def test_only_people_who_chose_it_get_a_daily_email(
    teammate, choice, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=teammate, email=choice)
    with django_capture_on_commit_callbacks(execute=True):
        notify(teammate, "t", "Harm flag review overdue for TST000555")
    mail.outbox.clear()

    assert run_digests(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_digest_is_not_sent_once_the_person_chose_otherwise(
    daily, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        digest, _ = services.email_digest_make(recipient=daily)
    services.notification_preference_set(user=daily, email=EmailChoice.NONE)
    assert services.email_digest_send(digest_id=digest.pk) is False
    assert mail.outbox == []
