"""API for the harm taxonomy, over the same services as the pages. A young person's flags are
the record's own (cases/api/flags.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from . import permissions, services
from .models import HarmType


class IsAdministratorOrReadOnly(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or permissions.can_configure_taxonomy(request.user)


class HarmTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HarmType
        fields = [
            "id",
            "name",
            "parent",
            "nature",
            "cin_code",
            "description",
            "is_active",
            "retired_at",
            "retired_reason",
        ]
        read_only_fields = ["id", "is_active", "retired_at", "retired_reason"]
        # Name clashes are the service's rule (case-insensitive, with a message naming the
        # parent); DRF's generated unique-together validator would answer first, generically.
        validators = []


class RetireSerializer(serializers.Serializer):
    # Required by the service, which answers a missing one with its own message.
    reason = serializers.CharField(required=False, allow_blank=True, default="")


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

    @extend_schema(request=RetireSerializer, responses=HarmTypeSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        harm_type = self.get_object()
        payload = RetireSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        harm_type = services.harm_type_set_active(
            actor=request.user,
            harm_type=harm_type,
            active=False,
            reason=payload.validated_data["reason"],
        )
        return Response(HarmTypeSerializer(harm_type).data)

    @extend_schema(request=None, responses=HarmTypeSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        harm_type = services.harm_type_set_active(
            actor=request.user, harm_type=self.get_object(), active=True
        )
        return Response(HarmTypeSerializer(harm_type).data)
