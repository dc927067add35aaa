"""The chronology's filter."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKForm

from ..selectors.chronology import ChronologyKind


class ChronologyFilterForm(GovUKForm):
    kind = forms.MultipleChoiceField(
        label="Show",
        choices=ChronologyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box clear to see everything",
    )

    def kinds(self) -> list[str]:
        return self.cleaned_data["kind"] if self.is_valid() else []
