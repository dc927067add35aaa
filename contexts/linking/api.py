"""API for a young person's links to contexts, on the young person's side only:
``/api/v1/young-people/<young_person_pk>/context-links/``. There is deliberately no endpoint
listing a context's young people. Listing needs ``view`` on the young person; linking and ending
need ``change``, checked again in contexts.linking.services, with the pages' messages."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from cases import permissions as case_permissions
from cases.access import young_person_for_request
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import context_kind_label_for

from ..models import ContextLink
from . import selectors
from .services import CHOOSE_CONTEXT, context_link_end, context_link_young_person

NOT_FOUND = OpenApiResponse(description="No such young person or link, or no access to it")


class ContextLinkSerializer(serializers.ModelSerializer):
    """One link, as the young person's record shows it."""

    context_name = serializers.CharField(source="context.name", read_only=True)
    context_kind = serializers.CharField(source="context.kind", read_only=True)
    context_kind_label = serializers.SerializerMethodField(
        help_text="The kind as shown: a peer group in the administrator's word"
    )
    context_status = serializers.CharField(source="context.status", read_only=True)
    linked_by = serializers.CharField(source="linked_by.get_full_name", read_only=True)
    ended_by = serializers.CharField(
        source="ended_by.get_full_name", read_only=True, allow_null=True, default=None
    )
    is_active = serializers.BooleanField(read_only=True)

    def get_context_kind_label(self, link) -> str:
        return context_kind_label_for(self.root, link.context.kind)

    class Meta:
        model = ContextLink
        fields = [
            "id",
            "context",
            "context_name",
            "context_kind",
            "context_kind_label",
            "context_status",
            "reason",
            "linked_by",
            "linked_at",
            "is_active",
            "ended_at",
            "ended_by",
            "end_reason",
        ]
        read_only_fields = fields


# Blank-field messages match the pages', so a rule reads the same in every channel.
class LinkContextSerializer(serializers.Serializer):
    context = serializers.IntegerField(
        help_text="The id of an open context",
        error_messages={"required": CHOOSE_CONTEXT, "invalid": CHOOSE_CONTEXT},
    )
    reason = serializers.CharField(
        max_length=4000,
        error_messages={
            "required": "Enter why the young person is linked to this context",
            "blank": "Enter why the young person is linked to this context",
            "max_length": "The reason must be 4000 characters or fewer",
        },
    )


class EndLinkSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000,
        error_messages={
            "required": "Enter why the link is ending",
            "blank": "Enter why the link is ending",
            "max_length": "The reason must be 4000 characters or fewer",
        },
    )


class YoungPersonContextLinkViewSet(viewsets.GenericViewSet):
    """A young person's links to contexts, current and ended, newest first."""

    serializer_class = ContextLinkSerializer
    queryset = ContextLink.objects.none()  # for the schema; rows come from the selector

    @extend_schema(responses={200: ContextLinkSerializer(many=True), 404: NOT_FOUND})
    def list(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk)
        links = selectors.links_for_young_person(young_person=young_person)
        page = self.paginate_queryset(links)
        return self.get_paginated_response(ContextLinkSerializer(page, many=True).data)

    @extend_schema(
        summary="Link the young person to an open context",
        request=LinkContextSerializer,
        responses={201: ContextLinkSerializer, 404: NOT_FOUND},
    )
    def create(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, case_permissions.CHANGE)
        payload = LinkContextSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        context = selectors.context_for_link(pk=payload.validated_data["context"])
        if context is None:
            raise ApplicationError(CHOOSE_CONTEXT, field="context")
        link = context_link_young_person(
            actor=request.user,
            context=context,
            young_person=young_person,
            reason=payload.validated_data["reason"],
        )
        return Response(ContextLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End the young person's link to a context",
        request=EndLinkSerializer,
        responses={200: ContextLinkSerializer, 404: NOT_FOUND},
    )
    def end(self, request, young_person_pk=None, pk=None):
        young_person = young_person_for_request(request, young_person_pk, case_permissions.CHANGE)
        link = selectors.link_get_for_young_person(young_person=young_person, pk=pk)
        payload = EndLinkSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        link = context_link_end(
            actor=request.user, link=link, reason=payload.validated_data["reason"]
        )
        return Response(ContextLinkSerializer(link).data)


links = YoungPersonContextLinkViewSet
urlpatterns = [
    path(
        "young-people/<bounded_int:young_person_pk>/context-links/",
        links.as_view({"get": "list", "post": "create"}),
        name="young-person-context-links",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/context-links/<bounded_int:pk>/end/",
        links.as_view({"post": "end"}),
        name="young-person-context-link-end",
    ),
]
