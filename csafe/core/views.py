"""The platform's own pages: the health check and the server error page."""

from __future__ import annotations

from celery import current_app as app
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False


def _broker_status() -> str:
    if app.conf.task_always_eager:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "unavailable"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers and the broker is reachable (or tasks run eagerly)."""
    database = "ok" if _database_ok() else "unavailable"
    broker = _broker_status()
    healthy = database == "ok" and broker in {"ok", "eager"}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


def server_error(request, *args, **kwargs):
    """The 500 page, rendered without the request's context processors: whatever failed may be
    the database or the session, so this page must not touch them."""
    template = loader.get_template("500.html")
    body = template.render(
        {"service_name": settings.SERVICE_NAME, "organisation_name": settings.ORGANISATION_NAME}
    )
    return HttpResponseServerError(body)
