"""Who may read the dashboards, and over what: the filters a manager chose, narrowed to what their
role allows. Every measure takes a ReportScope; nothing reads the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from csafe.accounts.models import Role, Team
from csafe.core.errors import ApplicationError
from harms.models import HarmType

# The period rules, one place for the page's form and the API alike.
MAX_YEARS = 5
END_IN_FUTURE = "End date must be today or in the past"
START_AFTER_END = "End date must be the same as or after the start date"
TOO_LONG = f"Start date must be no more than {MAX_YEARS} years before the end date"


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 12 months ending today: from the first day of the month eleven months back, so
    a monthly chart shows twelve months, this one so far."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), today


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def period_errors(start: date, end: date) -> dict[str, str]:
    """What is wrong with a dashboard period, by the field to mark (at most one message): it ends
    by today, does not end before it starts, and spans at most MAX_YEARS years."""
    if end > timezone.localdate():
        return {"end": END_IN_FUTURE}
    if start > end:
        return {"end": START_AFTER_END}
    if start < years_before(end, MAX_YEARS):
        return {"start": TOO_LONG}
    return {}


def can_view_dashboards(user) -> bool:
    """Team managers (their team) and service managers (every team). Practitioners read their
    caseload, administrators configure; neither reads the dashboards."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.SERVICE_MANAGER:
        return True
    return user.role == Role.TEAM_MANAGER and user.team_id is not None


CENSUS_PERMISSION = "reporting.download_census_return"
CENSUS_REFUSED = (
    "The census files identify children. Team managers download their own team's; a service "
    "manager needs the permission to download the census return, given by an administrator."
)


def can_download_census(user) -> bool:
    """The CIN census files identify children (LAchildID, date of birth, sex). A team manager
    may download their own team's; a service manager, who otherwise reads aggregates only, needs
    the model permission an administrator grants explicitly (the authority's census lead)."""
    if not can_view_dashboards(user):
        return False
    if user.role == Role.TEAM_MANAGER:
        return True
    return CENSUS_PERMISSION in user.get_all_permissions()


def teams_for(user) -> list[Team]:
    """The teams a manager may filter by: their own for a team manager, every team for a service
    manager."""
    if not can_view_dashboards(user):
        return []
    if user.role == Role.TEAM_MANAGER:
        return [user.team]
    return list(Team.objects.filter(is_active=True).order_by("name"))


@dataclass(frozen=True)
class ReportScope:
    """The period (inclusive), the teams (None: every team) and the harm types (None: every type;
    otherwise the chosen type with every type beneath it in the taxonomy)."""

    start: date
    end: date
    team_ids: tuple[int, ...] | None = None
    harm_type_ids: tuple[int, ...] | None = None
    # Shown on the page and in exports so a table is never read without its filters.
    description: str = ""

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError("start must not be after end")


def scope_for(
    *, user, start: date, end: date, team: Team | None = None, harm_type_ids=None, description=""
) -> ReportScope:
    """The scope a manager may read: a team manager is held to their own team whatever they
    asked for; a service manager reads every team unless they chose one."""
    if not can_view_dashboards(user):
        raise PermissionError("Only team and service managers read the dashboards")
    if user.role == Role.TEAM_MANAGER:
        team_ids = (user.team_id,)
    else:
        team_ids = (team.pk,) if team is not None else None
    return ReportScope(
        start=start,
        end=end,
        team_ids=team_ids,
        harm_type_ids=tuple(harm_type_ids) if harm_type_ids else None,
        description=description,
    )


def scope_params(scope: ReportScope, *, team: Team | None, harm_type_id: int | None) -> dict:
    """A scope as JSON-safe params (ISO dates, ids) for an export job or a link, read back by
    scope_from_params."""
    return {
        "start": scope.start.isoformat(),
        "end": scope.end.isoformat(),
        "team": team.pk if team is not None else None,
        "harm_type": harm_type_id,
    }


def scope_from_params(*, user, params: dict) -> ReportScope:
    """Rebuild the scope an export or link was asked for, holding the user to what they may read
    now (a team manager who has since moved team reads their new team). Raises ApplicationError
    for params that do not make a scope."""
    from .selectors.scoping import with_descendants

    try:
        start = date.fromisoformat(params["start"])
        end = date.fromisoformat(params["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ApplicationError("The period is not a pair of valid dates") from exc
    if start > end:
        raise ApplicationError("The start of the period must be on or before its end")
    team = None
    if params.get("team") is not None:
        team = Team.objects.filter(pk=params["team"]).first()
        if team is None:
            raise ApplicationError("That team does not exist")
    harm_type_ids = None
    if params.get("harm_type") is not None:
        if not HarmType.objects.filter(pk=params["harm_type"]).exists():
            raise ApplicationError("That harm type does not exist")
        harm_type_ids = with_descendants(int(params["harm_type"]))
    return scope_for(user=user, start=start, end=end, team=team, harm_type_ids=harm_type_ids)
