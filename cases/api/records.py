"""API for case notes, documents and management oversight on a young person's record, over the
same services and selectors as the pages (and so the same access rules and messages)."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from csafe.core.errors import ForbiddenError

from .. import files, permissions
from ..access import young_person_for_request
from ..models import CaseNote, Document, OversightNote
from ..selectors import records as record_selectors
from ..selectors.oversight import oversight_notes_for_young_person
from ..services import oversight as oversight_services
from ..services.documents import document_upload
from ..services.notes import case_note_add
from ._base import SizeLimitedUploads, YoungPersonScoped

NOT_FOUND = OpenApiResponse(description="No such record, or no access to it")


# --- Case notes -------------------------------------------------------------------------------


class CaseNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "noted_on", "subject", "body", "author", "created_at"]
        read_only_fields = fields


# Blank-field messages match the page's, so a rule reads the same in every channel.
class AddCaseNoteSerializer(serializers.Serializer):
    noted_on = serializers.DateField(
        error_messages={"required": "Enter the date of the contact or event"}
    )
    subject = serializers.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a subject for the note",
            "blank": "Enter a subject for the note",
            "max_length": "The subject must be 200 characters or fewer",
        },
    )
    body = serializers.CharField(
        error_messages={"required": "Enter the note", "blank": "Enter the note"}
    )


class YoungPersonCaseNoteViewSet(YoungPersonScoped):
    """A young person's case notes, newest first: view permission to list, change permission to
    add. Notes are never changed or deleted, so there is nothing else."""

    serializer_class = CaseNoteSerializer
    queryset = CaseNote.objects.none()  # for the schema; rows come from the selector

    @extend_schema(responses={200: CaseNoteSerializer(many=True), 404: NOT_FOUND})
    def list(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        notes = record_selectors.case_notes_for_young_person(young_person=young_person)
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(CaseNoteSerializer(page, many=True).data)

    @extend_schema(
        request=AddCaseNoteSerializer,
        responses={201: CaseNoteSerializer, 404: NOT_FOUND},
    )
    def create(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
        payload = AddCaseNoteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = case_note_add(
            actor=request.user, young_person=young_person, **payload.validated_data
        )
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


# --- Documents --------------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name", read_only=True)
    file = serializers.SerializerMethodField(help_text="Where to download the file's bytes")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "assessment",
            "title",
            "shaped_conclusion",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "file",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_file(self, document) -> str:
        return reverse("young-person-document-file", args=[document.young_person_id, document.pk])


class UploadDocumentSerializer(serializers.Serializer):
    # Empty files pass here and are refused by the service, with the page's message.
    file = serializers.FileField(
        allow_empty_file=True,
        use_url=False,
        error_messages={
            "required": "Select a file to upload",
            "invalid": "Select a file to upload",
            "no_name": "Select a file to upload",
        },
    )
    title = serializers.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title for the document",
            "blank": "Enter a title for the document",
            "max_length": "The title must be 200 characters or fewer",
        },
    )


class YoungPersonDocumentViewSet(SizeLimitedUploads, YoungPersonScoped):
    """A young person's documents: view permission to list and download, change permission to
    upload. Peer and safety maps are attached through an assessment, not here."""

    serializer_class = DocumentSerializer
    queryset = Document.objects.none()
    parser_classes = [MultiPartParser]

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file's own type whatever the client asks to accept, and
        # any error with JSON, rather than 406 for an Accept header naming the file's type.
        return super().perform_content_negotiation(request, force=force or self.action == "file")

    @extend_schema(responses={200: DocumentSerializer(many=True), 404: NOT_FOUND})
    def list(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        documents = record_selectors.documents_for_young_person(young_person=young_person)
        page = self.paginate_queryset(documents)
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": UploadDocumentSerializer},
        responses={201: DocumentSerializer, 404: NOT_FOUND},
    )
    def create(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
        payload = UploadDocumentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        document = document_upload(
            actor=request.user,
            young_person=young_person,
            uploaded=payload.validated_data["file"],
            title=payload.validated_data["title"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a document's file",
        description=(
            "The stored bytes, as an attachment with the type found from the file's content. "
            "Written to the record's access log as a document download."
        ),
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in files.ALLOWED_TYPES},
            404: NOT_FOUND,
        },
    )
    def file(self, request, young_person_pk=None, pk=None):
        document, handle = record_selectors.document_open_for_download(
            user=request.user, young_person_pk=young_person_pk, pk=pk, resource=request.path
        )
        return files.download_response(document, handle)


# --- Management oversight ---------------------------------------------------------------------


class OversightNoteSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)

    class Meta:
        model = OversightNote
        fields = [
            "id",
            "recorded_on",
            "decision",
            "reasons",
            "next_review_on",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class RecordOversightSerializer(serializers.Serializer):
    recorded_on = serializers.DateField(
        error_messages={"required": oversight_services.DATE_REQUIRED}
    )
    decision = serializers.CharField(
        error_messages={
            "required": oversight_services.DECISION_REQUIRED,
            "blank": oversight_services.DECISION_REQUIRED,
        }
    )
    reasons = serializers.CharField(
        error_messages={
            "required": oversight_services.REASONS_REQUIRED,
            "blank": oversight_services.REASONS_REQUIRED,
        }
    )
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)


class YoungPersonOversightViewSet(YoungPersonScoped):
    """A young person's management oversight notes, newest first: view permission to list; a
    team manager of the holding team to record one (anyone else who may view the record: 403
    with the service's message, whatever they sent). Notes are never changed or deleted."""

    serializer_class = OversightNoteSerializer
    queryset = OversightNote.objects.none()

    @extend_schema(responses={200: OversightNoteSerializer(many=True), 404: NOT_FOUND})
    def list(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        notes = oversight_notes_for_young_person(young_person=young_person)
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(OversightNoteSerializer(page, many=True).data)

    @extend_schema(
        request=RecordOversightSerializer,
        responses={
            201: OversightNoteSerializer,
            403: OpenApiResponse(description=oversight_services.REFUSED_MESSAGE),
            404: NOT_FOUND,
        },
    )
    def create(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        if not permissions.can_record_oversight(request.user, young_person):
            raise ForbiddenError(oversight_services.REFUSED_MESSAGE)
        payload = RecordOversightSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = oversight_services.oversight_note_record(
            actor=request.user, young_person=young_person, **payload.validated_data
        )
        return Response(OversightNoteSerializer(note).data, status=status.HTTP_201_CREATED)


notes = YoungPersonCaseNoteViewSet
documents = YoungPersonDocumentViewSet
oversight = YoungPersonOversightViewSet
urlpatterns = [
    path(
        "young-people/<bounded_int:young_person_pk>/oversight/",
        oversight.as_view({"get": "list", "post": "create"}),
        name="young-person-oversight",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/notes/",
        notes.as_view({"get": "list", "post": "create"}),
        name="young-person-notes",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/documents/",
        documents.as_view({"get": "list", "post": "create"}),
        name="young-person-documents",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/documents/<bounded_int:pk>/file/",
        documents.as_view({"get": "file"}),
        name="young-person-document-file",
    ),
]
