from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKDateField, GovUKForm

from .models import ArchiveReason, HarmType, IdentifiedAt, Nature
from .reference import CINFactor
from .selectors import harm_type_choices


class HarmTypeChoiceField(forms.ModelChoiceField):
    """Shown as "Parent › Child" paths in tree order (see ``show_tree``). Validation accepts any
    type; the services refuse retired ones with a clear message."""

    def __init__(self, *args, include_retired: bool = False, **kwargs):
        self.include_retired = include_retired
        super().__init__(HarmType.objects.all(), *args, **kwargs)

    def show_tree(self) -> None:
        """Fill the choices from the database; called per form, never at import."""
        self.choices = [("", self.empty_label or "")] + harm_type_choices(
            include_retired=self.include_retired
        )


class TreeChoicesMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, HarmTypeChoiceField):
                field.show_tree()


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


class HarmTypeForm(TreeChoicesMixin, GovUKForm):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter a name for the harm type"}
    )
    parent = HarmTypeChoiceField(
        label="Sits under",
        required=False,
        empty_label="Nothing (a top-level type)",
        include_retired=True,
    )
    nature = forms.ChoiceField(
        label="Nature",
        widget=forms.RadioSelect,
        choices=Nature.choices,
        error_messages={"required": "Choose the nature of this harm type"},
    )
    cin_code = forms.ChoiceField(
        label="CIN census factor",
        required=False,
        choices=[("", "None")] + [(c.value, f"{c.value}: {c.label}") for c in CINFactor],
        help_text="The children in need census factor this type is reported as",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
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
