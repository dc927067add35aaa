"""Background exports: one row per export that was too long to answer at once.

The file itself lives under settings.CSAFE_EXPORT_ROOT under a random name, is readable only by
the person who asked (csafe/exports/services.py), and is the only thing ever deleted: when the
download period ends the file goes and the row stays, marked expired, so "who exported what,
when" survives. The row holds no personal data: the parameters are filters, the error is a plain
message, and the young people in the file are kept as ids only, for the access log.

The table, its indexes and its constraints keep the names they were made with in reporting,
where export jobs began (reporting/migrations/0001_export_job.py creates the table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class ExportJob(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs"
    )
    # The ExportSource's key (csafe/exports/registry.py keeps the registry).
    source_key = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    # rows_total is the count when the job was asked for, then the rows really written once it
    # is done; rows_written moves while it runs, written by its own UPDATE so the progress page
    # can read it while the task is still going.
    rows_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    # Hex only, made by csafe/exports/services.py; empty before a run starts and once the file
    # is removed. A new run gets a new name, which also tells a superseded run that it lost.
    stored_name = models.CharField(max_length=64, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # A plain message for the person who asked; never an exception's text, which may quote data.
    error = models.CharField(max_length=300, blank=True, default="")
    # The young people in the file (ids only), each logged when the file is downloaded.
    young_person_ids = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "reporting_exportjob"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reporting_export_user_time"),
            models.Index(fields=["status", "expires_at"], name="reporting_export_status_exp"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="reporting_export_status_valid"
            ),
            # A finished file always has an end to its download period.
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE) | Q(expires_at__isnull=False),
                name="reporting_export_done_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.source_key}, {self.status})"

    @property
    def percent(self) -> int:
        """How far the job has got, 0 to 100, for the progress bar's text."""
        if self.status in {ExportStatus.DONE, ExportStatus.EXPIRED}:
            return 100
        if self.rows_total <= 0:
            return 0
        return min(99, self.rows_written * 100 // self.rows_total)

    @property
    def is_finished(self) -> bool:
        return self.status in {ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED}
