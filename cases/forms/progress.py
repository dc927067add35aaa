"""The form for recording progress on an action, shared by a young person's plan actions and a
context's plan actions (``contexts.forms.work.ContextProgressForm``), as ``cases.services.progress``
is the rule both apply. It holds reference data only (``cases.reference``), so thematic context
code may import it without reaching for a young person's record."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKDateField, GovUKForm, text_area

from ..reference import ActionProgress


class ProgressForm(GovUKForm):
    progress = forms.ChoiceField(
        label="Progress",
        widget=forms.RadioSelect,
        choices=ActionProgress.choices,
        error_messages={"required": "Choose the progress of the action"},
    )
    completed_on = GovUKDateField(
        label="Date done", required=False, help_text="Only when the action is done"
    )
    note = text_area("Progress note (optional)", rows=3, max_length=4000)
