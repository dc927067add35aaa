"""Pages for exports: a job's progress, its status as JSON for the progress script, the download,
and the list of the user's own exports. Plus ``export_response``, which the pages that offer an
export answer with, and ``job_url``, where a page sends the person who started a job.

Every job is read through ``selectors.export_job_get_for_user``: only the person who asked sees
a job at all (404 for anyone else); anonymous visitors are sent to sign in by the middleware.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from csafe.core.pages import render_page

from . import selectors, services
from .models import ExportJob, ExportStatus

SECTION = "exports"
PAGE_SIZE = 25


def job_url(job: ExportJob) -> str:
    return reverse("exports:export_job", args=[job.pk])


def _protect(response: HttpResponse) -> HttpResponse:
    # Never let a browser guess a type, render the file in the site's origin, or keep a copy.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store, private"
    return response


def _content_type(content_type: str) -> str:
    textual = content_type.startswith("text/") or content_type.endswith("xml")
    if textual and "charset=" not in content_type:
        return f"{content_type}; charset=utf-8"
    return content_type


def export_response(request, source_key: str, params: dict) -> HttpResponse:
    """Answer a request for an export: the file itself as an attachment when it is short enough
    to write at once, otherwise a redirect to the new job's progress page. The source's
    ``validate`` errors (ApplicationError, PermissionDenied, Http404) go on to the caller, which
    shows them on its own page. Starting a job is a change: call this from a POST where you can."""
    result = services.export_request(user=request.user, source_key=source_key, params=params)
    if isinstance(result, ExportJob):
        return redirect(job_url(result))
    response = HttpResponse(result.content, content_type=_content_type(result.content_type))
    response["Content-Disposition"] = content_disposition_header(True, result.filename)
    return _protect(response)


def _job_context(job: ExportJob) -> dict:
    return {
        "job": job,
        "expired": selectors.export_job_is_expired(job),
        "status_url": reverse("exports:export_job_status", args=[job.pk]),
        "download_url": reverse("exports:export_download", args=[job.pk]),
        "list_url": reverse("exports:export_list"),
        "ttl_hours": settings.CSAFE_EXPORT_TTL_HOURS,
    }


@never_cache
@require_GET
def export_list(request):
    page = Paginator(selectors.export_jobs_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_titles(page.object_list)
    return render_page(
        request,
        "exports/export_list.html",
        {"page": page, "ttl_hours": settings.CSAFE_EXPORT_TTL_HOURS},
        section=SECTION,
    )


@never_cache
@require_GET
def export_job(request, pk: int):
    job = selectors.export_job_get_for_user(user=request.user, pk=pk)
    return render_page(request, "exports/export_job.html", _job_context(job), section=SECTION)


@never_cache
@require_GET
def export_job_status(request, pk: int):
    """What the progress script needs; the same numbers the page shows."""
    job = selectors.export_job_get_for_user(user=request.user, pk=pk)
    status = ExportStatus.EXPIRED if selectors.export_job_is_expired(job) else job.status
    return JsonResponse(
        {
            "status": status,
            "status_label": ExportStatus(status).label,
            "finished": job.is_finished or status == ExportStatus.EXPIRED,
            "rows_written": job.rows_written,
            "rows_total": job.rows_total,
            "percent": job.percent,
        }
    )


@never_cache
@require_POST
def export_download(request, pk: int):
    """A POST, not a link: each download writes access-log rows, which a prefetch, a link
    checker or another site's link must not be able to do in the user's name."""
    job = selectors.export_job_get_for_user(user=request.user, pk=pk)
    try:
        file = services.export_download(user=request.user, job=job)
    except services.ExportExpired:
        return render_page(
            request, "exports/export_expired.html", _job_context(job), section=SECTION, status=410
        )
    response = FileResponse(
        file.handle,
        as_attachment=True,
        filename=file.filename,
        content_type=_content_type(file.content_type),
    )
    return _protect(response)
