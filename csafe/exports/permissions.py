"""Who may see an export job and have its file: the person who asked, and nobody else (not an
administrator), and for a file that names young people only while its source says they may
still hold every one of them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from csafe.core.errors import ApplicationError

from .models import ExportJob
from .registry import ExportSource

NO_ACCESS_MESSAGE = "You no longer have access to the records in this export."


def export_jobs_visible_to(user) -> QuerySet[ExportJob]:
    """The jobs ``user`` asked for; none for an anonymous visitor."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)


def may_download(user, job: ExportJob) -> bool:
    """Only the person who asked may have the file of ``job``."""
    return user.is_authenticated and job.requested_by_id == user.pk


def require_still_entitled(*, user, found: ExportSource, job: ExportJob) -> None:
    """Access is checked again when a file holding personal data is handed over, not only when
    it was written: the user's role, team or allocations may have changed in between (Http404
    with NO_ACCESS_MESSAGE when the source refuses the params now, or says the user may no
    longer hold every young person in the file)."""
    try:
        found.validate(user, job.params)
    except (ApplicationError, PermissionDenied, Http404) as exc:
        raise Http404(NO_ACCESS_MESSAGE) from exc
    ids = set(job.young_person_ids or ())
    if ids and not found.may_hold(user, ids):
        raise Http404(NO_ACCESS_MESSAGE)
