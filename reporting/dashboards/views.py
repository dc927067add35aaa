"""The managers' dashboards: every measure for the chosen period, team and harm type, each as a
chart beside its table, and each table as a CSV file.

Access: team managers (their own team: an address naming another team is refused with 400, on
the page against the team filter) and service managers (every team, or one they choose);
practitioners and administrators are refused with 403, since the page's existence is no secret;
anonymous visitors are sent to sign in (LoginRequiredMiddleware)."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from csafe.core.pages import render_page

from ..drill.selectors import may_list_someone
from ..permissions import require_dashboard_reader
from . import display
from .forms import DashboardFilterForm
from .selectors import MEASURES, dashboard_table, dashboard_tables


@require_GET
def dashboard(request):
    require_dashboard_reader(request.user)
    form = DashboardFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    sections = []
    if filters is not None:
        scope = filters.scope(request.user)
        tables = dashboard_tables(scope)
        # Once for the page, not per count: links only where the reader could list someone.
        links = may_list_someone(user=request.user, scope=scope)
        sections = display.sections(tables, filters.params(), links=links)
    return render_page(
        request,
        "reporting/dashboard.html",
        {"form": form, "filters": filters, "sections": sections},
        section="dashboards",
    )


@require_GET
def dashboard_csv(request, key: str):
    require_dashboard_reader(request.user)
    if key not in MEASURES:
        raise Http404("No such table")
    form = DashboardFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    if filters is None:
        messages = [item["message"] for item in form.error_summary_items()]
        return HttpResponse(
            "\n".join(messages) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    table = dashboard_table(filters.scope(request.user), key)
    out = io.StringIO()
    display.write_csv(table, filters.description(), out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"{key}-{filters.start:%Y-%m-%d}-to-{filters.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
