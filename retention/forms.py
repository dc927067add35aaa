from __future__ import annotations

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce

from csafe.core.forms import DATE_HINT, GovUKDateField, GovUKForm, text_area
from harms.models import HarmType

from .models import Decision, RetentionBasis

CONFIRM_REQUIRED = "Confirm that you understand erasing cannot be undone"


class RetentionRuleForm(GovUKForm):
    basis = forms.ChoiceField(
        label="How is the retention period counted?",
        widget=forms.RadioSelect,
        choices=RetentionBasis.choices,
        error_messages={"required": "Choose how the retention period is counted"},
    )
    years = forms.IntegerField(
        label="Number of years",
        help_text="Years after closure, or the young person's age, depending on your answer above",
        min_value=1,
        max_value=120,
        error_messages={
            "required": "Enter a number of years",
            "invalid": "Enter the number of years as a whole number, like 25",
            "min_value": "Enter a number of years from 1 to 120",
            "max_value": "Enter a number of years from 1 to 120",
        },
    )
    is_active = forms.BooleanField(
        label="Use this rule to list records due for review",
        required=False,
        help_text="Records this rule covers are never listed while it is not in use",
    )
    policy_note = text_area(
        "Policy reference",
        rows=3,
        max_length=2000,
        help_text="Where this period comes from in your council's retention schedule (optional)",
    )

    def __init__(self, *args, context_rule: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years"].widget.attrs["class"] += " govuk-input--width-3"
        if context_rule:
            self.fields["basis"].choices = [
                (RetentionBasis.AFTER_CLOSURE, RetentionBasis.AFTER_CLOSURE.label)
            ]


class RetentionDecisionForm(GovUKForm):
    decision = forms.ChoiceField(
        label="What is your decision?",
        widget=forms.RadioSelect,
        choices=Decision.choices,
        error_messages={"required": "Choose whether to erase or keep the record"},
    )
    reason = text_area(
        "Reason for your decision",
        "Enter the reason for your decision",
        help_text="Kept with the decision. Do not write the young person's name.",
    )
    review_on = GovUKDateField(
        label="If you keep it, when should it be reviewed again?",
        required=False,
        help_text=DATE_HINT,
    )
    confirm_erase = forms.BooleanField(
        label="If you erase it: I understand that erasing cannot be undone",
        required=False,
        help_text=(
            "Names, address and all text on the record and its history are replaced, and its "
            "documents' files are removed. Dates and counts are kept."
        ),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Decision.ERASE and not data.get("confirm_erase"):
            self.add_error("confirm_erase", CONFIRM_REQUIRED)
        if (
            decision == Decision.KEEP
            and not data.get("review_on")
            and "review_on" not in self.errors
        ):
            self.add_error("review_on", "Enter the date to review the record again")
        return data


class LegalHoldForm(GovUKForm):
    reason = text_area(
        "Why must this record be kept?",
        "Enter the reason for the legal hold",
        help_text=(
            "For example, the litigation, inquiry or complaint and its reference. "
            "Do not write the young person's name."
        ),
    )
    review_on = GovUKDateField(
        label="When should the hold be reviewed?",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date to review the legal hold"},
    )


class LegalHoldLiftForm(GovUKForm):
    lift_reason = text_area(
        "Why can the hold be lifted?",
        "Enter the reason for lifting the legal hold",
        help_text="For example, the proceedings have ended. Do not write the young person's name.",
    )


class HarmTypeChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, harm_type):
        label = str(harm_type)
        if harm_type.parent_id:
            label = f"{harm_type.parent.name}: {label}"
        if not harm_type.is_active:
            label = f"{label} (no longer offered)"
        return label


class LegalHoldRuleForm(GovUKForm):
    harm_types = HarmTypeChoices(
        label="Hold every record with a harm flag or assessment factor of these types",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Flags that were archived and factors that were withdrawn count too. "
            "Records held by this rule are never listed for retention review."
        ),
        error_messages={"invalid_choice": "Choose harm types from the list"},
    )
    citation = forms.CharField(
        label="Short citation",
        max_length=200,
        help_text="Shown with every record the rule holds, like: IICSA instruction, 2 July 2015",
        error_messages={
            "required": "Enter the short citation shown with every record the rule holds"
        },
    )
    policy_note = text_area("Why records are held", rows=4, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Retired types too: the flags raised under them still hold their records. Each type
        # under its parent, in the order of the taxonomy page.
        self.fields["harm_types"].queryset = HarmType.objects.select_related("parent").order_by(
            Coalesce("parent__name", "name"), F("parent").asc(nulls_first=True), "name"
        )
