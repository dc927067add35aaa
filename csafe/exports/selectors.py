"""Reading export jobs for pages: only the requester's own (permissions.py), each described with
its source's title and whether its download period is over."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from .models import ExportJob, ExportStatus
from .permissions import export_jobs_visible_to
from .registry import registered, source_title


def export_job_get_for_user(*, user, pk: int) -> ExportJob:
    """The job ``pk`` if ``user`` asked for it; Http404 otherwise, so that other people's
    exports do not show even that they exist. Nobody else, not an administrator, may read it."""
    if not user.is_authenticated:
        raise Http404
    job = export_jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such export")
    return _described(job, now=timezone.now())


def export_jobs_for_user(*, user) -> QuerySet[ExportJob]:
    """The user's own exports, newest first. Lazy, for a paginator: one query per page; describe
    each page with ``with_titles``."""
    return export_jobs_visible_to(user).defer("params", "young_person_ids")


def with_titles(jobs) -> list[ExportJob]:
    """``jobs`` as a list, each described for pages (see ``_described``)."""
    now = timezone.now()
    return [_described(job, now=now) for job in jobs]


def _described(job: ExportJob, *, now: datetime) -> ExportJob:
    # What pages show beside the row: its source's title, whether the file names young people,
    # and whether its download period is over (before the sweep has marked it).
    found = registered(job.source_key)
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
