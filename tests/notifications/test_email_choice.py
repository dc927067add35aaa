"""Each person's e-mail choice: an e-mail for each notification (the default), one a day, or
none. The choice changes e-mail only: the notification is made and shown in every case."""

from __future__ import annotations

import pytest
from django.core import mail

from csafe.audit.models import Event, EventKind
from csafe.notifications import selectors, services
from csafe.notifications.models import EmailChoice, Notification, NotificationKind

pytestmark = pytest.mark.django_db


def notify(recipient, key: str = "test:1"):
    return services.notification_create(
        recipient=recipient,
        kind=NotificationKind.FLAG_REVIEW_DUE,
        title="Harm flag review overdue for TST000123",
        body="",
        url="/young-people/1/",
        dedupe_key=key,
    )


def test_no_choice_means_an_email_for_each(practitioner):
    assert selectors.email_choice_for_user(user=practitioner) == EmailChoice.IMMEDIATE


@pytest.mark.parametrize(
    ("choice", "emailed"),
    [(EmailChoice.IMMEDIATE, 1), (EmailChoice.DAILY, 0), (EmailChoice.NONE, 0)],
)
def test_a_notification_is_emailed_at_once_only_to_those_who_chose_it(
    practitioner, choice, emailed, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=practitioner, email=choice)
    with django_capture_on_commit_callbacks(execute=True):
        notification, created = notify(practitioner)

    assert created
    assert len(mail.outbox) == emailed
    notification.refresh_from_db()
    assert (notification.emailed_at is not None) == bool(emailed)
    assert Notification.objects.filter(recipient=practitioner).count() == 1


def test_setting_the_choice_is_audited_and_kept_once(practitioner):
    services.notification_preference_set(user=practitioner, email=EmailChoice.DAILY)
    preference = services.notification_preference_set(user=practitioner, email=EmailChoice.NONE)

    assert selectors.email_choice_for_user(user=practitioner) == EmailChoice.NONE
    assert type(preference).objects.filter(user=practitioner).count() == 1
    events = Event.objects.filter(kind=EventKind.NOTIFICATION_SETTINGS_CHANGED).order_by("pk")
    assert [(e.actor_id, e.detail) for e in events] == [
        (practitioner.pk, {"from": "immediate", "to": "daily"}),
        (practitioner.pk, {"from": "daily", "to": "none"}),
    ]


def test_an_unknown_choice_is_refused(practitioner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.notification_preference_set(user=practitioner, email="hourly")
    assert selectors.email_choice_for_user(user=practitioner) == EmailChoice.IMMEDIATE
