"""From a dashboard count to the young people behind it (reporting.drill.selectors): how many
there are, and those among them the reader may already open. Same readers and the same filters
as the dashboards: filters that do not make a period answer 404 (no such count), a team manager
naming another team 400."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from csafe.audit.services import record_list_access
from csafe.core.errors import ApplicationError
from csafe.core.pages import render_page
from csafe.exports.views import export_response

from ..dashboards.display import row_label
from ..dashboards.forms import DashboardFilterForm
from ..dashboards.selectors import dashboard_table
from ..permissions import require_dashboard_reader
from ..scope import scope_params
from .selectors import UnknownDrill, drill_young_people

PAGE_SIZE = 50
DRILL_KEYS = ("measure", "column", "key")


def _read(request, data):
    """The drill asked for and the filters it came with. Raises Http404 for filters that do not
    make a period, and the filter form's ApplicationError for a team the reader may not ask for."""
    require_dashboard_reader(request.user)
    asked = {name: data.get(name, "") for name in DRILL_KEYS}
    form = DashboardFilterForm(data, user=request.user)
    filters = form.filters()
    if form.refusal is not None:
        raise form.refusal
    if filters is None:
        raise Http404("Those filters do not make a period")
    return asked, filters


def _bad_request(error: ApplicationError) -> HttpResponse:
    # Reached only by editing a link by hand (the dashboard's links carry the reader's own
    # filters): plain text is enough.
    return HttpResponse(error.message + "\n", status=400, content_type="text/plain; charset=utf-8")


def _row_label(table, row_key: str, column_key: str):
    """The row's label and the count on the dashboard, so the page says which count it opened."""
    index = [c.key for c in table.columns].index(column_key)
    for row in table.rows:
        if row.key == row_key:
            return row_label(table, row), row.cells[index], table.column(column_key).label
    raise Http404("No such row")


@require_GET
def drill(request):
    try:
        asked, filters = _read(request, request.GET)
    except ApplicationError as error:
        return _bad_request(error)
    scope = filters.scope(request.user)
    try:
        result = drill_young_people(
            user=request.user,
            scope=scope,
            table_key=asked["measure"],
            column_key=asked["column"],
            row_key=asked["key"],
        )
        table = dashboard_table(scope, asked["measure"])
    except (UnknownDrill, KeyError) as exc:
        raise Http404("That count has no list of young people behind it") from exc
    row_label, count, column_label = _row_label(table, asked["key"], asked["column"])
    page = Paginator(result.visible, PAGE_SIZE).get_page(request.GET.get("page"))
    # A drill-down is a look-up by what happened to a child: each young person on this page
    # (read once, and shown from the same list) is written to the access log as listed.
    page.object_list = list(page.object_list)
    record_list_access(user=request.user, young_people=page.object_list, resource=request.path)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "reporting/drill.html",
        {
            "result": result,
            "hidden": result.behind - page.paginator.count,
            "page": page,
            "query": query.urlencode(),
            "table": table,
            "row_label": row_label,
            "count": count,
            "column_label": column_label,
            "filters": filters,
            "dashboard_query": urlencode(filters.params()),
            # The table's heading id on the dashboard (templates/reporting/includes/measure.html).
            "anchor": table.key.replace("_", "-"),
            "export_fields": {**asked, **filters.params()},
        },
        section="dashboards",
    )


@require_POST
def drill_export(request):
    """The list as CSV: at once when short, otherwise as a background job (csafe.exports)."""
    try:
        asked, filters = _read(request, request.POST)
        params = {
            **scope_params(
                filters.scope(request.user), team=filters.team, harm_type_id=filters.harm_type_id
            ),
            **asked,
        }
        return export_response(request, "drill", params)
    except ApplicationError as error:
        return _bad_request(error)
