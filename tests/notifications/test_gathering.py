"""Gathering changes into one notification (services.notification_gather) and e-mailing it
when its window ends (services.notifications_email_due): one notification per recipient and
group within the window, each change once however often it is delivered, the e-mail sent once
listing every change, and only to people who chose an e-mail for each notification."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
from django.core import mail
from django.utils import timezone

from csafe.notifications import services
from csafe.notifications.models import (
    EmailChoice,
    Notification,
    NotificationChange,
    NotificationKind,
)
from tests.notifications.digest_support import age_windows, end_windows

pytestmark = pytest.mark.django_db

WINDOW = timedelta(minutes=15)


def describe(changes):
    return f"{len(changes)} to Riverside", "; ".join(changes)


def gather(recipient, version: int, change: str = "Meeting note recorded", **overrides):
    fields = {
        "recipient": recipient,
        "kind": NotificationKind.CONTEXT_UPDATED,
        "group_key": "context:7",
        "change_key": f"context:7:v{version}:{recipient.pk}",
        "change": change,
        "url": "/contexts/7/",
        "window": WINDOW,
        "describe": describe,
    }
    fields.update(overrides)
    return services.notification_gather(**fields)


def test_changes_within_the_window_are_one_notification(practitioner):
    first, new_first = gather(practitioner, 2)
    second, new_second = gather(practitioner, 3, "Plan action added")
    third, new_third = gather(practitioner, 4, "Plan reviewed")

    assert (new_first, new_second, new_third) == (True, True, True)
    assert first.pk == second.pk == third.pk
    notification = Notification.objects.get()
    assert (notification.title, notification.body) == (
        "3 to Riverside",
        "Meeting note recorded; Plan action added; Plan reviewed",
    )
    assert notification.dedupe_key == f"context:7:v2:{practitioner.pk}"
    assert notification.group_key == "context:7"
    assert notification.email_after > timezone.now() + WINDOW - timedelta(seconds=5)


def test_a_change_delivered_again_is_gathered_once(practitioner):
    gather(practitioner, 2)
    gather(practitioner, 3, "Plan action added")
    again, new = gather(practitioner, 2)

    assert new is False
    assert again.pk == Notification.objects.get().pk
    assert again.title == "2 to Riverside"
    assert NotificationChange.objects.count() == 2


def test_each_recipient_and_each_group_has_its_own(practitioner, teammate):
    gather(practitioner, 2)
    gather(teammate, 2)
    gather(practitioner, 2, group_key="context:8", change_key=f"context:8:v2:{practitioner.pk}")
    assert Notification.objects.count() == 3


@pytest.mark.parametrize("ended", ["window passed", "read", "e-mailed"])
def test_a_notification_no_longer_gathering_is_left_alone(practitioner, ended):
    first, _ = gather(practitioner, 2)
    if ended == "window passed":
        age_windows(minutes=15)
    else:
        Notification.objects.filter(pk=first.pk).update(
            **{"read_at" if ended == "read" else "emailed_at": timezone.now()}
        )
    second, _ = gather(practitioner, 3, "Plan action added")

    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.title == "1 to Riverside"
    assert second.title == "1 to Riverside"


def test_nothing_is_emailed_until_the_window_ends(practitioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification, _ = gather(practitioner, 2)
        assert services.notifications_email_due() == 0
        # Sending early (a task run before its time) sends nothing either.
        assert services.notification_send_email(notification_id=notification.pk) is False
    assert callbacks == []
    assert mail.outbox == []


def test_the_email_lists_every_change_once_when_the_window_ends(
    practitioner, django_capture_on_commit_callbacks
):
    notification, _ = gather(practitioner, 2)
    gather(practitioner, 3, "Plan action added")

    assert end_windows(django_capture_on_commit_callbacks) == 1
    assert end_windows(django_capture_on_commit_callbacks) == 0

    [message] = mail.outbox
    assert message.to == [practitioner.email]
    assert message.subject == "csafe: 2 to Riverside"
    assert message.body == (
        "2 to Riverside.\n\n- Meeting note recorded\n- Plan action added\n\n"
        "Sign in to csafe to read more.\n\nhttp://127.0.0.1:8000/contexts/7/\n"
    )
    assert message.extra_headers["Message-ID"] == services.notification_message_id(
        notification_id=notification.pk
    )
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    # Sent and marked: a later delivery of the same task sends nothing.
    assert services.notification_send_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_a_window_ended_long_ago_is_not_emailed_by_the_sweep(
    practitioner, django_capture_on_commit_callbacks
):
    gather(practitioner, 2)
    age_windows(minutes=15 + 24 * 60)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_email_due() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("choice", [EmailChoice.DAILY, EmailChoice.NONE])
def test_the_sweep_emails_only_people_who_chose_an_email_each_time(
    practitioner, teammate, choice, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=teammate, email=choice)
    gather(practitioner, 2)
    gather(teammate, 2)

    assert end_windows(django_capture_on_commit_callbacks) == 1

    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    # The in-app notification is there whatever the choice.
    assert Notification.objects.filter(recipient=teammate, emailed_at__isnull=True).count() == 1


def test_with_no_window_each_change_is_its_own_and_emailed_at_once(
    practitioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        gather(practitioner, 2, window=timedelta(0))
        gather(practitioner, 3, "Plan action added", window=timedelta(0))
    assert Notification.objects.count() == 2
    assert [m.subject for m in mail.outbox] == ["csafe: 1 to Riverside"] * 2


def test_the_describer_is_given_the_changes_in_order(practitioner):
    seen = []

    def remember(changes):
        seen.append(list(changes))
        return describe(changes)

    for version, change in enumerate(["A recorded", "B added", "C set"], start=2):
        gather(practitioner, version, change, describe=partial(remember))
    assert seen == [["A recorded"], ["A recorded", "B added"], ["A recorded", "B added", "C set"]]
