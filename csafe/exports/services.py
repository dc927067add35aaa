"""Asking for an export and handing its file over, whatever its source (registry.py).

An export of at most settings.CSAFE_EXPORT_INLINE_ROWS rows is written at once and handed back as
text (``export_inline``); a longer one becomes an ExportJob that a Celery task runs
(``export_start``; runner.py runs it), whose file only the person who asked may download, until
it expires (``export_download``; runner.exports_expire sweeps). Whenever a file that identifies
young people is handed over, one access-log row is written per young person in it (channel
"export").
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404

from csafe.audit.models import AccessChannel
from csafe.audit.services import record_access_log_many
from csafe.core.errors import ApplicationError

from . import tasks
from .files import export_path
from .models import ExportJob, ExportStatus
from .permissions import may_download, require_still_entitled
from .registry import ExportSource, source
from .selectors import export_job_is_expired

# A person may have this many exports waiting or running at once; more would only queue behind
# their own and hold a worker.
MAX_ACTIVE_JOBS_PER_USER = 5

TOO_MANY_ACTIVE = (
    f"You already have {MAX_ACTIVE_JOBS_PER_USER} exports waiting or in progress. "
    "Wait for one to finish, then try again."
)
EXPIRED_MESSAGE = "This export has expired"


class ExportExpired(Exception):
    """The job's download period is over and its file is gone (or about to go)."""


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
    tasks.run_export.delay_on_commit(job.pk)
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


# --- Downloading ------------------------------------------------------------------------------


def export_download(*, user, job: ExportJob) -> ExportFile:
    """The finished file of ``job`` for ``user``, who must be the one who asked (Http404
    otherwise). Raises ExportExpired once its download period is over, Http404 while it is not
    ready or if its file is missing. When the export holds personal data, one access-log row per
    young person in it is written (channel export, resource "export:<job id>"); then the
    source's ``on_download``, if any, is called in the same transaction (its Http404 or
    PermissionDenied refuses the download and undoes the rows)."""
    if not may_download(user, job):
        raise Http404("No such export")
    if export_job_is_expired(job):
        raise ExportExpired(EXPIRED_MESSAGE)
    if job.status != ExportStatus.DONE:
        raise Http404("This export is not ready")
    found = source(job.source_key)
    if found.holds_personal_data:
        require_still_entitled(user=user, found=found, job=job)
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
