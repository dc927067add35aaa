"""Exports: the registry of ExportSources and every write and read of an export.

An export of at most settings.CSAFE_EXPORT_INLINE_ROWS rows is written at once and handed back as
text (``export_inline``); a longer one becomes an ExportJob that a Celery task runs
(``export_start``, ``export_job_run``), whose file only the person who asked may download, until
it expires (``export_download``, ``exports_expire``). Whenever a file that identifies young people
is handed over, one access-log row is written per young person in it (channel "export").

The file of a job is written under settings.CSAFE_EXPORT_ROOT, which has no URL, under a random
name that changes with each run of the job. That name is also the run's ticket: every UPDATE a
run makes is conditional on it, so a run that was superseded (its message redelivered after a
worker crash, while it was in fact still going) notices, stops and removes its own file.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from cases.permissions import young_people_visible_to
from csafe.audit.models import AccessChannel
from csafe.audit.services import record_access_log_many
from csafe.core.errors import ApplicationError

from .export_sources import ExportSource
from .models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)

# rows_written is saved at most once per this many rows: often enough for a progress bar, rarely
# enough that a 100,000-row export costs 200 small UPDATEs.
PROGRESS_EVERY = 500
# A person may have this many exports waiting or running at once; more would only queue behind
# their own and hold a worker.
MAX_ACTIVE_JOBS_PER_USER = 5
# A job is run at most this many times (first run, retries after database errors, redeliveries
# after a worker died). An export that kills its worker every time must not do so for ever.
MAX_ATTEMPTS = 6
# A job still waiting or running this long after it was asked for will not finish: its worker
# and its message were lost together.
STALE_AFTER = timedelta(hours=24)

# Errors of the database that a later try may not meet (a restart, a fail-over, a lost
# connection): the task retries them with a growing delay.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

TOO_MANY_ACTIVE = (
    f"You already have {MAX_ACTIVE_JOBS_PER_USER} exports waiting or in progress. "
    "Wait for one to finish, then try again."
)
FAILED_MESSAGE = (
    "The export could not be finished. Start it again, and if it fails again tell your "
    "system administrator."
)
NO_ACCESS_MESSAGE = "You no longer have access to the records in this export."
NEVER_FINISHED_MESSAGE = "The export did not finish. Start it again."
EXPIRED_MESSAGE = "This export has expired"


class ExportExpired(Exception):
    """The job's download period is over and its file is gone (or about to go)."""


class _Superseded(Exception):
    """Another run of the same job took it over, or the job was ended while this run went on."""


# --- The registry -----------------------------------------------------------------------------

_REGISTRY: dict[str, ExportSource] = {}


def register(source: ExportSource) -> ExportSource:
    """Make ``source`` available by its key. Called once per source when its module is imported
    (the module must be imported at start-up, in web and worker alike: ReportingConfig.ready)."""
    existing = _REGISTRY.get(source.key)
    if existing is not None and _origin(existing) != _origin(source):
        raise ImproperlyConfigured(f"Two export sources use the key {source.key!r}")
    _REGISTRY[source.key] = source
    return source


def _origin(source: ExportSource) -> tuple[str, str]:
    # The same source imported twice (a reloaded module) is not a clash.
    return (source.write.__module__, source.write.__qualname__)


def source(key: str) -> ExportSource:
    """The registered source ``key``; LookupError when there is none."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"No export source is registered as {key!r}") from None


def source_title(key: str) -> str:
    """The source's title for pages, or a plain stand-in for a source no longer offered."""
    found = _REGISTRY.get(key)
    return found.title if found is not None else "Export no longer offered"


# --- Files ------------------------------------------------------------------------------------


def export_root() -> Path:
    return Path(settings.CSAFE_EXPORT_ROOT)


def export_path(stored_name: str) -> Path:
    # Stored names are made here from hex only; refuse anything else rather than trust a row.
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("Not a stored export name")
    return export_root() / stored_name


def _new_stored_name() -> str:
    return secrets.token_hex(24)


def _create(path: Path, *, binary: bool = False) -> IO:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_EXCL: never overwrite; 0o600 from the start, so the file is never readable by others.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    if binary:
        return os.fdopen(descriptor, "wb")
    # newline="": what the source writes is what is stored (the csv module writes its own \r\n).
    return os.fdopen(descriptor, "w", encoding="utf-8", newline="")


def _discard(stored_name: str) -> None:
    if stored_name:
        export_path(stored_name).unlink(missing_ok=True)


def _stored_names_older_than(cutoff: datetime) -> Iterator[str]:
    root = export_root()
    if not root.is_dir():
        return
    cutoff_seconds = cutoff.timestamp()
    for path in root.iterdir():
        name = path.name
        if not name or not all(c in "0123456789abcdef" for c in name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < cutoff_seconds:
                yield name
        except FileNotFoundError:
            continue


# --- Asking for an export ---------------------------------------------------------------------


@dataclass(frozen=True)
class InlineExport:
    """An export written at once: its whole text (bytes for a binary source) and what to call
    it."""

    content: str | bytes
    filename: str  # with its extension
    content_type: str


@dataclass(frozen=True)
class ExportFile:
    """A finished job's file, open for reading; the caller closes it (FileResponse does)."""

    handle: BinaryIO
    filename: str
    content_type: str


def _normalised(params: dict) -> dict:
    # The job's task reads the params back from JSON; pass the same JSON form to the source
    # when answering at once, so a source behaves alike both ways.
    try:
        return json.loads(json.dumps(params))
    except (TypeError, ValueError) as exc:
        raise ValueError("Export params must be JSON-serialisable") from exc


def _checked(*, user, source_key: str, params: dict) -> tuple[ExportSource, dict, int]:
    found = source(source_key)
    params = _normalised(params)
    found.validate(user, params)
    return found, params, found.count(user, params)


def _log_access(*, user, found: ExportSource, young_person_ids, resource: str) -> int:
    if not found.holds_personal_data or not young_person_ids:
        return 0
    return record_access_log_many(
        user=user,
        young_person_ids=young_person_ids,
        channel=AccessChannel.EXPORT,
        resource=resource,
    )


def _still_entitled(*, user, found: ExportSource, job: ExportJob) -> None:
    """Access is checked again when a file holding personal data is handed over, not only when
    it was written: the user's role, team or allocations may have changed in between (Http404
    with NO_ACCESS_MESSAGE when they no longer cover every young person in the file)."""
    try:
        found.validate(user, job.params)
    except (ApplicationError, PermissionDenied, Http404) as exc:
        raise Http404(NO_ACCESS_MESSAGE) from exc
    if found.held_without_allocation is not None and found.held_without_allocation(user):
        return
    ids = set(job.young_person_ids or ())
    if ids and young_people_visible_to(user).filter(pk__in=ids).count() != len(ids):
        raise Http404(NO_ACCESS_MESSAGE)


def _handed_over(*, user, found: ExportSource, params: dict, young_person_ids, resource: str):
    # Inside the caller's transaction: the source's own check or record of the handover goes
    # with the access-log rows, or neither does.
    _log_access(user=user, found=found, young_person_ids=young_person_ids, resource=resource)
    if found.on_download is not None:
        found.on_download(user, params, resource)


def _inline(*, user, found: ExportSource, params: dict) -> InlineExport:
    buffer = io.BytesIO() if found.binary else io.StringIO(newline="")
    young_person_ids = found.write(user, params, buffer, lambda rows: None)
    with transaction.atomic():
        _handed_over(
            user=user,
            found=found,
            params=params,
            young_person_ids=young_person_ids,
            resource=f"export:inline:{found.key}",
        )
    return InlineExport(
        content=buffer.getvalue(),
        filename=f"{found.filename(params)}.{found.extension}",
        content_type=found.content_type,
    )


@transaction.atomic
def _start(*, user, found: ExportSource, params: dict, rows_total: int) -> ExportJob:
    # The user's row is locked so two requests at once cannot both pass the checks below.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    active = ExportJob.objects.filter(
        requested_by=user, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    )
    # The same export asked for again (a double click, a reload) while the first still runs is
    # the first, not a second job.
    same = active.filter(source_key=found.key, params=params).first()
    if same is not None:
        return same
    if active.count() >= MAX_ACTIVE_JOBS_PER_USER:
        raise ApplicationError(TOO_MANY_ACTIVE)
    job = ExportJob(requested_by=user, source_key=found.key, params=params, rows_total=rows_total)
    job.full_clean()
    job.save()
    from .tasks import run_export

    run_export.delay_on_commit(job.pk)
    return job


def export_request(*, user, source_key: str, params: dict) -> InlineExport | ExportJob:
    """Export ``source_key`` with ``params`` for ``user``: at once when it holds at most
    settings.CSAFE_EXPORT_INLINE_ROWS rows, otherwise as a background job. The source's
    ``validate`` decides who may ask (ApplicationError, PermissionDenied or Http404 go on to the
    caller); asking for an export already waiting or running gives that job back."""
    found, params, rows = _checked(user=user, source_key=source_key, params=params)
    if rows <= settings.CSAFE_EXPORT_INLINE_ROWS:
        return _inline(user=user, found=found, params=params)
    return _start(user=user, found=found, params=params, rows_total=rows)


def export_inline(*, user, source_key: str, params: dict) -> InlineExport:
    """Write the export now, whatever its size, and log one access per young person in it when
    the source holds personal data."""
    found, params, _rows = _checked(user=user, source_key=source_key, params=params)
    return _inline(user=user, found=found, params=params)


def export_start(*, user, source_key: str, params: dict) -> ExportJob:
    """Validate and count the export, record a job and run it in the background once this
    transaction commits. Raises ApplicationError when the user already has
    MAX_ACTIVE_JOBS_PER_USER exports waiting or running."""
    found, params, rows = _checked(user=user, source_key=source_key, params=params)
    return _start(user=user, found=found, params=params, rows_total=rows)


# --- Running a job (the Celery task calls these) ----------------------------------------------


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
        _discard(previous)
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
    previous, ticket = job.stored_name, _new_stored_name()
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
    _discard(previous)  # the part-written file of a run that died
    path = export_path(ticket)
    try:
        found = source(job.source_key)
        user = job.requested_by
        found.validate(user, job.params)
        progress = _ProgressSaver(job.pk, ticket)
        with _create(path, binary=found.binary) as out:
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


# --- Reading jobs and downloading -------------------------------------------------------------


def export_job_get_for_user(*, user, pk: int) -> ExportJob:
    """The job ``pk`` if ``user`` asked for it; Http404 otherwise, so that other people's
    exports do not show even that they exist. Nobody else, not an administrator, may read it."""
    if not user.is_authenticated:
        raise Http404
    job = ExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404("No such export")
    return _described(job, now=timezone.now())


def export_jobs_for_user(*, user):
    """The user's own exports, newest first, each with its source's ``title``. Lazy, for a
    paginator: one query per page."""
    return ExportJob.objects.filter(requested_by=user).defer("params", "young_person_ids")


def with_titles(jobs) -> list[ExportJob]:
    """``jobs`` as a list, each described for pages (see ``_described``)."""
    now = timezone.now()
    return [_described(job, now=now) for job in jobs]


def _described(job: ExportJob, *, now: datetime) -> ExportJob:
    # What pages show beside the row: its source's title, whether the file names young people,
    # and whether its download period is over (before the sweep has marked it).
    found = _REGISTRY.get(job.source_key)
    job.title = found.title if found is not None else source_title(job.source_key)
    job.holds_personal_data = found is not None and found.holds_personal_data
    job.is_expired = export_job_is_expired(job, now=now)
    return job


def export_job_is_expired(job: ExportJob, *, now: datetime | None = None) -> bool:
    """Expired in fact: marked so, or finished and past its download period (the sweep runs
    hourly; a download is refused from the moment the period ends)."""
    if job.status == ExportStatus.EXPIRED:
        return True
    now = now or timezone.now()
    return job.status == ExportStatus.DONE and job.expires_at is not None and job.expires_at <= now


def export_download(*, user, job: ExportJob) -> ExportFile:
    """The finished file of ``job`` for ``user``, who must be the one who asked (Http404
    otherwise). Raises ExportExpired once its download period is over, Http404 while it is not
    ready or if its file is missing. When the export holds personal data, one access-log row per
    young person in it is written (channel export, resource "export:<job id>"); then the
    source's ``on_download``, if any, is called in the same transaction (its Http404 or
    PermissionDenied refuses the download and undoes the rows)."""
    if not user.is_authenticated or job.requested_by_id != user.pk:
        raise Http404("No such export")
    if export_job_is_expired(job):
        raise ExportExpired(EXPIRED_MESSAGE)
    if job.status != ExportStatus.DONE:
        raise Http404("This export is not ready")
    found = source(job.source_key)
    if found.holds_personal_data:
        _still_entitled(user=user, found=found, job=job)
    try:
        handle = open(export_path(job.stored_name), "rb")  # noqa: SIM115 the response closes it
    except (OSError, ValueError) as exc:
        raise Http404("The file for this export is missing") from exc
    try:
        with transaction.atomic():
            _handed_over(
                user=user,
                found=found,
                params=job.params,
                young_person_ids=job.young_person_ids,
                resource=f"export:{job.pk}",
            )
    except BaseException:
        handle.close()
        raise
    return ExportFile(
        handle=handle,
        filename=f"{found.filename(job.params)}.{found.extension}",
        content_type=found.content_type,
    )


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
            _discard(stored_name)
            expired += 1
    abandoned = 0
    for pk in ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING], created_at__lt=now - STALE_AFTER
    ).values_list("pk", flat=True):
        abandoned += _fail(job_id=pk, message=NEVER_FINISHED_MESSAGE)
    named = set(ExportJob.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    orphans = 0
    for stored_name in _stored_names_older_than(now - STALE_AFTER):
        if stored_name not in named:
            _discard(stored_name)
            orphans += 1
    return {"expired": expired, "abandoned": abandoned, "orphans": orphans}
