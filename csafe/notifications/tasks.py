from __future__ import annotations

from celery import shared_task

from . import services


# The mail server is down (OSError): the row is unchanged, so retry after about 2, 4, 8, 16 and
# 32 minutes (jittered) rather than hammer it.
@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=120,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=5,
)
def notification_send_email(self, notification_id: int) -> bool:
    """Re-delivery after the e-mail is marked sent finds ``emailed_at`` set and sends nothing;
    a worker that dies between the mail server taking the e-mail and the mark makes the next
    delivery send it again, under the same Message-ID (services.notification_send_email)."""
    return services.notification_send_email(notification_id=notification_id)


@shared_task
def notifications_email_due() -> int:
    """Run every minute by beat: queue the e-mail of each gathered notification whose window
    has ended (services.notifications_email_due). Running it twice sends nothing twice."""
    return services.notifications_email_due()


@shared_task
def email_digests_make() -> int:
    """Run each morning by beat: make and queue the daily e-mail of everyone who chose it, once
    per person per day however often it runs (services.email_digests_make)."""
    return services.email_digests_make()


# Retried like notification_send_email when the mail server is down.
@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=120,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=5,
)
def email_digest_send(self, digest_id: int) -> bool:
    """At least once, never again once marked sent, under one Message-ID
    (services.email_digest_send)."""
    return services.email_digest_send(digest_id=digest_id)
