"""The administrator's form for which kinds of plan need a team manager's sign-off."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKForm

from ..reference import PlanKind


class PlanSignOffRulesForm(GovUKForm):
    kinds = forms.MultipleChoiceField(
        label="Which plans need a team manager's sign-off?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=PlanKind.choices,
        help_text=(
            "A plan of a kind you select goes into force only when a team manager of the team "
            "holding the case signs it off. Other plans go into force when their practitioner "
            "finalises them. Select none if no plan needs sign-off"
        ),
        error_messages={"invalid_choice": "Choose kinds of plan from the list"},
    )
