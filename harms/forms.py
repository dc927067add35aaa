"""Forms for the harm taxonomy, and the tree-ordered type choice the flag forms share."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKForm, text_area

from .models import HarmType, Nature
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


class HarmTypeRetireForm(GovUKForm):
    reason = text_area(
        "Why is this type being retired?",
        "Enter why this harm type is being retired",
        help_text="Administrators see this in the type's history",
    )
