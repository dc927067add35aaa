"""Forms for a young person's harm flags. They parse and validate input only; the rules live in
cases/services/flags.py."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKDateField, GovUKForm
from harms.forms import HarmTypeChoiceField, TreeChoicesMixin
from harms.models import ArchiveReason, IdentifiedAt, Nature


class RaiseFlagForm(TreeChoicesMixin, GovUKForm):
    harm_type = HarmTypeChoiceField(
        label="Type of harm",
        empty_label="Choose a type of harm",
        error_messages={"required": "Choose the type of harm"},
    )
    nature = forms.ChoiceField(
        label="Nature of the harm",
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (Nature.EXTRA_FAMILIAL, "Extra-familial"),
            (Nature.INTRA_FAMILIAL, "Intra-familial"),
        ],
        help_text="Only for a type that can be either; otherwise the type's own nature is used",
    )
    identified_at = forms.ChoiceField(
        label="Where was it identified?",
        widget=forms.RadioSelect,
        choices=IdentifiedAt.choices,
        error_messages={"required": "Choose where the harm was identified"},
    )
    identified_on = GovUKDateField(
        label="Date identified",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date identified"},
    )
    review_date = GovUKDateField(label="Review date", required=False, help_text="Optional")
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ArchiveFlagForm(GovUKForm):
    reason = forms.ChoiceField(
        label="Why is this flag being archived?",
        widget=forms.RadioSelect,
        choices=ArchiveReason.choices,
        error_messages={"required": "Choose why the flag is being archived"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Explain what was found. This stays on the record's history.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Explain why the flag is being archived"},
    )


class ReinstateFlagForm(GovUKForm):
    reason = forms.CharField(
        label="Why is this flag being reinstated?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Explain why the flag is being reinstated"},
    )


class ReviewFlagForm(GovUKForm):
    note = forms.CharField(
        label="What did the review find?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what the review found"},
    )
    next_review_date = GovUKDateField(
        label="Next review date",
        required=False,
        help_text="Leave blank if no further review is planned",
    )
