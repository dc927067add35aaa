"""The scope of a report: the period, teams and harm types its figures cover. Every dashboard
measure, drill-down and census file reads a ReportScope, and every channel (the dashboard page and
its CSV files, the drill-down, the census return, the API, an export job) builds it here, held to
what the reader may read (reporting.permissions). Nothing here reads the request.

Below the builder are the query expressions that apply a scope, and the flag conditions the
measures, the drill-down and the census share, written once so that a measure is one aggregate
over the database whatever the scope. Nothing here evaluates rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from cases.reference import NatureOfHarm
from csafe.accounts.models import Team
from csafe.core.errors import ApplicationError
from harms.models import FLAG_NOT_ARCHIVED, ArchiveReason, FlagStatus, HarmFlag, HarmType

from .permissions import can_read_team, can_view_dashboards, own_team_only

# The period rules, one place for the page's form and the API alike.
MAX_YEARS = 5
END_IN_FUTURE = "End date must be today or in the past"
START_AFTER_END = "End date must be the same as or after the start date"
TOO_LONG = f"Start date must be no more than {MAX_YEARS} years before the end date"
# A team manager naming a team other than their own, on any channel.
OTHER_TEAM = "You can only see figures for your own team"


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 12 months ending today: from the day after the same date a year back, so the
    period is exactly a year (9 December 2025 to 8 December 2026). The dashboards' default, the
    API's and the "Clear filters (last 12 months)" link all read this one rule. A monthly table
    then shows part months at either end, labelled with the days they cover."""
    today = today or timezone.localdate()
    return years_before(today, 1) + timedelta(days=1), today


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


# --- Building a scope ---------------------------------------------------------------------------


def scope_team(*, user, team: Team | None) -> Team | None:
    """The team a reader's figures are for, by the one rule every channel applies: a team
    manager's are always their own team's (whether or not they name it); a service manager's are
    the team they chose, or every team (None). Raises ApplicationError on the field "team" when a
    team manager names another team: the API answers it with 400, the pages show it against the
    team filter. Assumes can_view_dashboards(user)."""
    if not can_read_team(user, team):
        raise ApplicationError(OTHER_TEAM, field="team")
    return user.team if own_team_only(user) else team


def with_descendants(harm_type_id: int) -> tuple[int, ...]:
    """The chosen harm type and every type beneath it in the taxonomy (one query over the small
    taxonomy table), so that filtering by "Exploitation" counts its subtypes as well."""
    parents = dict(HarmType.objects.values_list("pk", "parent_id"))
    chosen = {harm_type_id}
    changed = True
    while changed:
        changed = False
        for pk, parent in parents.items():
            if parent in chosen and pk not in chosen:
                chosen.add(pk)
                changed = True
    return tuple(sorted(chosen))


def scope_for(
    *, user, start: date, end: date, team: Team | None = None, harm_type_ids=None, description=""
) -> ReportScope:
    """The scope a dashboard reader asked for, held to scope_team's rule. Raises PermissionError
    for anyone who does not read the dashboards (callers check first), and ApplicationError
    (field "team") for a team manager naming another team."""
    if not can_view_dashboards(user):
        raise PermissionError("Only team and service managers read the dashboards")
    team = scope_team(user=user, team=team)
    return ReportScope(
        start=start,
        end=end,
        team_ids=(team.pk,) if team is not None else None,
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
    now: a job asked for by a team manager who has since moved team is refused like a request
    naming another team. Raises ApplicationError for params that do not make a scope."""
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


# --- Applying a scope in a query ----------------------------------------------------------------

# A referral or assessment "carries an extra-familial marker" when its marker is extra-familial or
# both: the research counts both as extra-familial harm seen by the service.
EXTRA_MARKERS = (NatureOfHarm.EXTRA_FAMILIAL, NatureOfHarm.BOTH)


def flag_counts(prefix: str = "") -> Q:
    """Flags that were ever true: everything except a flag archived as recorded in error.
    Written without a negation: across a join (``young_person__harm_flags__``) Django turns a
    negated condition into correlated subqueries, which are slow at a million flags."""
    return Q(**{f"{prefix}status": FlagStatus.ACTIVE}) | Q(
        **{f"{prefix}archive_reason__in": (ArchiveReason.NO_LONGER, ArchiveReason.NEVER)}
    )


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone. A timestamp's local date is on
    or after ``day`` exactly when the timestamp is at or after this, so a period compares the
    column itself (which an index can serve) rather than casting every row to a local date
    (``__date``), which no index serves. Midnight is never skipped or repeated in Europe/London."""
    return timezone.make_aware(datetime.combine(day, time.min))


def flag_archived_or_never(prefix: str = "") -> Coalesce:
    """When the flag was archived, or FLAG_NOT_ARCHIVED while it is not: "not archived, or archived
    after X" becomes one range on this expression, which harms_flag_current indexes (see
    harms.models). Written exactly as that index is, or PostgreSQL cannot match the two."""
    return Coalesce(F(f"{prefix}archived_at"), Value(FLAG_NOT_ARCHIVED))


def flag_current_on(day: date, prefix: str = "") -> Q:
    """A flag current on ``day``: identified on or before it and not archived by the end of it.
    (A reinstated flag is current from its identification; the gap while it was archived is in
    its history, not in these columns.)"""
    return (
        Q(**{f"{prefix}identified_on__lte": day})
        # Not archived, or archived on a later (local) day.
        & Q(GreaterThanOrEqual(flag_archived_or_never(prefix), start_of(day + timedelta(days=1))))
        & flag_counts(prefix)
    )


def flag_current_during(start: date, end: date, prefix: str = "") -> Q:
    """A flag current at some point in the period."""
    return (
        Q(**{f"{prefix}identified_on__lte": end})
        # Not archived, or archived on the first (local) day of the period or later.
        & Q(GreaterThanOrEqual(flag_archived_or_never(prefix), start_of(start)))
        & flag_counts(prefix)
    )


def young_person_scope(scope: ReportScope, prefix: str = "young_person__") -> Q:
    """The team filter (the team holding the record) and the harm-type filter (the young person
    has, or had, a flag of one of the chosen types that was not recorded in error), applied to a
    queryset reaching the young person through ``prefix``."""
    condition = Q()
    if scope.team_ids is not None:
        condition &= Q(**{f"{prefix}team_id__in": scope.team_ids})
    if scope.harm_type_ids is not None:
        young_person_ref = f"{prefix}pk" if prefix else "pk"
        condition &= Q(
            Exists(
                HarmFlag.objects.filter(
                    flag_counts(),
                    young_person=OuterRef(young_person_ref),
                    harm_type_id__in=scope.harm_type_ids,
                )
            )
        )
    return condition
