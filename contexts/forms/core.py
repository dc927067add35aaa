"""Forms for context records themselves and their configuration. They parse and check the
shape of input; the rules (naming, duplicates, closure) are the services'. Where a form refuses
an empty field before the service sees it, it uses the service's message."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from csafe.accounts.models import User
from csafe.core.forms import GovUKDateField, GovUKForm
from csafe.core.validators import validate_uk_postcode
from harms.models import HarmType
from harms.selectors import harm_type_choices

from ..location_types import location_type_model
from ..naming import BUILDER_PARTS, PARTS, SEPARATORS, build_template
from ..reference import ContextStatus, LinkEndRule, PeerGroupTerm, triangle_headings
from ..selectors.core import ContextFilters, kind_choices, lead_practitioner_choices
from ..services import configuration as configuration_services
from ..services import contexts as services

TEXTAREA_ROWS = 4
_MISSING_VERSION = "This page is out of date: open the context again and make your changes"
VERSION_MESSAGES = {
    "required": _MISSING_VERSION,
    "invalid": _MISSING_VERSION,
    "min_value": _MISSING_VERSION,
}


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages=VERSION_MESSAGES
    )


def _text(label: str, hint: str = "", *, required: bool = False, message: str = ""):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}),
        error_messages={"required": message} if message else {},
    )


# --- Configuration ------------------------------------------------------------------------------


class ConfigurationForm(GovUKForm):
    peer_group_term = forms.ChoiceField(
        label="Word shown for a peer group",
        help_text=(
            "Shown wherever a peer group's kind is, and in names made by a convention that uses "
            "{term}"
        ),
        choices=PeerGroupTerm.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": configuration_services.CHOOSE_A_WORD,
            "invalid_choice": configuration_services.CHOOSE_A_WORD,
        },
    )


CHOOSE_FIRST_PART = "Choose the first part of the name"
CHOOSE_SEPARATOR = "Choose what goes between the parts of the name"


class ConventionForm(GovUKForm):
    """A convention built from its parts: words at the start, up to five parts in order and
    what goes between them. A convention can still be written by hand (``template``, under
    "Write the convention yourself"): the written one counts when it was changed from the one
    the page loaded (``loaded``), the built one otherwise."""

    words = forms.CharField(
        label="Words at the start (optional)",
        required=False,
        max_length=60,
        help_text="For example, Online",
    )
    separator = forms.ChoiceField(
        label="What goes between the parts",
        required=False,
        choices=SEPARATORS,
        widget=forms.RadioSelect,
    )
    template = forms.CharField(
        label="Naming convention",
        required=False,
        help_text="Write the name with fields in braces, such as {area}. The fields are below.",
        max_length=configuration_services.TEMPLATE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": configuration_services.TOO_LONG},
    )
    loaded = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Nothing")] + PARTS
        for index in range(1, BUILDER_PARTS + 1):
            self.fields[f"part_{index}"] = forms.ChoiceField(
                label=f"Part {index}" + ("" if index == 1 else " (optional)"),
                required=False,
                choices=choices,
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )
        # The built parts first, the hand-written convention and its marker last.
        order = ["words", *(f"part_{i}" for i in range(1, BUILDER_PARTS + 1)), "separator"]
        self.order_fields([*order, "template", "loaded"])

    def part_fields(self):
        return [self[f"part_{i}"] for i in range(1, BUILDER_PARTS + 1)]

    def clean(self):
        data = super().clean()
        written = (data.get("template") or "").strip()
        if written and written != (data.get("loaded") or "").strip():
            data["template"] = written
            return data
        parts = [data.get(f"part_{i}") or "" for i in range(1, BUILDER_PARTS + 1)]
        if not any(parts) and not data.get("words"):
            if written:
                data["template"] = written
                return data
            self.add_error("part_1", CHOOSE_FIRST_PART)
        separator = data.get("separator") or ""
        if len([p for p in parts if p]) + bool(data.get("words")) > 1 and not separator:
            self.add_error("separator", CHOOSE_SEPARATOR)
        data["template"] = build_template(
            words=data.get("words", ""), parts=parts, separator=separator
        )
        return data


# --- The list ------------------------------------------------------------------------------------


class ContextFilterForm(GovUKForm):
    q = forms.CharField(
        label="Name, area or postcode",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label="Kind", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open and closed"), *ContextStatus.choices],
    )

    def __init__(self, *args, term: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Every kind"), *kind_choices(term)]

    def filters(self) -> ContextFilters:
        if not self.is_valid():
            return ContextFilters()
        data = self.cleaned_data
        return ContextFilters(kind=data["kind"], status=data["status"], search=data["q"])


# --- Opening and changing a context ------------------------------------------------------------


class _LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.team})"


class _DetailsForm(GovUKForm):
    """The details of a context every form shares; the kind is chosen only on opening."""

    label = forms.CharField(
        label="Name of the place, school or platform (optional)",
        help_text="For example the school's name or the online platform",
        required=False,
        max_length=120,
    )
    area = forms.CharField(
        label="Area (optional)",
        help_text="Neighbourhood, estate or ward, not an address",
        required=False,
        max_length=100,
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=8,
        validators=[validate_uk_postcode],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    location_type = forms.ModelChoiceField(
        label="Type of location (optional)",
        help_text="For a neighbourhood or location",
        queryset=location_type_model().objects.filter(is_active=True),
        required=False,
        empty_label="Choose a type of location",
    )
    opened_on = GovUKDateField(
        label="Date opened",
        help_text="For a group, the date of the incident it was opened around. For example, "
        "27 3 2025",
        error_messages={"required": "Enter the date the context was opened"},
    )
    incident = _text(
        "What it was opened around (optional)",
        "The incident or concern, described thematically: do not name young people",
    )
    description = _text("Description (optional)")
    harm_types = forms.MultipleChoiceField(
        label="Harm types (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every type of harm this context is associated with",
    )
    lead_practitioner = _LeadChoiceField(
        label="Lead practitioner",
        queryset=User.objects.none(),
        empty_label="Choose the lead practitioner",
        error_messages={"required": "Choose the lead practitioner"},
    )

    def __init__(self, *args, current_harm_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Filled per form from the database, never at import.
        choices = harm_type_choices()
        known = {pk for pk, _ in choices}
        # A type retired since it was chosen stays on the form, so saving does not drop it.
        choices += [(h.pk, f"{h} (retired)") for h in current_harm_types if h.pk not in known]
        self.fields["harm_types"].choices = choices
        self.fields["lead_practitioner"].queryset = lead_practitioner_choices()
        # A type of location retired since it was chosen stays available to this context.
        current = getattr(self.initial.get("location_type"), "pk", None)
        self.fields["location_type"].queryset = location_type_model().objects.filter(
            Q(is_active=True) | Q(pk=current)
        )

    def details(self) -> dict:
        """The cleaned details, as the services take them."""
        data = self.cleaned_data
        chosen = HarmType.objects.in_bulk([int(pk) for pk in data["harm_types"]])
        return {
            "label": data["label"],
            "area": data["area"],
            "postcode": data["postcode"],
            "location_type": data["location_type"],
            "opened_on": data["opened_on"],
            "incident": data["incident"],
            "description": data["description"],
            "harm_types": [chosen[int(pk)] for pk in data["harm_types"]],
            "lead_practitioner": data["lead_practitioner"],
        }


class ContextOpenForm(_DetailsForm):
    kind = forms.ChoiceField(
        label="Kind of context",
        widget=forms.RadioSelect,
        error_messages={
            "required": services.CHOOSE_KIND,
            "invalid_choice": services.CHOOSE_KIND,
        },
    )

    field_order = ["kind"]

    def __init__(self, *args, term: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(term)

    def details(self) -> dict:
        return {"kind": self.cleaned_data["kind"], **super().details()}


class ConfirmNotDuplicateForm(GovUKForm):
    confirm_not_duplicate = forms.BooleanField(
        label="None of these is the same context: open a new one", required=False
    )


class ContextEditForm(_DetailsForm):
    version = _version_field()

    @staticmethod
    def initial_for(context) -> dict:
        return {
            "label": context.label,
            "area": context.area,
            "postcode": context.postcode,
            "location_type": context.location_type,
            "opened_on": context.opened_on,
            "incident": context.incident,
            "description": context.description,
            "harm_types": [h.pk for h in context.harm_types.all()],
            "lead_practitioner": context.lead_practitioner_id,
            "version": context.version,
        }


# --- Closing and reopening -------------------------------------------------------------------


class CloseForm(GovUKForm):
    on = GovUKDateField(
        label="Date closed",
        not_future="The date closed must be today or in the past",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the context closed"},
    )
    functioning_change = _text("Functioning", required=True)
    guardianship_change = _text("Guardianship", required=True)
    environment_change = _text("Environment", required=True)
    reason = _text("Why is the context closing?", required=True, message=services.CLOSE_REASON)
    links_rule = forms.ChoiceField(
        label="What happens to the links of young people linked to this context?",
        choices=LinkEndRule.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": services.CHOOSE_LINKS_RULE,
            "invalid_choice": services.CHOOSE_LINKS_RULE,
        },
    )
    version = _version_field()

    SIDES = ("functioning", "guardianship", "environment")

    def __init__(self, *args, kind: str, linked: int, context=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The context being closed, so the date's rules come with the other errors at once.
        self.context = context
        headings = triangle_headings(kind)
        hint = "How it changed: what makes the context safer now, not whether risk has gone"
        for side in self.SIDES:
            name = f"{side}_change"
            field = self.fields[name]
            field.label = headings[side]
            field.help_text = hint
            field.error_messages["required"] = services.closure_change_message(kind, side)
            self._describe(field, f"{self[name].auto_id}-hint")
        people = f"{linked} young {'person is' if linked == 1 else 'people are'}"
        self.fields["links_rule"].help_text = (
            f"{people} linked to this context now. Ending the links ends the link of every "
            "linked young person, whoever holds their record."
        )
        self._describe(self.fields["links_rule"], f"{self['links_rule'].auto_id}-hint")
        # GovUKForm made the bound fields with the generic labels; make them again.
        self._bound_fields_cache.clear()

    def clean_on(self):
        on = self.cleaned_data["on"]
        if self.context is not None and on and on < self.context.opened_on:
            raise forms.ValidationError(services.closed_before_opened_message(self.context))
        return on

    def triangle_fields(self):
        return [self[f"{side}_change"] for side in self.SIDES]


class ReopenForm(GovUKForm):
    on = GovUKDateField(
        label="Date reopened",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the context reopened"},
    )
    reason = _text("Why is the context reopening?", required=True, message=services.REOPEN_REASON)
    version = _version_field()
