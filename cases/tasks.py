"""Background work for cases. Tasks load by id and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .models import Allocation


# SMTP down (OSError): retried after about 1, 2, 4, 8 and 16 minutes (jittered), then given up
# and logged by Celery with the allocation id only.
@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def allocation_notify_worker(self, allocation_id: int) -> bool:
    """E-mail a worker that a case has been allocated to them.

    E-mail leaves the council's systems, so it carries the record's local identifier and a link,
    never the young person's name. Returns False when there is nothing to send (the allocation
    ended before the task ran, or the worker has no address).
    """
    allocation = (
        Allocation.objects.select_related("worker", "young_person")
        .filter(pk=allocation_id, ended_at__isnull=True)
        .first()
    )
    if allocation is None or not allocation.worker or not allocation.worker.email:
        return False
    path = reverse("cases:detail", args=[allocation.young_person_id])
    base = getattr(settings, "CSAFE_BASE_URL", "").rstrip("/")
    send_mail(
        subject=f"{settings.SERVICE_NAME}: a case has been allocated to you",
        message=(
            f"Hello {allocation.worker.first_name},\n\n"
            f"The case with local identifier {allocation.young_person.local_identifier} "
            f"has been allocated to you.\n\nSign in to see it: {base}{path}\n"
        ),
        from_email=None,
        recipient_list=[allocation.worker.email],
    )
    return True


@shared_task
def document_orphans_remove() -> int:
    """Remove stored files no document row names (left when an upload's transaction rolled back
    after the bytes were written). Run nightly by beat; idempotent."""
    from .services.documents import document_orphans_remove as remove

    return remove()
