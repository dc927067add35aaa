"""Background work for cases. Tasks load by id and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create
from harms.models import FlagStatus, HarmFlag

from .models import Allocation, AllocationKind


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


@shared_task
def flag_review_reminders() -> int:
    """Tell each allocated worker about flags past their review date (run daily by beat).

    Idempotent: the dedupe key names the flag, its review date and the worker, so running twice
    on a day, or every day until the flag is reviewed, sends one notification per review date.
    Returns how many new notifications were made.
    """
    today = timezone.localdate()
    workers = Prefetch(
        "young_person__allocations",
        queryset=Allocation.objects.filter(
            kind=AllocationKind.WORKER, ended_at__isnull=True
        ).select_related("worker"),
        to_attr="active_worker_allocations",
    )
    overdue = (
        # Closed cases are not worked, so their flags are not chased.
        HarmFlag.objects.filter(
            status=FlagStatus.ACTIVE, review_date__lt=today, young_person__status="open"
        )
        .select_related("harm_type", "young_person")
        .prefetch_related(workers)
        .order_by("pk")
    )
    created = 0
    for flag in overdue.iterator(chunk_size=500):
        record = flag.young_person
        for allocation in record.active_worker_allocations:
            _, was_created = notification_create(
                recipient=allocation.worker,
                kind=NotificationKind.FLAG_REVIEW_DUE,
                # Never the child's name: the local identifier and the harm type only.
                title=f"Harm flag review overdue for {record.local_identifier}",
                body=(
                    f"The {flag.harm_type} flag on {record.local_identifier} was due for review "
                    f"on {flag.review_date:%d %B %Y}."
                ),
                url=reverse("cases:detail", args=[record.pk]),
                dedupe_key=f"flag-review:{flag.pk}:{flag.review_date:%Y-%m-%d}:{allocation.worker_id}",
            )
            created += int(was_created)
    return created
