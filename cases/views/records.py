"""Pages for relocations, case notes and documents on a young person's record."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from csafe.audit.models import AccessChannel

from .. import files, selectors
from ..models import Document


@require_GET
def document_download(request, young_person_pk: int, pk: int):
    """The document's bytes, only to someone who may view the young person's record; the
    download is written to the access log (as the fetch below does for every channel)."""
    young_person = selectors.young_person_get_for_user(
        user=request.user,
        pk=young_person_pk,
        channel=AccessChannel.DOWNLOAD,
        resource=request.path,
    )
    document = get_object_or_404(Document, pk=pk, young_person=young_person)
    try:
        handle = open(files.path_for(document.stored_name), "rb")  # noqa: SIM115 closed by FileResponse
    except (OSError, ValueError) as exc:
        raise Http404("The file for this document is missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
