"""Forms for case notes and documents. Parse and validate input only: the services in
cases/services/notes.py and cases/services/documents.py hold the rules."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import lazy

from csafe.core.forms import GovUKDateField, GovUKForm

from .. import files


class CaseNoteForm(GovUKForm):
    noted_on = GovUKDateField(
        label="Date of the contact or event",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date of the contact or event"},
    )
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        error_messages={
            "required": "Enter a subject for the note",
            "max_length": "The subject must be 200 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Note",
        help_text="Notes cannot be changed once saved. To correct one, add a further note.",
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the note"},
    )


def _file_hint() -> str:
    limit = files.size_label(settings.CSAFE_DOCUMENT_MAX_BYTES)
    return f"A {files.ALLOWED_DESCRIPTION}, {limit} or smaller"


def upload_file_field() -> forms.FileField:
    """The file field of every upload form (documents, peer and safety maps): the same hint,
    picker filter and messages everywhere, and the same as the API's."""
    return forms.FileField(
        label="Upload a file",
        # Lazy, so the hint follows the setting rather than its value at import.
        help_text=lazy(_file_hint, str)(),
        # Empty files are refused by the service, with the same message as in the API.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": files.ACCEPT}),
        error_messages={
            "required": "Select a file to upload",
            "missing": "Select a file to upload",
            "invalid": "Select a file to upload",
        },
    )


def document_title_field(help_text: str = "") -> forms.CharField:
    """The title of an uploaded document or map, with the service's messages."""
    return forms.CharField(
        label="Title",
        max_length=200,
        help_text=help_text,
        error_messages={
            "required": "Enter a title for the document",
            "max_length": "The title must be 200 characters or fewer",
        },
    )


class DocumentForm(GovUKForm):
    title = document_title_field("What the document is, for example: Strategy meeting minutes")
    file = upload_file_field()
