"""The CIN census return page (counts only) and its two downloads (which identify children).

Team managers read their own team (a download naming another team is refused with 400), service
managers every team or one they choose; anyone else is refused (403), and sign-in is required by
the site's LoginRequiredMiddleware.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from csafe.core.errors import ApplicationError
from csafe.core.pages import render_page
from csafe.exports.registry import ExportSource
from csafe.exports.views import export_response

from ..exports.census import CENSUS_CSV, CENSUS_XML
from ..permissions import (
    can_download_census,
    own_team_only,
    require_dashboard_reader,
    teams_for,
)
from ..scope import scope_from_params
from .forms import CensusPeriodForm, census_year
from .selectors import census_params, census_summary


def _url(request, name: str) -> str:
    """Reverse one of these views within whatever namespace reporting/urls.py mounts them in."""
    namespace = request.resolver_match.namespace
    return reverse(f"{namespace}:{name}" if namespace else name)


@require_GET
def census(request):
    user = request.user
    require_dashboard_reader(user)
    teams = teams_for(user)
    choose_team = not own_team_only(user)
    start, end = census_year(timezone.localdate())
    form = CensusPeriodForm(
        request.GET or None,
        teams=teams,
        choose_team=choose_team,
        initial={"start": start, "end": end},
    )
    summary = downloads = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        params = census_params(
            start=data.get("start", start), end=data.get("end", end), team_id=data.get("team")
        )
        summary = census_summary(scope_from_params(user=user, params=params))
        downloads = {
            "csv": _url(request, "census_csv"),
            "xml": _url(request, "census_xml"),
            "params": params,
        }
    return render_page(
        request,
        "reporting/census.html",
        {
            "form": form,
            "summary": summary,
            "downloads": downloads,
            "team": None if choose_team else (teams[0] if teams else None),
            "may_download": can_download_census(user),
        },
        section="dashboards",
    )


def _download(request, source: ExportSource):
    require_dashboard_reader(request.user)
    # Parsed here so that only clean values reach the export (and its file name).
    team = request.POST.get("team") or None
    try:
        start = date.fromisoformat(request.POST.get("start", ""))
        end = date.fromisoformat(request.POST.get("end", ""))
    except ValueError:
        return _bad_request("The period is not a pair of valid dates")
    if team is not None and not team.isdigit():
        return _bad_request("That team does not exist")
    params = census_params(start=start, end=end, team_id=int(team) if team else None)
    try:
        return export_response(request, source.key, params)
    except ApplicationError as error:
        return _bad_request(error.message)


def _bad_request(message: str) -> HttpResponseBadRequest:
    # Reached only by editing a download link by hand: plain text is enough.
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_POST
def census_csv(request):
    return _download(request, CENSUS_CSV)


@require_POST
def census_xml(request):
    return _download(request, CENSUS_XML)
