"""Reads of relocations, case notes and documents. Callers have fetched the young person
through ``young_person_get_for_user``, which checked access, except for
``document_open_for_download``, which checks access itself."""

from __future__ import annotations

from typing import BinaryIO

from django.db.models import QuerySet
from django.http import Http404

from csafe.audit.models import AccessChannel

from .. import files, permissions
from ..models import CaseNote, Document, Relocation, YoungPerson
from .young_people import young_person_get_for_user


def relocations_for_young_person(*, young_person: YoungPerson) -> QuerySet[Relocation]:
    return Relocation.objects.filter(young_person=young_person).select_related("plan")


def case_notes_for_young_person(*, young_person: YoungPerson) -> QuerySet[CaseNote]:
    """Newest first: by the date of the contact or event, then the most recently written.
    Each with its author, in one query."""
    return (
        CaseNote.objects.filter(young_person=young_person)
        .select_related("author")
        .order_by("-noted_on", "-pk")
    )


def documents_for_young_person(*, young_person: YoungPerson) -> QuerySet[Document]:
    """Newest first, each with who uploaded it and the assessment a map belongs to, in one
    query."""
    return (
        Document.objects.filter(young_person=young_person)
        .select_related("uploaded_by", "assessment")
        .order_by("-uploaded_at", "-pk")
    )


def document_open_for_download(
    *, user, young_person_pk: int, pk: int, resource: str
) -> tuple[Document, BinaryIO]:
    """Document ``pk`` of young person ``young_person_pk``, with its stored file open for
    reading, if ``user`` may view that record; otherwise Http404 with the same message whether
    the document, the record or the permission is missing, so nothing is learnt from trying
    ids. The file is opened first and the download written to the access log (channel
    DOWNLOAD) only then, so a refused or failed download leaves no log row. The caller hands
    the file to ``files.download_response``, which closes it."""
    document = (
        Document.objects.filter(
            pk=pk,
            young_person_id=young_person_pk,
            young_person__in=permissions.young_people_visible_to(user),
        )
        .only("pk", "young_person_id", "original_name", "content_type", "stored_name")
        .first()
    )
    if document is None:
        raise Http404("No document found")
    handle = files.open_stored(document.stored_name)
    try:
        # Fetches the record again (so the one check that every channel uses decides) and logs.
        document.young_person = young_person_get_for_user(
            user=user,
            pk=young_person_pk,
            channel=AccessChannel.DOWNLOAD,
            resource=resource,
        )
    except BaseException:
        handle.close()
        raise
    return document, handle
