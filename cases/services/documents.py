"""Uploading documents (and peer and safety maps) to a young person's record."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError
from csafe.core.versioning import locked, versioned_save

from .. import files
from ..models import Assessment, Document, YoungPerson
from ..reference import DocumentKind
from .young_people import lock_for_change

TITLE_MAX_LENGTH = Document._meta.get_field("title").max_length


def size_limit_message() -> str:
    """The refusal for a file over CSAFE_DOCUMENT_MAX_BYTES, read when refusing so that it
    follows the setting."""
    limit = files.size_label(settings.CSAFE_DOCUMENT_MAX_BYTES)
    return f"The selected file must be {limit} or smaller"


TYPE_MESSAGE = f"The selected file must be a {files.ALLOWED_DESCRIPTION}"


@transaction.atomic
def document_upload(
    *,
    actor: User,
    young_person: YoungPerson,
    uploaded,
    title: str,
    kind: str = DocumentKind.GENERAL,
    assessment: Assessment | None = None,
    shaped_conclusion: str = "",
) -> Document:
    """Store ``uploaded`` (a Django UploadedFile) on the record. Refuses files over
    CSAFE_DOCUMENT_MAX_BYTES and any whose content is not an allowed type, whatever its name
    says. A peer or safety map must belong to an assessment of this young person that is still
    in progress, with a note on how it shaped the conclusion.

    Every rule is checked before a byte is written; if saving the row fails after that, the file
    is removed again. A caller's enclosing transaction that rolls back after this returns leaves
    an unreadable file with no row, which ``document_orphans_remove`` clears."""
    young_person = lock_for_change(actor, young_person)
    title = title.strip()
    if not title:
        raise ApplicationError("Enter a title for the document", field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise ApplicationError(
            f"The title must be {TITLE_MAX_LENGTH} characters or fewer", field="title"
        )
    if kind not in DocumentKind.values:
        raise ApplicationError("Choose what kind of document this is", field="kind")
    shaped_conclusion = shaped_conclusion.strip()
    if assessment is not None and assessment.young_person_id != young_person.pk:
        raise ApplicationError("Choose one of this young person's assessments", field="assessment")
    if assessment is not None:
        # Locked, so a map cannot land on an assessment someone is completing at this moment.
        assessment = locked(assessment)
    if kind != DocumentKind.GENERAL:
        label = DocumentKind(kind).label.lower()
        if assessment is None:
            raise ApplicationError(
                f"A {label} must be attached to one of this young person's assessments",
                field="assessment",
            )
        if not assessment.is_editable:
            raise ApplicationError(
                f"This assessment is completed, so a {label} can no longer be attached",
                field="assessment",
            )
        if not shaped_conclusion:
            raise ApplicationError(
                f"Say how the {label} shaped the assessment's conclusion",
                field="shaped_conclusion",
            )
    if uploaded is None:
        raise ApplicationError("Select a file to upload", field="file")
    if not uploaded.size:
        raise ApplicationError("The selected file is empty", field="file")
    if uploaded.size > settings.CSAFE_DOCUMENT_MAX_BYTES:
        raise ApplicationError(size_limit_message(), field="file")
    content_type = files.sniff_content_type(uploaded)
    if content_type is None:
        raise ApplicationError(TYPE_MESSAGE, field="file")
    stored = files.store(uploaded, content_type)
    try:
        document = Document(
            young_person=young_person,
            kind=kind,
            assessment=assessment,
            title=title,
            shaped_conclusion=shaped_conclusion,
            original_name=files.clean_original_name(uploaded.name),
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            stored_name=stored.stored_name,
            uploaded_by=actor,
        )
        document._history_user = actor
        document.full_clean()
        document.save()
        if assessment is not None:
            # A map changes what the assessment rests on, as adding a factor does.
            versioned_save(assessment, actor, only=())
        event_record(
            actor=actor,
            kind=EventKind.DOCUMENT_UPLOADED,
            target=document,
            young_person=young_person,
            detail={"kind": kind, "content_type": content_type, "size": stored.size},
        )
    except BaseException:
        # The row will not exist, so neither should the bytes.
        files.discard(stored.stored_name)
        raise
    return document


def document_orphans_remove(*, older_than_seconds: float = 24 * 60 * 60) -> int:
    """Delete stored files that no document row names, written more than
    ``older_than_seconds`` ago (so never a file whose upload is still in its transaction).
    Such files are left when a transaction around ``document_upload`` rolls back after the
    bytes were written. Returns how many were removed. Meant for a periodic task."""
    removed = 0
    batch: list[str] = []

    def flush() -> int:
        known = set(
            Document.objects.filter(stored_name__in=batch).values_list("stored_name", flat=True)
        )
        for name in batch:
            if name not in known:
                files.discard(name)
        count = len(batch) - len(known)
        batch.clear()
        return count

    # Listed whole before anything is deleted, so the directory walk never sees its own changes.
    for name in list(files.stored_files_older_than(older_than_seconds)):
        batch.append(name)
        if len(batch) >= 500:
            removed += flush()
    if batch:
        removed += flush()
    return removed
