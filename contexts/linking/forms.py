"""Forms for linking a young person to a context, ending the link, and tying a place where harm
happened to a location context. Parse and validate input only: contexts/linking/services.py holds
the rules (permission, open context, one active link)."""

from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKForm

from ..selectors.core import kind_choices
from .selectors import context_for_link
from .services import CHOOSE_CONTEXT

CHOOSE_LOCATION_CONTEXT = "Choose an open neighbourhood or location context"


class ContextSearchForm(GovUKForm):
    """Searching open contexts by name, area or postcode, and kind (GET)."""

    q = forms.CharField(
        label="Search open contexts",
        help_text="Part of the name, the area or the postcode",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(label="Kind of context", required=False)

    def __init__(self, *args, peer_group_word: str = "Group", with_kind: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_kind:
            self.fields["kind"].choices = [("", "Any kind"), *kind_choices(peer_group_word)]
        else:
            del self.fields["kind"]

    def search(self) -> tuple[str, str]:
        """(text, kind) to search for; blank when the input is not valid."""
        if not self.is_bound or not self.is_valid():
            return "", ""
        return self.cleaned_data["q"], self.cleaned_data.get("kind", "")


class _ChosenContextField(forms.CharField):
    """The id of the chosen context, carried in a hidden input from the search step; cleans to
    the Context. Whether it may be chosen (open, the right kind) is the service's rule."""

    widget = forms.HiddenInput

    def __init__(self, *args, message: str = CHOOSE_CONTEXT, **kwargs):
        kwargs.setdefault("error_messages", {"required": message})
        super().__init__(*args, **kwargs)
        self.message = message

    def clean(self, value):
        value = super().clean(value)
        context = context_for_link(pk=value)
        if context is None:
            raise forms.ValidationError(self.message, code="invalid_choice")
        return context


class _ChoosesContext(GovUKForm):
    """The context is chosen on the search step, so its error links to the search box there."""

    def error_summary_items(self) -> list[dict[str, str]]:
        return [
            item | {"href": "#id_q"} if item["href"] == f"#{self['context'].auto_id}" else item
            for item in super().error_summary_items()
        ]


class LinkForm(_ChoosesContext):
    context = _ChosenContextField(label="Context")
    reason = forms.CharField(
        label="Why is the young person linked to this context?",
        help_text=(
            "Say how the context matters to their safety. This stays on the young person's "
            "record: the context never shows who is linked to it."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={
            "required": "Enter why the young person is linked to this context",
            "max_length": "The reason must be 4000 characters or fewer",
        },
    )


class EndLinkForm(GovUKForm):
    reason = forms.CharField(
        label="Why is the link ending?",
        help_text="For example, the young person has moved school or no longer spends time here",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={
            "required": "Enter why the link is ending",
            "max_length": "The reason must be 4000 characters or fewer",
        },
    )


class LocationLinkForm(_ChoosesContext):
    context = _ChosenContextField(label="Location context", message=CHOOSE_LOCATION_CONTEXT)
