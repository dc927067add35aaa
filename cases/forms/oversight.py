"""The management oversight form. It checks every rule at once (the service's own list of them,
``oversight_note_problems``), so a manager sees every problem after one submit."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKDateField, GovUKForm

from ..services.oversight import (
    DATE_REQUIRED,
    DECISION_REQUIRED,
    REASONS_REQUIRED,
    oversight_note_problems,
)


class OversightNoteForm(GovUKForm):
    recorded_on = GovUKDateField(
        label="Date of the oversight",
        help_text="For example, 27 3 2025",
        error_messages={"required": DATE_REQUIRED},
    )
    decision = forms.CharField(
        label="What did you decide?",
        help_text="For example, the next steps for the case and who will take them",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": DECISION_REQUIRED},
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="What you considered in reviewing the case, and why you decided as you did",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": REASONS_REQUIRED},
    )
    next_review_on = GovUKDateField(
        label="Date the next oversight is due",
        help_text="Optional. For example, 27 6 2025",
        required=False,
    )

    def clean(self):
        data = super().clean()
        # A field its own checks refused (empty, not a date) keeps that one message.
        for problem in oversight_note_problems(
            recorded_on=data.get("recorded_on"),
            decision=data.get("decision", ""),
            reasons=data.get("reasons", ""),
            next_review_on=data.get("next_review_on"),
        ):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return data
