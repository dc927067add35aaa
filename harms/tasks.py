"""Scheduled work for harm flags."""

from __future__ import annotations

from celery import shared_task
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, AllocationKind
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create

from .models import FlagStatus, HarmFlag


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
