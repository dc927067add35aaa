"""The dashboards' filters: a period, a team and a harm type, read from the query string so that
a filtered page (and each of its CSV files) can be bookmarked and shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms

from csafe.accounts.models import Team
from csafe.core.converters import LARGEST_KEY
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError
from csafe.core.forms import DATE_HINT, GovUKDateField, GovUKForm, add_service_error
from harms.selectors import harm_type_choices

from ..permissions import own_team_only, teams_for
from ..scope import (
    ReportScope,
    default_period,
    period_errors,
    scope_for,
    scope_team,
    with_descendants,
)

ALL_TEAMS = "All teams"
ALL_HARM_TYPES = "All harm types"
DATE_KEYS = tuple(f"{p}_{part}" for p in ("start", "end") for part in ("day", "month", "year"))


@dataclass(frozen=True)
class DashboardFilters:
    """The filters as applied: what the measures read and what every link carries on."""

    start: date
    end: date
    team: Team | None
    harm_type_id: int | None
    harm_type_label: str

    def params(self) -> dict[str, str]:
        """The query-string parameters that give these filters again."""
        params = {
            "start_day": str(self.start.day),
            "start_month": str(self.start.month),
            "start_year": str(self.start.year),
            "end_day": str(self.end.day),
            "end_month": str(self.end.month),
            "end_year": str(self.end.year),
        }
        if self.team is not None:
            params["team"] = str(self.team.pk)
        if self.harm_type_id is not None:
            params["harm_type"] = str(self.harm_type_id)
        return params

    def description(self) -> str:
        """One line naming every filter, for the page and the first line of each CSV file."""
        team = self.team.name if self.team is not None else ALL_TEAMS.lower()
        harm = (
            f"harm type {self.harm_type_label} (with the types beneath it)"
            if self.harm_type_id is not None
            else ALL_HARM_TYPES.lower()
        )
        return f"{long_date(self.start)} to {long_date(self.end)}; {team}; {harm}"

    def scope(self, user) -> ReportScope:
        return scope_for(
            user=user,
            start=self.start,
            end=self.end,
            team=self.team,
            harm_type_ids=(
                with_descendants(self.harm_type_id) if self.harm_type_id is not None else None
            ),
            description=self.description(),
        )


class DashboardFilterForm(GovUKForm):
    start = GovUKDateField(
        label="Start date",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the start date"},
    )
    end = GovUKDateField(
        label="End date",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the end date"},
    )
    # Any value reaches clean(), where scope_team decides whether the reader may ask for it.
    team = forms.CharField(label="Team", required=False, widget=forms.Select)
    harm_type = forms.ChoiceField(
        label="Harm type",
        required=False,
        help_text="Young people with a flag of this type or of a type beneath it",
    )

    def __init__(self, data=None, *, user, **kwargs):
        self.user = user
        # The team rule's refusal when the reader named a team they may not ask for (shown on
        # the team filter; the drill-down answers it with 400).
        self.refusal: ApplicationError | None = None
        # A team manager reads their own team only: the page offers them no team control, and
        # shows it (with their team alone) only to mark another team they named (shows_team).
        self.offers_team = not own_team_only(user)
        self._named: dict[str, Team | None] = {}
        teams = teams_for(user)
        self.teams = {str(team.pk): team for team in teams}
        harm_types = harm_type_choices(include_retired=True)
        self.harm_types = {str(pk): label for pk, label in harm_types}
        if data is not None and hasattr(data, "copy"):
            # A team or harm type that is not there to choose (an unknown id, a team closed or a
            # type removed since the address was shared) is dropped, not refused: the page then
            # shows, and the scope applies, every team or every type. A team manager naming
            # another team that exists is refused in clean().
            data = data.copy()
            if data.get("team") and not self._named_team(data["team"]):
                data["team"] = ""
            if data.get("harm_type") and data.get("harm_type") not in self.harm_types:
                data["harm_type"] = ""
        start, end = default_period()
        if data is not None and hasattr(data, "copy") and not any(k in data for k in DATE_KEYS):
            # A link that names only a team or a harm type reads the default period.
            data = data.copy()
            for prefix, day in (("start", start), ("end", end)):
                data[f"{prefix}_day"] = str(day.day)
                data[f"{prefix}_month"] = str(day.month)
                data[f"{prefix}_year"] = str(day.year)
        kwargs.setdefault("initial", {"start": start, "end": end})
        super().__init__(data, **kwargs)
        self.fields["team"].widget.choices = (
            [("", ALL_TEAMS), *((k, t.name) for k, t in self.teams.items())]
            if self.offers_team
            else [(k, t.name) for k, t in self.teams.items()]
        )
        self.fields["harm_type"].choices = [("", ALL_HARM_TYPES), *self.harm_types.items()]

    def _named_team(self, value: str) -> Team | None:
        """The team a value names: one the reader may choose or, for a team manager, any team
        (so that another team is refused rather than dropped); None for no team."""
        if value in self.teams:
            return self.teams[value]
        if self.offers_team or not (value.isascii() and value.isdigit()):
            return None
        if value not in self._named:
            number = int(value)
            found = Team.objects.filter(pk=number).first() if number <= LARGEST_KEY else None
            self._named[value] = found
        return self._named[value]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            for field, message in period_errors(start, end).items():
                self.add_error(field, message)
        try:
            data["team"] = scope_team(user=self.user, team=self._named_team(data.get("team") or ""))
        except ApplicationError as error:
            self.refusal = error
            add_service_error(self, error)
        return data

    @property
    def shows_team(self) -> bool:
        """Whether the page draws the team control: always for a service manager, and for a
        team manager only to mark the other team they named."""
        return self.offers_team or self.has_error("team")

    def filters(self) -> DashboardFilters | None:
        """The filters to apply: the defaults (last 12 months, every team the reader may see,
        every harm type) before any are chosen, the chosen ones once valid, None while the
        choice has errors."""
        if not self.is_bound:
            start, end = default_period()
            return DashboardFilters(start, end, scope_team(user=self.user, team=None), None, "")
        if not self.is_valid():
            return None
        data = self.cleaned_data
        harm_type = data.get("harm_type") or None
        return DashboardFilters(
            start=data["start"],
            end=data["end"],
            team=data["team"],
            harm_type_id=int(harm_type) if harm_type else None,
            harm_type_label=self.harm_types.get(harm_type or "", ""),
        )
