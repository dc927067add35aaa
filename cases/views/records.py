"""Pages for case notes and documents on a young person's record: access -> form -> service ->
redirect, like every page on the record."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted

from .. import files, permissions
from ..access import young_person_for_request
from ..forms.records import CaseNoteForm, DocumentForm
from ..selectors import records as record_selectors
from ..services.documents import document_upload
from ..services.notes import case_note_add
from ._common import render_record_page

PER_PAGE = 25


def _list_page(request, young_person, rows, template: str, describe=None):
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    if describe is not None:
        page.object_list = [describe(row) for row in page.object_list]
    return render_record_page(
        request,
        template,
        {
            "young_person": young_person,
            "page": page,
            "can_change": permissions.user_has_perm(request.user, permissions.CHANGE, young_person),
        },
    )


def _form_page(request, young_person, template: str, form):
    return render_record_page(request, template, {"young_person": young_person, "form": form})


@require_GET
def note_list(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    notes = record_selectors.case_notes_for_young_person(young_person=young_person)
    return _list_page(request, young_person, notes, "cases/records/note_list.html")


@require_http_methods(["GET", "POST"])
def note_new(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    form = CaseNoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_note_add(
                actor=request.user,
                young_person=young_person,
                noted_on=data["noted_on"],
                subject=data["subject"],
                body=data["body"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Case note added")
            return redirect("cases:note_list", young_person_pk=young_person.pk)
    return _form_page(request, young_person, "cases/records/note_form.html", form)


@require_GET
def document_list(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk)
    documents = record_selectors.documents_for_young_person(young_person=young_person)
    return _list_page(
        request, young_person, documents, "cases/records/document_list.html", _describe_document
    )


def _describe_document(document):
    document.type_label = files.type_label(document.content_type)
    return document


@files.limit_upload_size
@require_http_methods(["GET", "POST"])
def document_new(request, young_person_pk: int):
    young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
    form = DocumentForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            document = document_upload(
                actor=request.user,
                young_person=young_person,
                uploaded=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{document.title} uploaded")
            return redirect("cases:document_list", young_person_pk=young_person.pk)
    return _form_page(request, young_person, "cases/records/document_form.html", form)


@require_GET
def document_download(request, young_person_pk: int, pk: int):
    """The document's bytes, only to someone who may view the young person's record; the
    download is written to the access log with channel DOWNLOAD."""
    document, handle = record_selectors.document_open_for_download(
        user=request.user, young_person_pk=young_person_pk, pk=pk, resource=request.path
    )
    return files.download_response(document, handle)
