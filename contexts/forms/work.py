"""Forms for a context's assessments, meeting notes and plan. They parse the shape of the input
and word the triangle's sides for the kind of context; the rules (at least one heading, a reason
for the weighting, the thematic-text guard, dates) are the services'."""

from __future__ import annotations

from django import forms

from cases.forms.progress import ProgressForm
from cases.reference import PartnerAgency
from csafe.core.forms import DATE_HINT, GovUKDateField, GovUKForm, text_area

from ..reference import ContextRecordKind, TriangleSide

THEMATIC_HINT = "Describe the context, not the children in it: do not name young people."
NOT_DECIDED = ""


def _text(label: str, required_message: str | None = None, rows: int = 5, **kwargs):
    return text_area(label, required_message, rows=rows, max_length=10000, **kwargs)


class ContextRecordForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What are you recording?",
        widget=forms.RadioSelect,
        choices=ContextRecordKind.choices,
        error_messages={
            "required": "Choose whether this is a context assessment or a meeting note"
        },
    )
    held_on = GovUKDateField(
        label="Date of the assessment or meeting",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date of the assessment or meeting"},
    )
    functioning = _text("")
    guardianship = _text("")
    environment = _text("")
    weighting = forms.ChoiceField(
        label="Which side must change first for safety to increase?",
        widget=forms.RadioSelect,
        required=False,
        help_text="The context weighting",
    )
    weighting_reason = _text("Why must it change first?", rows=3, help_text="Needed with a side")

    def __init__(self, *args, headings: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        # The sides are worded for the kind of context. Bound fields copy a field's label and
        # hint when first made (GovUKForm made them above), so make them again afterwards.
        for side in TriangleSide.values:
            self.fields[side].label = headings[side]
        self.fields[
            "functioning"
        ].help_text = f"Write under at least one of the three headings. {THEMATIC_HINT}"
        self.fields["weighting"].choices = [
            *((side, headings[side]) for side in TriangleSide.values),
            (NOT_DECIDED, "Not decided yet"),
        ]
        self.fields["weighting"].initial = NOT_DECIDED
        self._bound_fields_cache.clear()
        self._describe(self.fields["functioning"], f"{self['functioning'].auto_id}-hint")


class ContextActionForm(GovUKForm):
    side = forms.ChoiceField(
        label="What does the action work on?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the action works on"},
    )
    description = _text("Action", "Describe the action", rows=3, help_text=THEMATIC_HINT)
    partner_agency = forms.ChoiceField(
        label="Partner agency",
        choices=[("", "Choose a partner agency"), *PartnerAgency.choices],
        error_messages={"required": "Choose the partner agency"},
    )
    owner = forms.CharField(
        label="Who is responsible",
        max_length=200,
        help_text="A person or a role, for example Neighbourhood policing sergeant",
        error_messages={"required": "Enter who is responsible for the action"},
    )
    due_date = GovUKDateField(
        label="Due date", help_text=DATE_HINT, error_messages={"required": "Enter the due date"}
    )

    def __init__(self, *args, headings: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [(side, headings[side]) for side in TriangleSide.values]
        self._bound_fields_cache.clear()


class ContextProgressForm(ProgressForm):
    """The plan-action progress form of a young person's plan, with the thematic hint."""

    note = _text("Progress note (optional)", rows=3, help_text=THEMATIC_HINT)


class PlanReviewDateForm(GovUKForm):
    review_date = GovUKDateField(
        label="Plan review date",
        help_text=f"Today or later. {DATE_HINT}",
        error_messages={"required": "Enter the plan review date"},
    )


# --- Correcting, withdrawing and redacting text (contexts.services.corrections) ----------------

_MISSING_VERSION = "This page is out of date: open the context again and make your changes"
REASON_HINT = "Everyone working on the context can read the reason: do not name young people."


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={key: _MISSING_VERSION for key in ("required", "invalid", "min_value")},
    )


class _CorrectionForm(GovUKForm):
    """The text fields of a row, filled with the text as saved, and why it is corrected. The
    fields' labels are given by the page (the triangle's headings for the context's kind)."""

    def __init__(self, *args, labels: dict[str, str], omit=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in omit:
            del self.fields[name]
        for name, label in labels.items():
            self.fields[name].label = label
        self._bound_fields_cache.clear()


class RecordCorrectionForm(_CorrectionForm):
    functioning = _text("")
    guardianship = _text("")
    environment = _text("")
    weighting_reason = _text("Why must it change first?", rows=3)
    correction_reason = _text(
        "Why are you correcting it?",
        "Enter why you are correcting the text",
        rows=3,
        help_text=REASON_HINT,
    )
    version = _version()


class ActionCorrectionForm(_CorrectionForm):
    description = _text("Action", "Describe the action", rows=3, help_text=THEMATIC_HINT)
    owner = forms.CharField(
        label="Who is responsible",
        max_length=200,
        error_messages={"required": "Enter who is responsible for the action"},
    )
    progress_note = _text("Progress note", rows=3)
    correction_reason = _text(
        "Why are you correcting it?",
        "Enter why you are correcting the text",
        rows=3,
        help_text=REASON_HINT,
    )
    version = _version()


class StatusChangeCorrectionForm(_CorrectionForm):
    reason = _text("Reason", "Enter the reason", rows=3)
    functioning_change = _text("")
    guardianship_change = _text("")
    environment_change = _text("")
    correction_reason = _text(
        "Why are you correcting it?",
        "Enter why you are correcting the text",
        rows=3,
        help_text=REASON_HINT,
    )
    version = _version()


class WithdrawalForm(GovUKForm):
    withdrawal_reason = _text(
        "Why are you withdrawing it?",
        "Enter why you are withdrawing the text",
        rows=3,
        help_text=f"The reason is shown in place of the text. {REASON_HINT}",
    )
    version = _version()


class RedactionForm(GovUKForm):
    field = forms.ChoiceField(
        label="Which part of the text holds the passage?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the part of the text that holds the passage",
            "invalid_choice": "Choose the part of the text that holds the passage",
        },
    )
    passage = forms.CharField(
        label="Passage to redact",
        max_length=10000,
        help_text="Copy it exactly, with the same capital letters. It becomes [redacted] "
        "wherever it appears in this text and its earlier versions.",
        error_messages={"required": "Enter the passage to redact, copied exactly from the text"},
    )
    redaction_reason = _text(
        "Why are you redacting it?",
        "Enter why you are redacting the passage",
        rows=3,
        help_text=REASON_HINT,
    )
    version = _version()

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices
        self._bound_fields_cache.clear()
