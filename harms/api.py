"""API for the taxonomy and a young person's flags, over the same services as the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from cases import permissions as case_permissions
from cases.selectors import young_person_get_for_user
from csafe.audit.models import AccessChannel
from csafe.core.api import blank_or_choice

from . import permissions, services
from .models import ArchiveReason, HarmFlag, HarmType, IdentifiedAt, Nature


class IsAdministratorOrReadOnly(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or permissions.can_configure_taxonomy(request.user)


class HarmTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HarmType
        fields = ["id", "name", "parent", "nature", "cin_code", "description", "is_active"]
        read_only_fields = ["id", "is_active"]
        # Name clashes are the service's rule (case-insensitive, with a message naming the
        # parent); DRF's generated unique-together validator would answer first, generically.
        validators = []


class HarmTypeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The harm taxonomy: everyone signed in may read it; administrators change it."""

    serializer_class = HarmTypeSerializer
    # IsAuthenticated too: setting permission_classes replaces the default, and the taxonomy is
    # for signed-in staff only.
    permission_classes = [IsAuthenticated, IsAdministratorOrReadOnly]
    queryset = HarmType.objects.order_by("name")
    pagination_class = None  # a taxonomy is small and read whole

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.harm_type_create(
            actor=self.request.user,
            name=data["name"],
            nature=data["nature"],
            parent=data.get("parent"),
            cin_code=data.get("cin_code", ""),
            description=data.get("description", ""),
        )

    def perform_update(self, serializer):
        current = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.harm_type_update(
            actor=self.request.user,
            harm_type=current,
            name=data.get("name", current.name),
            nature=data.get("nature", current.nature),
            parent=data.get("parent", current.parent),
            cin_code=data.get("cin_code", current.cin_code),
            description=data.get("description", current.description),
        )

    @extend_schema(request=None, responses=HarmTypeSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        harm_type = services.harm_type_set_active(
            actor=request.user, harm_type=self.get_object(), active=False
        )
        return Response(HarmTypeSerializer(harm_type).data)

    @extend_schema(request=None, responses=HarmTypeSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        harm_type = services.harm_type_set_active(
            actor=request.user, harm_type=self.get_object(), active=True
        )
        return Response(HarmTypeSerializer(harm_type).data)


class HarmFlagSerializer(serializers.ModelSerializer):
    harm_type_name = serializers.CharField(source="harm_type.name", read_only=True)
    raised_by = serializers.CharField(source="raised_by.get_full_name", read_only=True)
    archive_reason = blank_or_choice(HarmFlag, "archive_reason")

    class Meta:
        model = HarmFlag
        fields = [
            "id",
            "harm_type",
            "harm_type_name",
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
        return young_person_get_for_user(
            user=self.request.user,
            pk=self.kwargs["young_person_pk"],
            channel=AccessChannel.API,
            resource=self.request.path,
            perm=perm,
        )

    def _flag(self, perm: str):
        young_person = self._young_person(perm)
        return get_object_or_404(HarmFlag, pk=self.kwargs["pk"], young_person=young_person)

    @extend_schema(responses=HarmFlagSerializer(many=True))
    def list(self, request, young_person_pk=None):
        young_person = self._young_person(case_permissions.VIEW)
        flags = HarmFlag.objects.filter(young_person=young_person).select_related(
            "harm_type", "raised_by"
        )
        if request.query_params.get("status") in {"active", "archived"}:
            flags = flags.filter(status=request.query_params["status"])
        return Response(HarmFlagSerializer(flags, many=True).data)

    @extend_schema(request=RaiseFlagSerializer, responses={201: HarmFlagSerializer})
    def create(self, request, young_person_pk=None):
        young_person = self._young_person(case_permissions.CHANGE)
        payload = RaiseFlagSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        flag = services.harm_flag_raise(
            actor=request.user, young_person=young_person, **payload.validated_data
        )
        return Response(HarmFlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    def _act(self, serializer_class, perform):
        """Validate the payload, then run the service on a flag the caller may change."""
        flag = self._flag(case_permissions.CHANGE)
        payload = serializer_class(data=self.request.data)
        payload.is_valid(raise_exception=True)
        return Response(HarmFlagSerializer(perform(flag, payload.validated_data)).data)

    @extend_schema(request=ArchiveFlagSerializer, responses=HarmFlagSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, young_person_pk=None, pk=None):
        return self._act(
            ArchiveFlagSerializer,
            lambda flag, data: services.harm_flag_archive(actor=request.user, flag=flag, **data),
        )

    @extend_schema(request=ReviewFlagSerializer, responses=HarmFlagSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, young_person_pk=None, pk=None):
        return self._act(
            ReviewFlagSerializer,
            lambda flag, data: services.harm_flag_review(
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
            lambda flag, data: services.harm_flag_reinstate(actor=request.user, flag=flag, **data),
        )
