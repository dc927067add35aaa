"""Running an export job and expiring finished files: what the Celery tasks (tasks.py) call.

A job is run outside any transaction. Its file's random name is also the run's ticket: every
UPDATE a run makes is conditional on it, so a run that was superseded (its message redelivered
after a worker crash, while it was in fact still going) notices, stops and removes its own file.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from csafe.core.errors import ApplicationError

from .files import create_file, discard, export_path, new_stored_name, stored_names_older_than
from .models import ExportJob, ExportStatus
from .permissions import NO_ACCESS_MESSAGE
from .registry import source

logger = logging.getLogger(__name__)

# rows_written is saved at most once per this many rows: often enough for a progress bar, rarely
# enough that a 100,000-row export costs 200 small UPDATEs.
PROGRESS_EVERY = 500
# A job is run at most this many times (first run, retries after database errors, redeliveries
# after a worker died). An export that kills its worker every time must not do so for ever.
MAX_ATTEMPTS = 6
# A job still waiting or running this long after it was asked for will not finish: its worker
# and its message were lost together.
STALE_AFTER = timedelta(hours=24)

# Errors of the database that a later try may not meet (a restart, a fail-over, a lost
# connection): the task retries them with a growing delay.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

FAILED_MESSAGE = (
    "The export could not be finished. Start it again, and if it fails again tell your "
    "system administrator."
)
NEVER_FINISHED_MESSAGE = "The export did not finish. Start it again."


class _Superseded(Exception):
    """Another run of the same job took it over, or the job was ended while this run went on."""


class _ProgressSaver:
    """The ``progress`` the source is given: saves rows_written by its own UPDATE (committed at
    once, as the task runs outside any transaction) every PROGRESS_EVERY rows."""

    def __init__(self, job_id: int, ticket: str):
        self.job_id = job_id
        self.ticket = ticket
        self.rows = 0
        self.saved = 0

    def __call__(self, rows: int) -> None:
        self.rows = rows
        if rows - self.saved < PROGRESS_EVERY:
            return
        updated = ExportJob.objects.filter(
            pk=self.job_id, stored_name=self.ticket, status=ExportStatus.RUNNING
        ).update(rows_written=rows)
        if not updated:
            raise _Superseded
        self.saved = rows


def _fail(*, job_id: int, message: str, ticket: str | None = None) -> bool:
    jobs = ExportJob.objects.filter(
        pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    )
    if ticket is not None:
        jobs = jobs.filter(stored_name=ticket)
    previous = jobs.values_list("stored_name", flat=True).first()
    updated = jobs.update(
        status=ExportStatus.FAILED, error=message[:300], stored_name="", finished_at=timezone.now()
    )
    if updated and previous:
        discard(previous)
    return bool(updated)


def export_job_fail(*, job_id: int, message: str = FAILED_MESSAGE) -> bool:
    """End a waiting or running job as failed with ``message`` (plain words, no personal data),
    removing any part-written file. False when the job had already ended."""
    return _fail(job_id=job_id, message=message)


def export_job_run(*, job_id: int) -> str | None:
    """Run the job: write its file, then mark it done with its download period. Safe to call
    again at any time: a job that has ended (done, failed, expired) is left alone, and a job left
    running by a run that died starts again from the first row, its part-written file removed.

    The source is asked again whether the requester may have this export: access may have
    changed since they asked. Returns the job's status afterwards (None for no such job).
    Database errors that a later try may not meet are raised for the task to retry; every other
    failure ends the job as failed with a plain message.
    """
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None:
        return None
    if job.status not in {ExportStatus.QUEUED, ExportStatus.RUNNING}:
        return job.status
    if job.attempts >= MAX_ATTEMPTS:
        _fail(job_id=job.pk, message=FAILED_MESSAGE)
        return ExportStatus.FAILED
    previous, ticket = job.stored_name, new_stored_name()
    claimed = ExportJob.objects.filter(
        pk=job.pk,
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        stored_name=previous,
    ).update(
        status=ExportStatus.RUNNING,
        stored_name=ticket,
        started_at=timezone.now(),
        rows_written=0,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return ExportStatus.RUNNING  # another run claimed it a moment before this one
    discard(previous)  # the part-written file of a run that died
    path = export_path(ticket)
    try:
        found = source(job.source_key)
        user = job.requested_by
        found.validate(user, job.params)
        progress = _ProgressSaver(job.pk, ticket)
        with create_file(path, binary=found.binary) as out:
            young_person_ids = found.write(user, job.params, out, progress)
        rows = progress.rows or job.rows_total
        finished = timezone.now()
        done = ExportJob.objects.filter(
            pk=job.pk, stored_name=ticket, status=ExportStatus.RUNNING
        ).update(
            status=ExportStatus.DONE,
            rows_total=rows,
            rows_written=rows,
            size=path.stat().st_size,
            finished_at=finished,
            expires_at=finished + timedelta(hours=settings.CSAFE_EXPORT_TTL_HOURS),
            young_person_ids=(
                sorted({int(pk) for pk in young_person_ids}) if found.holds_personal_data else []
            ),
        )
        if not done:
            raise _Superseded
        return ExportStatus.DONE
    except _Superseded:
        path.unlink(missing_ok=True)
        return ExportStatus.RUNNING
    except TRANSIENT_ERRORS:
        path.unlink(missing_ok=True)
        raise
    except ApplicationError as exc:
        _fail(job_id=job.pk, ticket=ticket, message=exc.message)
    except (PermissionDenied, Http404):
        _fail(job_id=job.pk, ticket=ticket, message=NO_ACCESS_MESSAGE)
    except Exception:
        # The exception's text may quote the data; it goes to the server log, not the page.
        logger.exception("Export job %s failed", job.pk)
        _fail(job_id=job.pk, ticket=ticket, message=FAILED_MESSAGE)
    path.unlink(missing_ok=True)
    return ExportStatus.FAILED


# --- Expiry (beat, hourly) --------------------------------------------------------------------


def exports_expire(*, now: datetime | None = None) -> dict[str, int]:
    """Remove the files of finished exports whose download period is over and mark the jobs
    expired; end as failed the jobs that will never finish (STALE_AFTER); remove files that no
    job names. Rows are never deleted. Idempotent."""
    now = now or timezone.now()
    expired = 0
    for pk, stored_name in ExportJob.objects.filter(
        status=ExportStatus.DONE, expires_at__lte=now
    ).values_list("pk", "stored_name"):
        # Marked before the file goes, so a download at this moment is refused rather than
        # pointed at a missing file.
        if ExportJob.objects.filter(pk=pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, stored_name=""
        ):
            discard(stored_name)
            expired += 1
    abandoned = 0
    for pk in ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], created_at__lt=now - STALE_AFTER
    ).values_list("pk", flat=True):
        abandoned += _fail(job_id=pk, message=NEVER_FINISHED_MESSAGE)
    named = set(ExportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    orphans = 0
    for stored_name in stored_names_older_than(now - STALE_AFTER):
        if stored_name not in named:
            discard(stored_name)
            orphans += 1
    return {"expired": expired, "abandoned": abandoned, "orphans": orphans}
