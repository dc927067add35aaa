"""The period (and, for a service manager, the team) of the CIN census return page."""

from __future__ import annotations

from datetime import date

from django import forms

from csafe.accounts.models import Team
from csafe.core.forms import DATE_HINT, GovUKDateField, GovUKForm

from ..scope import years_before
from .selectors import CENSUS_MAX_YEARS, CENSUS_TOO_LONG

END_BEFORE_START_MESSAGE = "The end of the period must be the same as or after the start"


def census_year(today: date) -> tuple[date, date]:
    """The census year holding ``today``: 1 April to 31 March, the census's reference date."""
    first_year = today.year if today >= date(today.year, 4, 1) else today.year - 1
    return date(first_year, 4, 1), date(first_year + 1, 3, 31)


class CensusPeriodForm(GovUKForm):
    start = GovUKDateField(
        label="Start of the period",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the start of the period"},
    )
    end = GovUKDateField(
        label="End of the period",
        help_text="The census reference date, usually 31 March",
        error_messages={"required": "Enter the end of the period"},
    )
    team = forms.TypedChoiceField(
        label="Team",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a team from the list"},
    )

    def __init__(self, *args, teams: list[Team], choose_team: bool, **kwargs):
        """``teams``: the teams the reader may choose (reporting.permissions.teams_for); the team
        field is offered only when ``choose_team`` (a team manager reads their own team)."""
        super().__init__(*args, **kwargs)
        if choose_team:
            self.fields["team"].choices = [("", "All teams")] + [(t.pk, t.name) for t in teams]
        else:
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", END_BEFORE_START_MESSAGE)
        elif start and end and start < years_before(end, CENSUS_MAX_YEARS):
            self.add_error("start", CENSUS_TOO_LONG)
        return data
