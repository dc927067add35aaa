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

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            # An unknown kind (an old bookmark, an edited address) is dropped rather than
            # refusing the whole filter, so the kinds that are known still apply, as in the API.
            data = data.copy()
            data.setlist("kind", [k for k in data.getlist("kind") if k in ChronologyKind.values])
        super().__init__(data, *args, **kwargs)

    def kinds(self) -> list[str]:
        return self.cleaned_data["kind"] if self.is_valid() else []
