"""API for a young person's child and family assessments, over the same services and selectors
as the pages (and so the same rules and messages).

Access: view permission on the record to read, change permission to start, edit, add or
withdraw factors and complete; no access is 404, as everywhere. Authorising and returning need
view permission, then the service checks the role: anyone but a team manager of the holding
team gets 403 with the service's message.

Edits carry the ``version`` the client last read. If someone has saved since, the answer is
409 Conflict with the message and the version now saved, and nothing is changed.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from contexts.reference import ContextKind
from csafe.audit.models import AccessChannel
from csafe.core.errors import ApplicationError
from harms.reference import CINFactor

from .. import permissions, selectors
from ..models import Assessment, ContextualFactor, Document, Referral
from ..models.assessments import AssessmentStatus
from ..selectors import assessments as assessment_selectors
from ..services import assessments as services

CIN_CODES = serializers.ListField(child=serializers.ChoiceField(choices=CINFactor.choices))


# --- Output -----------------------------------------------------------------------------------


class ContextualFactorSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)
    withdrawn_by = serializers.CharField(
        source="withdrawn_by.get_full_name", default=None, read_only=True
    )

    class Meta:
        model = ContextualFactor
        fields = [
            "id",
            "domain",
            "description",
            "recorded_by",
            "created_at",
            "withdrawn_at",
            "withdrawn_by",
        ]
        read_only_fields = fields


class MapSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "title", "shaped_conclusion"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment with everything it records. Needs the prefetches of
    ``assessments_with_details_for_young_person`` and ``suggested_cin_factors`` in its
    context (the same for every assessment of one young person, so read once)."""

    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)
    authorised_by = serializers.CharField(
        source="authorised_by.get_full_name", default=None, read_only=True
    )
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


class ConflictSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField())
    current_version = serializers.IntegerField()


class DetailSerializer(serializers.Serializer):
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
        required=False,
        allow_null=True,
        default=None,
        help_text="The version you last read; if given and stale, 409",
    )


class AuthoriseAssessmentSerializer(serializers.Serializer):
    authorised_on = serializers.DateField(
        error_messages={"required": "Enter the date the assessment was authorised"}
    )


class ReturnAssessmentSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


# --- Views ------------------------------------------------------------------------------------

CONFLICT = OpenApiResponse(
    ConflictSerializer, description="Someone saved the assessment since the given version"
)
NOT_A_MANAGER = OpenApiResponse(
    DetailSerializer,
    description="The caller may view the record but is not a team manager of the holding team",
)


class YoungPersonAssessmentViewSet(viewsets.GenericViewSet):
    """A young person's assessments."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()  # for the schema; real querysets come from selectors

    def _young_person(self, perm: str):
        return selectors.young_person_get_for_user(
            user=self.request.user,
            pk=self.kwargs["young_person_pk"],
            channel=AccessChannel.API,
            resource=self.request.path,
            perm=perm,
        )

    def _assessment(self, perm: str):
        young_person = self._young_person(perm)
        return young_person, assessment_selectors.assessment_for_young_person(
            young_person=young_person, pk=self.kwargs["pk"]
        )

    def _output(self, young_person, pk: int, *, status_code: int = status.HTTP_200_OK):
        """The assessment as it is now saved, read again with everything it shows."""
        assessment = assessment_selectors.assessment_for_young_person(
            young_person=young_person, pk=pk
        )
        context = {
            "suggested_cin_factors": services.cin_factor_suggestions(young_person=young_person)
        }
        return Response(AssessmentSerializer(assessment, context=context).data, status=status_code)

    def _as_manager(self, refused_message: str):
        """View access (404 without), then the role, before the payload is read: anyone but a
        team manager of the holding team is told so whatever they sent."""
        young_person, assessment = self._assessment(permissions.VIEW)
        if not permissions.can_authorise_assessment(self.request.user, young_person):
            raise PermissionDenied(refused_message)
        return young_person, assessment

    @staticmethod
    def _run(act):
        """Run a manager's service; its role refusal (should the role change between the check
        above and the lock the service takes) is a 403 too."""
        try:
            return act()
        except ApplicationError as error:
            if error.code == "forbidden":
                raise PermissionDenied(error.message) from error
            raise

    @extend_schema(responses=AssessmentSerializer(many=True))
    def list(self, request, young_person_pk=None):
        young_person = self._young_person(permissions.VIEW)
        assessments = assessment_selectors.assessments_with_details_for_young_person(
            young_person=young_person
        )
        context = {
            "suggested_cin_factors": services.cin_factor_suggestions(young_person=young_person)
        }
        return Response(AssessmentSerializer(assessments, many=True, context=context).data)

    @extend_schema(request=StartAssessmentSerializer, responses={201: AssessmentSerializer})
    def create(self, request, young_person_pk=None):
        young_person = self._young_person(permissions.CHANGE)
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
        try:
            services.assessment_update(
                actor=request.user,
                assessment=assessment,
                expected_version=payload.validated_data["version"],
                started_on=payload.validated_data.get("started_on"),
                **payload.text(),
            )
        except ApplicationError as error:
            if error.code == "conflict":
                return self._conflict(error, assessment)
            raise
        return self._output(young_person, assessment.pk)

    @staticmethod
    def _conflict(error: ApplicationError, assessment: Assessment) -> Response:
        return Response(
            {"non_field_errors": [error.message], "current_version": assessment.version},
            status=status.HTTP_409_CONFLICT,
        )

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
        factor = assessment_selectors.contextual_factor_for_assessment(
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
        try:
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
        except ApplicationError as error:
            if error.code == "conflict":
                return self._conflict(error, assessment)
            raise
        return self._output(young_person, assessment.pk)

    @extend_schema(
        request=AuthoriseAssessmentSerializer,
        responses={200: AssessmentSerializer, 403: NOT_A_MANAGER},
    )
    def authorise(self, request, young_person_pk=None, pk=None):
        young_person, assessment = self._as_manager(services.AUTHORISE_REFUSED_MESSAGE)
        payload = AuthoriseAssessmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        self._run(
            lambda: services.assessment_authorise(
                actor=request.user,
                assessment=assessment,
                authorised_on=payload.validated_data["authorised_on"],
            )
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
        self._run(
            lambda: services.assessment_return(
                actor=request.user,
                assessment=assessment,
                reason=payload.validated_data["reason"],
            )
        )
        return self._output(young_person, assessment.pk)


_views = YoungPersonAssessmentViewSet
_base = "young-people/<int:young_person_pk>/assessments/"
urlpatterns = [
    path(
        _base,
        _views.as_view({"get": "list", "post": "create"}),
        name="young-person-assessments",
    ),
    path(
        f"{_base}<int:pk>/",
        _views.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="young-person-assessment-detail",
    ),
    path(
        f"{_base}<int:pk>/factors/",
        _views.as_view({"post": "add_factor"}),
        name="young-person-assessment-factors",
    ),
    path(
        f"{_base}<int:pk>/factors/<int:factor_pk>/withdraw/",
        _views.as_view({"post": "withdraw_factor"}),
        name="young-person-assessment-factor-withdraw",
    ),
    path(
        f"{_base}<int:pk>/complete/",
        _views.as_view({"post": "complete"}),
        name="young-person-assessment-complete",
    ),
    path(
        f"{_base}<int:pk>/authorise/",
        _views.as_view({"post": "authorise"}),
        name="young-person-assessment-authorise",
    ),
    path(
        f"{_base}<int:pk>/return/",
        _views.as_view({"post": "return_for_work"}),
        name="young-person-assessment-return",
    ),
]
