from __future__ import annotations

from django import forms

from csafe.accounts.models import Role, Team, User
from csafe.core.forms import GovUKDateField, GovUKForm
from csafe.core.validators import validate_uk_postcode
from harms.models import HarmType
from harms.selectors import harm_type_choices

from ..models import CaseStatus, Ethnicity, LocationType, Sex
from ..reference import REFERRAL_NATURES, ReferralDecision, ReferralSource
from ..selectors import ORDERINGS, CaseloadFilters
from ..services.referrals import HarmInput, LocationInput
from ..services.young_people import DETAIL_FIELDS


class CaseloadFilterForm(GovUKForm):
    q = forms.CharField(
        label="Name or local identifier",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Open and closed"), *CaseStatus.choices]
    )
    mine = forms.BooleanField(label="Only young people allocated to me", required=False)
    order = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("name", "Last name"), ("-updated", "Recently updated"), ("dob", "Date of birth")],
    )

    def filters(self) -> CaseloadFilters:
        if not self.is_valid():
            return CaseloadFilters()
        data = self.cleaned_data
        return CaseloadFilters(
            search=data["q"],
            status=data["status"],
            allocated_to_me=data["mine"],
            ordering=data["order"] if data["order"] in ORDERINGS else "name",
        )


class AllocateWorkerForm(GovUKForm):
    worker = forms.ModelChoiceField(
        label="Worker to allocate",
        queryset=User.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose a worker to allocate"},
    )

    def __init__(self, *args, team: Team | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(
            team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER]
        ).order_by("last_name", "first_name")


class EndAllocationForm(GovUKForm):
    reason = forms.CharField(
        label="Why is this allocation ending?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the allocation is ending"},
    )


class YoungPersonForm(GovUKForm):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter a last name"}
    )
    preferred_name = forms.CharField(
        label="Preferred name (optional)", max_length=100, required=False
    )
    date_of_birth = GovUKDateField(
        label="Date of birth",
        not_future="Date of birth must be in the past",
        help_text="For example, 27 3 2012",
        error_messages={"required": "Enter a date of birth"},
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect, initial="U")
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial="NOBT")
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town (optional)", max_length=100, required=False)
    postcode = forms.CharField(
        label="Postcode (optional)",
        max_length=8,
        required=False,
        validators=[validate_uk_postcode],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )


class ConfirmNewForm(GovUKForm):
    confirm_new = forms.BooleanField(
        label="None of these is the same young person: open a new record", required=False
    )


class ReferralForm(GovUKForm):
    received_on = GovUKDateField(
        label="Date received",
        not_future="The date received must be today or in the past",
        error_messages={"required": "Enter the date the referral came in"},
    )
    source = forms.ChoiceField(
        label="Source of referral",
        choices=[("", "Choose a source"), *ReferralSource.choices],
        help_text="Children in need census referral source",
        error_messages={"required": "Choose the source of the referral"},
    )
    reason = forms.CharField(
        label="Reason for referral",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for the referral"},
    )
    nature_of_harm = forms.ChoiceField(
        label="Nature of harm",
        choices=REFERRAL_NATURES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the nature of harm"},
    )
    harm_types = forms.MultipleChoiceField(
        label="Harm flags to raise (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Choose every type that applies. A type already flagged is left as it is. A type "
            "that can be extra- or intra-familial is flagged as the nature of harm says."
        ),
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReferralDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled per form from the database, never at import.
        self.fields["harm_types"].choices = harm_type_choices()

    def harm_inputs(self) -> list:
        chosen = HarmType.objects.in_bulk([int(pk) for pk in self.cleaned_data["harm_types"]])
        return [HarmInput(harm_type=chosen[int(pk)]) for pk in self.cleaned_data["harm_types"]]


class LocationForm(GovUKForm):
    location_type = forms.ModelChoiceField(
        label="Type of place",
        queryset=LocationType.objects.filter(is_active=True),
        required=False,
        empty_label="Choose a type of place",
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        required=False,
        validators=[validate_uk_postcode],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    place_name = forms.CharField(
        label="Place name",
        max_length=200,
        required=False,
        help_text="For example, the name of a park or shop",
    )

    def clean(self):
        data = super().clean()
        # A postcode typed but refused still counts as filled in: the refusal is its one message,
        # and the missing type of place is reported beside it in the same submit.
        bad_postcode = "postcode" in self.errors
        filled = data.get("postcode") or data.get("place_name") or bad_postcode
        if filled and not data.get("location_type"):
            self.add_error("location_type", "Choose the type of place")
        if data.get("location_type") and not filled:
            self.add_error("postcode", "Enter a postcode or a place name")
        return data

    def location_input(self):
        data = self.cleaned_data
        if not data.get("location_type"):
            return None
        return LocationInput(
            location_type=data["location_type"],
            postcode=data.get("postcode", ""),
            place_name=data.get("place_name", ""),
        )


LocationFormSet = forms.formset_factory(LocationForm, extra=3, max_num=10, validate_max=True)


class YoungPersonDetailsForm(YoungPersonForm):
    """Correcting the details of a record already open, with the version the editor loaded."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            key: "This page is out of date: open the young person's details again"
            for key in ("required", "invalid", "min_value")
        },
    )
    gender_identity = forms.CharField(
        label="Gender identity (optional)", max_length=100, required=False
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    field_order = ["version", *DETAIL_FIELDS]

    @classmethod
    def initial_for(cls, young_person) -> dict:
        return {name: getattr(young_person, name) for name in cls.field_order}

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_order if name != "version"}

    def differences(self, young_person) -> list[tuple[str, str, str]]:
        """(label, saved now, yours) for each field where the saved record and this form's
        cleaned input differ: what someone else changed, shown after a conflict."""
        rows = []
        for name in self.field_order[1:]:
            if name not in self.cleaned_data:
                continue
            saved, yours = getattr(young_person, name), self.cleaned_data[name]
            if saved != yours:
                field = self.fields[name]
                choices = dict(getattr(field, "choices", ()) or ())
                rows.append(
                    (
                        str(field.label).replace(" (optional)", ""),
                        str(choices.get(saved, saved) or "Not given"),
                        str(choices.get(yours, yours) or "Not given"),
                    )
                )
        return rows
