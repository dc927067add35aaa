"""API for a young person's child and family assessments, over the same services and selectors
as the pages (and so the same rules and messages).

Lists come a page at a time, like every list in the API.

Access: view permission on the record to read, change permission to start, edit, add or
withdraw factors and complete; no access is 404, as everywhere. Authorising and returning need
view permission, then the service checks the role: anyone but a team manager of the holding
team gets 403 with the service's message.

Edits and completion carry the ``version`` the client last read. If someone has saved since,
the answer is 409 Conflict with the message and the version now saved, and nothing is changed.

Peer and safety maps are uploaded (multipart) to ``<assessment>/maps/``, with the same size limit,
type check and messages as document uploads.
"""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from csafe.core.api import blank_or_choice, conflict_response_schema
from csafe.core.errors import ForbiddenError
from csafe.core.vocabulary import ContextKind, context_kind_label_for
from harms.reference import CINFactor

from .. import permissions
from ..access import young_person_for_request
from ..models import Assessment, ContextualFactor, Document, Referral
from ..models.assessments import AssessmentStatus
from ..reference import DocumentKind
from ..selectors import assessments as assessment_selectors
from ..services import assessments as services
from ..services.documents import document_upload
from ._base import SizeLimitedUploads, YoungPersonScoped
from .records import UploadDocumentSerializer

CIN_CODES = serializers.ListField(child=serializers.ChoiceField(choices=CINFactor.choices))


# --- Output -----------------------------------------------------------------------------------


class ContextualFactorSerializer(serializers.ModelSerializer):
    domain_label = serializers.SerializerMethodField(
        help_text="The context as shown: a peer group in the administrator's word"
    )
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)
    withdrawn_by = serializers.CharField(
        source="withdrawn_by.get_full_name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = ContextualFactor
        fields = [
            "id",
            "domain",
            "domain_label",
            "description",
            "recorded_by",
            "created_at",
            "withdrawn_at",
            "withdrawn_by",
        ]
        read_only_fields = fields

    def get_domain_label(self, factor) -> str:
        return context_kind_label_for(self.root, factor.domain)


class MapSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text="Where to download the map's file")

    class Meta:
        model = Document
        fields = ["id", "kind", "title", "shaped_conclusion", "file"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_file(self, document) -> str:
        return reverse("young-person-document-file", args=[document.young_person_id, document.pk])


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment with everything it records. Needs the prefetches of
    ``assessments_with_details_for_young_person`` and ``suggested_cin_factors`` in its
    context (the same for every assessment of one young person, so read once)."""

    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)
    authorised_by = serializers.CharField(
        source="authorised_by.get_full_name", default=None, read_only=True, allow_null=True
    )
    returned_by = serializers.CharField(
        source="returned_by.get_full_name", default=None, read_only=True, allow_null=True
    )
    outcome_nature = blank_or_choice(Assessment, "outcome_nature")
    decision = blank_or_choice(Assessment, "decision")
    contextual_factors = ContextualFactorSerializer(many=True, read_only=True)
    cin_factors = serializers.SerializerMethodField(
        help_text="The CIN census factor codes recorded at completion (current ones only)"
    )
    maps = MapSerializer(many=True, read_only=True)
    suggested_cin_factors = serializers.SerializerMethodField(
        help_text="CIN census factor codes the young person's current harm flags suggest"
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "status",
            "version",
            "referral",
            "started_on",
            "completed_on",
            "authorised_on",
            "authorised_by",
            "authorisation_reason",
            "returned_on",
            "returned_by",
            "return_reason",
            "peers",
            "school",
            "neighbourhood",
            "online",
            "capacity_undermining",
            "capacity_boosting",
            "conclusion",
            "outcome_nature",
            "decision",
            "cin_factors",
            "suggested_cin_factors",
            "contextual_factors",
            "maps",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CIN_CODES)
    def get_cin_factors(self, assessment) -> list[str]:
        return [row.code for row in assessment.current_cin_factors]

    @extend_schema_field(CIN_CODES)
    def get_suggested_cin_factors(self, assessment) -> list[str]:
        return self.context["suggested_cin_factors"]


class RefusedSerializer(serializers.Serializer):
    """The 403 body for a caller who may not take the action."""

    detail = serializers.CharField()


# --- Input ------------------------------------------------------------------------------------
# Fields whose rule the service states (blank text, unknown choices) are passed through, so the
# message is the service's, word for word, as on the pages.


def _text():
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class _PromptsSerializer(serializers.Serializer):
    peers = _text()
    school = _text()
    neighbourhood = _text()
    online = _text()
    capacity_undermining = _text()
    capacity_boosting = _text()
    conclusion = _text()

    def text(self) -> dict[str, str]:
        return {k: v for k, v in self.validated_data.items() if k in services.EDITABLE_TEXT_FIELDS}


class StartAssessmentSerializer(_PromptsSerializer):
    started_on = serializers.DateField(
        error_messages={"required": "Enter the date the assessment started"}
    )
    referral = serializers.PrimaryKeyRelatedField(
        queryset=Referral.objects.none(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "Choose one of this young person's referrals"},
    )

    def __init__(self, *args, young_person=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this young person's referrals resolve, so other records' ids do not leak. (None
        # only when the schema generator makes one to describe it.)
        if young_person is not None:
            self.fields["referral"].queryset = Referral.objects.filter(young_person=young_person)


class UpdateAssessmentSerializer(_PromptsSerializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="The version you last read; 409 if the assessment has changed since",
        error_messages={"required": "Give the version of the assessment you last read"},
    )
    started_on = serializers.DateField(required=False)


class AddFactorSerializer(serializers.Serializer):
    domain = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text=f"One of: {', '.join(ContextKind.values)}",
    )
    description = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )


class CompleteAssessmentSerializer(serializers.Serializer):
    completed_on = serializers.DateField(
        error_messages={"required": "Enter the date the assessment was completed"}
    )
    conclusion = serializers.CharField(allow_blank=True, required=False, default="")
    outcome_nature = serializers.CharField(allow_blank=True, required=False, default="")
    decision = serializers.CharField(allow_blank=True, required=False, default="")
    cin_factors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="CIN census factor codes; 21 (no factors identified) stands alone",
    )
    version = serializers.IntegerField(
        min_value=1,
        help_text="The version you last read; 409 if the assessment has changed since",
        error_messages={"required": "Give the version of the assessment you last read"},
    )


class AuthoriseAssessmentSerializer(serializers.Serializer):
    authorised_on = serializers.DateField(
        error_messages={"required": "Enter the date the assessment was authorised"}
    )
    reason = serializers.CharField(
        max_length=4000,
        help_text="The team manager's reasoning for authorising the assessment",
        error_messages={
            "required": services.AUTHORISATION_REASON_REQUIRED,
            "blank": services.AUTHORISATION_REASON_REQUIRED,
        },
    )


class ReturnAssessmentSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


MAP_KIND_MESSAGE = "Choose whether this is a peer map or a safety map"


class UploadMapSerializer(UploadDocumentSerializer):
    # A string checked below rather than a choice field: a second two-value "kind" enum in the
    # schema would clash in name with the others (DocumentKind lists "general" too).
    kind = serializers.CharField(
        help_text=f"{DocumentKind.PEER_MAP} or {DocumentKind.SAFETY_MAP}",
        error_messages={"required": MAP_KIND_MESSAGE, "blank": MAP_KIND_MESSAGE},
    )
    # Blank passes here: the service's message names the kind of map.
    shaped_conclusion = serializers.CharField(
        allow_blank=True,
        required=False,
        default="",
        help_text="How the map shaped the assessment's conclusion",
    )

    def validate_kind(self, value: str) -> str:
        if value not in (DocumentKind.PEER_MAP, DocumentKind.SAFETY_MAP):
            raise serializers.ValidationError(MAP_KIND_MESSAGE)
        return value


# --- Views ------------------------------------------------------------------------------------

CONFLICT = conflict_response_schema("assessment")
NOT_A_MANAGER = OpenApiResponse(
    RefusedSerializer,
    description="The caller may view the record but is not a team manager of the holding team",
)


class _AssessmentScoped(YoungPersonScoped):
    def _assessment(self, perm: str):
        young_person = young_person_for_request(self.request, self.kwargs["young_person_pk"], perm)
        return young_person, assessment_selectors.assessment_get_for_young_person(
            young_person=young_person, pk=self.kwargs["pk"]
        )

    def _output(self, young_person, pk: int, *, status_code: int = status.HTTP_200_OK):
        """The assessment as it is now saved, read again with everything it shows."""
        assessment = assessment_selectors.assessment_get_for_young_person(
            young_person=young_person, pk=pk
        )
        context = {
            "suggested_cin_factors": services.cin_factor_suggestions(young_person=young_person)
        }
        return Response(AssessmentSerializer(assessment, context=context).data, status=status_code)


class YoungPersonAssessmentViewSet(_AssessmentScoped):
    """A young person's assessments."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()  # for the schema; real querysets come from selectors

    def _as_manager(self, refused_message: str):
        """The role, then view access (404 without), before the payload is read: anyone but a
        team manager of the holding team is told so whatever they sent (403), and a refused
        request leaves no access-log row, since nothing of the record is given. The service
        checks the role again under its lock, should it change in between: a 403 too."""
        if permissions.sees_but_cannot_authorise_assessments(
            self.request.user, self.kwargs["young_person_pk"]
        ):
            raise ForbiddenError(refused_message)
        return self._assessment(permissions.VIEW)

    @extend_schema(responses=AssessmentSerializer(many=True))
    def list(self, request, young_person_pk=None):
        """The young person's assessments, newest first, a page at a time."""
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        page = self.paginate_queryset(
            assessment_selectors.assessments_with_details_for_young_person(
                young_person=young_person
            )
        )
        context = {
            "suggested_cin_factors": services.cin_factor_suggestions(young_person=young_person)
        }
        return self.get_paginated_response(
            AssessmentSerializer(page, many=True, context=context).data
        )

    @extend_schema(request=StartAssessmentSerializer, responses={201: AssessmentSerializer})
    def create(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
        payload = StartAssessmentSerializer(data=request.data, young_person=young_person)
        payload.is_valid(raise_exception=True)
        assessment = services.assessment_start(
            actor=request.user,
            young_person=young_person,
            started_on=payload.validated_data["started_on"],
            referral=payload.validated_data.get("referral"),
            **payload.text(),
        )
        return self._output(young_person, assessment.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses=AssessmentSerializer)
    def retrieve(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._assessment(permissions.VIEW)
        return self._output(young_person, assessment.pk)

    @extend_schema(
        request=UpdateAssessmentSerializer,
        responses={200: AssessmentSerializer, 409: CONFLICT},
        description=(
            "Change an in-progress assessment's text and date started. Send the version you "
            "last read: if someone has saved since, the answer is 409 with the message and "
            "the version now saved, and nothing is changed."
        ),
    )
    def partial_update(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._assessment(permissions.CHANGE)
        payload = UpdateAssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.assessment_update(
            actor=request.user,
            assessment=assessment,
            expected_version=payload.validated_data["version"],
            started_on=payload.validated_data.get("started_on"),
            **payload.text(),
        )
        return self._output(young_person, assessment.pk)

    @extend_schema(request=AddFactorSerializer, responses={201: AssessmentSerializer})
    def add_factor(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._assessment(permissions.CHANGE)
        payload = AddFactorSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.contextual_factor_add(
            actor=request.user, assessment=assessment, **payload.validated_data
        )
        return self._output(young_person, assessment.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AssessmentSerializer)
    def withdraw_factor(self, request, young_person_pk=None, pk=None, factor_pk=None):
        young_person, assessment = self._assessment(permissions.CHANGE)
        factor = assessment_selectors.contextual_factor_get_for_assessment(
            assessment=assessment, pk=factor_pk
        )
        services.contextual_factor_withdraw(actor=request.user, factor=factor)
        return self._output(young_person, assessment.pk)

    @extend_schema(
        request=CompleteAssessmentSerializer,
        responses={200: AssessmentSerializer, 409: CONFLICT},
    )
    def complete(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._assessment(permissions.CHANGE)
        payload = CompleteAssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.assessment_complete(
            actor=request.user,
            assessment=assessment,
            expected_version=data["version"],
            completed_on=data["completed_on"],
            conclusion=data["conclusion"],
            outcome_nature=data["outcome_nature"],
            decision=data["decision"],
            cin_factor_codes=data["cin_factors"],
        )
        return self._output(young_person, assessment.pk)

    @extend_schema(
        request=AuthoriseAssessmentSerializer,
        responses={200: AssessmentSerializer, 403: NOT_A_MANAGER},
    )
    def authorise(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._as_manager(services.AUTHORISE_REFUSED_MESSAGE)
        payload = AuthoriseAssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.assessment_authorise(
            actor=request.user,
            assessment=assessment,
            authorised_on=payload.validated_data["authorised_on"],
            reason=payload.validated_data["reason"],
        )
        return self._output(young_person, assessment.pk)

    @extend_schema(
        request=ReturnAssessmentSerializer,
        responses={200: AssessmentSerializer, 403: NOT_A_MANAGER},
    )
    def return_for_work(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._as_manager(services.RETURN_REFUSED_MESSAGE)
        payload = ReturnAssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.assessment_return(
            actor=request.user, assessment=assessment, reason=payload.validated_data["reason"]
        )
        return self._output(young_person, assessment.pk)


class YoungPersonAssessmentMapViewSet(SizeLimitedUploads, _AssessmentScoped):
    """Peer and safety maps on an assessment in progress (change permission on the record)."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": UploadMapSerializer},
        responses={201: AssessmentSerializer},
        description=(
            "Attach a peer map or a safety map, with how it shaped the assessment's conclusion, "
            "to an assessment in progress. The file's type is decided from its content; the "
            "size limit and the messages are those of document uploads. Answers with the "
            "assessment, its maps included."
        ),
    )
    def create(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._assessment(permissions.CHANGE)
        data = self._valid(UploadMapSerializer, request.data)
        document_upload(
            actor=request.user,
            young_person=young_person,
            uploaded=data["file"],
            title=data["title"],
            kind=data["kind"],
            assessment=assessment,
            shaped_conclusion=data["shaped_conclusion"],
        )
        return self._output(young_person, assessment.pk, status_code=status.HTTP_201_CREATED)


_views = YoungPersonAssessmentViewSet
_base = "young-people/<bounded_int:young_person_pk>/assessments/"
urlpatterns = [
    path(
        _base,
        _views.as_view({"get": "list", "post": "create"}),
        name="young-person-assessments",
    ),
    path(
        f"{_base}<bounded_int:pk>/",
        _views.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="young-person-assessment-detail",
    ),
    path(
        f"{_base}<bounded_int:pk>/factors/",
        _views.as_view({"post": "add_factor"}),
        name="young-person-assessment-factors",
    ),
    path(
        f"{_base}<bounded_int:pk>/factors/<bounded_int:factor_pk>/withdraw/",
        _views.as_view({"post": "withdraw_factor"}),
        name="young-person-assessment-factor-withdraw",
    ),
    path(
        f"{_base}<bounded_int:pk>/maps/",
        YoungPersonAssessmentMapViewSet.as_view({"post": "create"}),
        name="young-person-assessment-maps",
    ),
    path(
        f"{_base}<bounded_int:pk>/complete/",
        _views.as_view({"post": "complete"}),
        name="young-person-assessment-complete",
    ),
    path(
        f"{_base}<bounded_int:pk>/authorise/",
        _views.as_view({"post": "authorise"}),
        name="young-person-assessment-authorise",
    ),
    path(
        f"{_base}<bounded_int:pk>/return/",
        _views.as_view({"post": "return_for_work"}),
        name="young-person-assessment-return",
    ),
]
