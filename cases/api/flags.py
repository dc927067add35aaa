"""API for a young person's harm flags, over the same services and selectors as the pages (and
so the same access rules and messages)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from csafe.core.api import blank_or_choice
from harms.models import ArchiveReason, FlagStatus, HarmFlag, HarmType, IdentifiedAt, Nature

from .. import permissions
from ..access import young_person_for_request
from ..selectors.flags import harm_flag_get_for_young_person, harm_flag_list_for_young_person
from ..services.flags import (
    harm_flag_archive,
    harm_flag_raise,
    harm_flag_reinstate,
    harm_flag_review,
)


class HarmFlagSerializer(serializers.ModelSerializer):
    harm_type_name = serializers.CharField(source="harm_type.name", read_only=True)
    harm_type_retired = serializers.SerializerMethodField(
        help_text="The flag's type has been retired: no new flags of it are raised"
    )
    raised_by = serializers.CharField(source="raised_by.get_full_name", read_only=True)
    archive_reason = blank_or_choice(HarmFlag, "archive_reason")

    class Meta:
        model = HarmFlag
        fields = [
            "id",
            "harm_type",
            "harm_type_name",
            "harm_type_retired",
            "nature",
            "identified_at",
            "identified_on",
            "raised_by",
            "review_date",
            "note",
            "status",
            "archived_at",
            "archive_reason",
            "archive_rationale",
            "reinstated_at",
            "reinstate_reason",
        ]
        read_only_fields = fields

    def get_harm_type_retired(self, flag) -> bool:
        return not flag.harm_type.is_active


class RaiseFlagSerializer(serializers.Serializer):
    harm_type = serializers.PrimaryKeyRelatedField(queryset=HarmType.objects.all())
    nature = serializers.ChoiceField(
        choices=[Nature.EXTRA_FAMILIAL, Nature.INTRA_FAMILIAL], required=False, allow_null=True
    )
    identified_at = serializers.ChoiceField(choices=IdentifiedAt.choices)
    identified_on = serializers.DateField()
    review_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# Blank-field messages match the pages', so a rule reads the same in every channel.
class ArchiveFlagSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        choices=ArchiveReason.choices,
        error_messages={"required": "Choose why the flag is being archived"},
    )
    rationale = serializers.CharField(
        max_length=4000,
        error_messages={
            "required": "Explain why the flag is being archived",
            "blank": "Explain why the flag is being archived",
        },
    )


class ReinstateFlagSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": "Explain why the flag is being reinstated",
            "blank": "Explain why the flag is being reinstated",
        },
    )


class ReviewFlagSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": "Say what the review found",
            "blank": "Say what the review found",
        },
    )
    next_review_date = serializers.DateField(required=False, allow_null=True)


class YoungPersonFlagViewSet(viewsets.GenericViewSet):
    """A young person's harm flags, with the same object permission as the record:
    view to list, change to raise, archive and reinstate. No access is 404."""

    serializer_class = HarmFlagSerializer
    queryset = HarmFlag.objects.none()
    pagination_class = None  # a young person's flags are few and listed whole

    def _young_person(self, perm: str):
        return young_person_for_request(self.request, self.kwargs["young_person_pk"], perm=perm)

    def _flag(self, perm: str):
        return harm_flag_get_for_young_person(
            young_person=self._young_person(perm), pk=self.kwargs["pk"]
        )

    @extend_schema(responses=HarmFlagSerializer(many=True))
    def list(self, request, young_person_pk=None):
        young_person = self._young_person(permissions.VIEW)
        wanted = request.query_params.get("status")
        flags = harm_flag_list_for_young_person(
            young_person=young_person,
            status=wanted if wanted in FlagStatus.values else None,
        )
        return Response(HarmFlagSerializer(flags, many=True).data)

    @extend_schema(request=RaiseFlagSerializer, responses={201: HarmFlagSerializer})
    def create(self, request, young_person_pk=None):
        young_person = self._young_person(permissions.CHANGE)
        payload = RaiseFlagSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        flag = harm_flag_raise(
            actor=request.user, young_person=young_person, **payload.validated_data
        )
        return Response(HarmFlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    def _act(self, serializer_class, perform):
        """Validate the payload, then run the service on a flag the caller may change."""
        flag = self._flag(permissions.CHANGE)
        payload = serializer_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return Response(HarmFlagSerializer(perform(flag, payload.validated_data)).data)

    @extend_schema(request=ArchiveFlagSerializer, responses=HarmFlagSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, young_person_pk=None, pk=None):
        return self._act(
            ArchiveFlagSerializer,
            lambda flag, data: harm_flag_archive(actor=request.user, flag=flag, **data),
        )

    @extend_schema(request=ReviewFlagSerializer, responses=HarmFlagSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, young_person_pk=None, pk=None):
        return self._act(
            ReviewFlagSerializer,
            lambda flag, data: harm_flag_review(
                actor=request.user,
                flag=flag,
                next_review_date=data.get("next_review_date"),
                note=data["note"],
            ),
        )

    @extend_schema(request=ReinstateFlagSerializer, responses=HarmFlagSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, young_person_pk=None, pk=None):
        return self._act(
            ReinstateFlagSerializer,
            lambda flag, data: harm_flag_reinstate(actor=request.user, flag=flag, **data),
        )


flags = YoungPersonFlagViewSet
urlpatterns = [
    path(
        "young-people/<bounded_int:young_person_pk>/flags/",
        flags.as_view({"get": "list", "post": "create"}),
        name="young-person-flags",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/<bounded_int:pk>/archive/",
        flags.as_view({"post": "archive"}),
        name="young-person-flag-archive",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/<bounded_int:pk>/review/",
        flags.as_view({"post": "review"}),
        name="young-person-flag-review",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/<bounded_int:pk>/reinstate/",
        flags.as_view({"post": "reinstate"}),
        name="young-person-flag-reinstate",
    ),
]
