"""Uploading documents (and peer and safety maps) to a young person's record."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError

from .. import files, permissions
from ..models import Assessment, Document, YoungPerson
from ..reference import DocumentKind
from .young_people import _lock


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
    in progress, with a note on how it shaped the conclusion."""
    young_person = _lock(young_person)
    if not permissions.user_has_perm(actor, permissions.CHANGE, young_person):
        raise ApplicationError("You cannot change this young person's record")
    title = title.strip()
    if not title:
        raise ApplicationError("Enter a title for the document", field="title")
    if kind not in DocumentKind.values:
        raise ApplicationError("Choose what kind of document this is", field="kind")
    shaped_conclusion = shaped_conclusion.strip()
    if assessment is not None and assessment.young_person_id != young_person.pk:
        raise ApplicationError("Choose one of this young person's assessments", field="assessment")
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
    if uploaded is None or not uploaded.size:
        raise ApplicationError("Choose a file to upload; the selected file is empty", field="file")
    limit = settings.CSAFE_DOCUMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ApplicationError(
            f"The selected file must be smaller than {filesizeformat(limit)}", field="file"
        )
    content_type = files.sniff_content_type(uploaded)
    if content_type is None:
        raise ApplicationError(
            f"The selected file must be a {files.ALLOWED_DESCRIPTION}", field="file"
        )
    stored = files.store(uploaded, content_type)
    try:
        document = Document(
            young_person=young_person,
            kind=kind,
            assessment=assessment,
            title=title,
            shaped_conclusion=shaped_conclusion,
            original_name=os.path.basename(uploaded.name or "")[:255] or "document",
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            stored_name=stored.stored_name,
            uploaded_by=actor,
        )
        document._history_user = actor
        document.full_clean()
        document.save()
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
    # If an enclosing transaction rolls back after this returns, the file stays on disk with no
    # row pointing at it: unreadable (there is no URL), and swept by nothing yet.
    return document
