"""Forms for child and family assessments. They parse and check the shape of input; the rules
(dates in order, who may authorise, what a completed assessment needs) are the services'.

Where a form refuses an empty field before the service sees it, it uses the service's message,
so a rule reads the same on the pages and in the API."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKDateField, GovUKForm
from csafe.core.vocabulary import ContextKind, context_kind_choices
from harms.reference import CINFactor

from ..models import Assessment, Referral, YoungPerson
from ..reference import AssessmentDecision, DocumentKind, NatureOfHarm
from ..services.assessments import (
    AUTHORISATION_REASON_REQUIRED,
    NO_HARM_FACTORS_MESSAGE,
    authorised_before_completion_message,
)
from .records import document_title_field, upload_file_field

TEXTAREA_ROWS = 4


def version_field(noun: str) -> forms.IntegerField:
    """The hidden version of the ``noun`` ("assessment", "plan") the editor loaded: the service
    refuses the save if someone saved since. Only a page not loaded from csafe lacks it (or
    has a broken one), so every message says the same thing."""
    missing = f"This page is out of date: open the {noun} again and make your changes"
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": missing, "invalid": missing, "min_value": missing},
    )


def _prompt(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
    )


class _PromptsForm(GovUKForm):
    """The extra-familial prompts and the external factors bearing on parental capacity."""

    peers = _prompt(
        "Peers and friendships (optional)",
        "Who the young person spends time with, and how those relationships keep them safe or "
        "put them at risk",
    )
    school = _prompt(
        "School or education (optional)",
        "Attendance, exclusions, relationships with staff and other pupils",
    )
    neighbourhood = _prompt(
        "Neighbourhood and public spaces (optional)",
        "Places the young person goes, and who they meet there",
    )
    online = _prompt("Online (optional)", "Platforms, contacts and what happens in online spaces")
    capacity_undermining = _prompt(
        "External factors that undermine parental capacity (optional)",
        "What outside the home makes it harder for parents or carers to keep the young person safe",
    )
    capacity_boosting = _prompt(
        "External factors that boost parental capacity (optional)",
        "Who and what outside the home helps parents or carers keep the young person safe",
    )

    PROMPTS = (
        "peers",
        "school",
        "neighbourhood",
        "online",
        "capacity_undermining",
        "capacity_boosting",
    )


class AssessmentStartForm(_PromptsForm):
    started_on = GovUKDateField(
        label="Date started",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the assessment started"},
    )
    referral = forms.ModelChoiceField(
        label="Referral that led to this assessment (optional)",
        queryset=Referral.objects.none(),
        required=False,
        empty_label="Not linked to a referral",
        error_messages={"invalid_choice": "Choose one of this young person's referrals"},
    )

    field_order = ["started_on", "referral", *_PromptsForm.PROMPTS]

    def __init__(self, *args, young_person: YoungPerson, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this young person's referrals are offered, so no other record's can be named.
        referral = self.fields["referral"]
        referral.queryset = Referral.objects.filter(young_person=young_person).order_by(
            "-received_on", "-pk"
        )
        referral.label_from_instance = lambda r: (
            f"Received {r.received_on.day} {r.received_on:%B %Y}: {r.get_source_display()}"
        )

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.PROMPTS}


class AssessmentEditForm(_PromptsForm):
    version = version_field("assessment")
    started_on = GovUKDateField(
        label="Date started",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the assessment started"},
    )
    conclusion = _prompt(
        "Conclusion so far (optional)",
        "You can draft the conclusion now; it is needed to complete the assessment",
    )

    field_order = ["version", "started_on", *_PromptsForm.PROMPTS, "conclusion"]

    @classmethod
    def initial_for(cls, assessment: Assessment) -> dict:
        names = ["version", "started_on", *cls.PROMPTS, "conclusion"]
        return {name: getattr(assessment, name) for name in names}

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in [*self.PROMPTS, "conclusion"]}


class ContextualFactorForm(GovUKForm):
    domain = forms.ChoiceField(
        label="Which context is this factor in?",
        choices=ContextKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the context the factor sits in"},
    )
    description = forms.CharField(
        label="Describe the factor",
        help_text="What in this context causes harm or keeps the young person safe",
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        error_messages={"required": "Describe the contextual factor"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The peer group in the administrator's word ("Network"...), read per form.
        self.fields["domain"].choices = context_kind_choices()


class ConfirmForm(GovUKForm):
    """A confirmation with nothing to fill in; the service's refusal shows in its summary."""


class MapUploadForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What kind of map is it?",
        choices=[
            (DocumentKind.PEER_MAP, DocumentKind.PEER_MAP.label),
            (DocumentKind.SAFETY_MAP, DocumentKind.SAFETY_MAP.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is a peer map or a safety map"},
    )
    title = document_title_field()
    file = upload_file_field()
    # Not required here: clean() names the kind of map in the message, as the service does.
    shaped_conclusion = forms.CharField(
        label="How did this map shape the assessment's conclusion?",
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("shaped_conclusion", "").strip():
            kind = data.get("kind")
            label = DocumentKind(kind).label.lower() if kind else "map"
            self.add_error(
                "shaped_conclusion", f"Say how the {label} shaped the assessment's conclusion"
            )
        return data


def _cin_choice_label(code: str) -> str:
    return f"{CINFactor(code).label} ({code})"


def cin_suggestion_hint(suggested: list[str]) -> str:
    if not suggested:
        return (
            "None of the young person's current harm flags suggests a factor. Choose every "
            'factor the assessment found, or "No factors identified".'
        )
    names = "; ".join(_cin_choice_label(code) for code in suggested)
    return (
        f"Ticked from the young person's current harm flags: {names}. Untick any the "
        "assessment did not confirm and tick any others it found. If no harm was found, "
        'choose "No factors identified" alone.'
    )


class AssessmentCompleteForm(GovUKForm):
    version = version_field("assessment")
    completed_on = GovUKDateField(
        label="Date completed",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the assessment was completed"},
    )
    conclusion = forms.CharField(
        label="Conclusion",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the conclusion of the assessment"},
    )
    outcome_nature = forms.ChoiceField(
        label="Nature of the harm found",
        choices=NatureOfHarm.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the nature of the harm found"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=AssessmentDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    # Not required here: with no harm found, no factor means "No factors identified" (the
    # service's rule); clean() asks for factors otherwise.
    cin_factors = forms.MultipleChoiceField(
        label="Factors identified at the end of assessment (children in need census)",
        choices=[(code, _cin_choice_label(code)) for code in CINFactor.values],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "required": 'Choose the factors identified, or "No factors identified"',
            "invalid_choice": "Not a CIN census factor code: %(value)s",
        },
    )

    def __init__(self, *args, suggested: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # The hint depends on the young person, so it is set after GovUKForm has made each
        # bound field (which copies its hint) and linked hints to widgets: do both here.
        hint = cin_suggestion_hint(suggested)
        self.fields["cin_factors"].help_text = hint
        self["cin_factors"].help_text = hint
        self._describe(self.fields["cin_factors"], f"{self['cin_factors'].auto_id}-hint")

    def clean(self):
        data = super().clean()
        nature, codes = data.get("outcome_nature"), data.get("cin_factors")
        if "cin_factors" in self.errors:
            return data
        if not codes and nature != NatureOfHarm.NONE_FOUND:
            self.add_error("cin_factors", self.fields["cin_factors"].error_messages["required"])
        elif nature == NatureOfHarm.NONE_FOUND and codes and codes != [CINFactor.NO_FACTORS]:
            self.add_error("cin_factors", NO_HARM_FACTORS_MESSAGE)
        return data

    @classmethod
    def initial_for(cls, assessment: Assessment, suggested: list[str], today) -> dict:
        """Today's date, what was written before (for an assessment returned for more work),
        and the CIN factors ticked: those the flags suggest and any recorded before."""
        recorded = [row.code for row in assessment.current_cin_factors]
        return {
            "version": assessment.version,
            "completed_on": today,
            "conclusion": assessment.conclusion,
            "outcome_nature": assessment.outcome_nature or None,
            "decision": assessment.decision or None,
            "cin_factors": list(dict.fromkeys([*suggested, *recorded])),
        }


class AssessmentAuthoriseForm(GovUKForm):
    authorised_on = GovUKDateField(
        label="Date authorised",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the assessment was authorised"},
    )
    reason = forms.CharField(
        label="Your reasoning",
        help_text=(
            "Why the assessment's conclusion, nature of harm and decision are right. The "
            "practitioner sees this on the assessment, and it is part of the management "
            "oversight on the record"
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        error_messages={"required": AUTHORISATION_REASON_REQUIRED},
    )

    def __init__(self, *args, completed_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.completed_on = completed_on

    def clean_authorised_on(self):
        # The service refuses it as well; checked here so it shows beside a missing reasoning.
        authorised_on = self.cleaned_data["authorised_on"]
        if self.completed_on is not None and authorised_on < self.completed_on:
            raise forms.ValidationError(authorised_before_completion_message(self.completed_on))
        return authorised_on


class AssessmentReturnForm(GovUKForm):
    reason = forms.CharField(
        label="What more is needed?",
        help_text="The practitioner sees this on the assessment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        error_messages={"required": "Say what more is needed"},
    )
