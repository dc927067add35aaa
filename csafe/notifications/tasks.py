from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=5, default_retry_delay=120)
def notification_send_email(self, notification_id: int) -> bool:
    """Idempotent: re-delivery after a crash finds ``emailed_at`` set and sends nothing."""
    try:
        return services.notification_send_email(notification_id=notification_id)
    except OSError as exc:  # the mail server is down; the row is unchanged, so retry
        raise self.retry(exc=exc) from exc
