"""API for context records themselves and for their naming configuration, over the same
services and selectors as the pages, so the same rules and messages.

Access: anyone who may view contexts reads them; everyone else (administrators included) gets
404, as on the pages. Opening and changing a context needs ``can_work_on_contexts``; closing and
reopening, the lead practitioner or a manager of the context's team: a reader who may not gets
403 with the reason. A change carries the ``version`` the client last read; if someone has saved
since, the answer is 409 with the version now saved, and nothing is changed. The naming
configuration is for administrators (404 for everyone else).

Output carries the number of young people linked and the professionals working with them, never
a young person.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from csafe.core.api import conflict_response_schema
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from harms.models import HarmType

from .. import permissions
from ..access import context_for_request
from ..linked_professionals import context_link_counts, context_professionals
from ..location_types import location_type_model
from ..models import Context
from ..reference import ContextStatus, PeerGroupTerm
from ..selectors import core as selectors
from ..services import configuration as configuration_services
from ..services import contexts as services

NO_CONTEXT = "No context found"

# --- Output ------------------------------------------------------------------------------------


class ContextStaffSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.SerializerMethodField()

    # A method, not source="get_full_name": DRF inspects the signature of a callable source
    # on every row, a cost the list pays fifty times a page.
    def get_name(self, user) -> str:
        return user.get_full_name()


class ContextTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class ContextHarmTypeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class ContextProfessionalSerializer(serializers.Serializer):
    """Someone working with young people linked to the context, and how many of theirs are."""

    user_id = serializers.IntegerField()
    name = serializers.CharField()
    job_title = serializers.CharField()
    team = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    linked_young_people = serializers.IntegerField()


class ContextSerializer(serializers.Serializer):
    """A context as the list shows it. Needs ``term`` (the word for a peer group) in its
    context, and contexts annotated with ``linked_young_people`` with ``harm_type_list`` read
    (``selectors.with_harm_types``)."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=ContextKind.choices)
    kind_label = serializers.SerializerMethodField(
        help_text="The kind as shown: a peer group in the configured word"
    )
    name = serializers.CharField()
    label = serializers.CharField()
    area = serializers.CharField()
    postcode = serializers.CharField()
    postcode_district = serializers.CharField()
    location_type = serializers.IntegerField(source="location_type_id", allow_null=True)
    location_type_name = serializers.CharField(
        source="location_type.name", allow_null=True, default=None
    )
    opened_on = serializers.DateField()
    incident = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=ContextStatus.choices)
    lead_practitioner = ContextStaffSerializer()
    team = ContextTeamSerializer()
    harm_types = ContextHarmTypeSerializer(source="harm_type_list", many=True)
    plan_review_date = serializers.DateField(allow_null=True)
    linked_young_people = serializers.IntegerField(
        help_text="How many young people are linked now: a count, never who"
    )
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_kind_label(self, context: Context) -> str:
        return selectors.kind_label(context.kind, self.context["term"])


class ContextDetailSerializer(ContextSerializer):
    linked_young_people_ever = serializers.IntegerField(
        help_text="How many young people have ever been linked"
    )
    professionals = ContextProfessionalSerializer(many=True)


class ContextChronologyEntrySerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField()
    title = serializers.CharField()
    by = serializers.CharField()
    detail = serializers.CharField()


class ContextSummarySerializer(serializers.Serializer):
    """Another context a request ran into: enough to find it."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    team = serializers.CharField(source="team.name")
    opened_on = serializers.DateField()
    url = serializers.SerializerMethodField()
    chronology_url = serializers.SerializerMethodField()

    def get_url(self, context: Context) -> str:
        return reverse("context-detail", args=[context.pk])

    def get_chronology_url(self, context: Context) -> str:
        return reverse("context-chronology", args=[context.pk])


CONFLICT = conflict_response_schema("context")
REFUSED = OpenApiResponse(description="The caller may read contexts but not make this change")


# --- Input -------------------------------------------------------------------------------------


# Optional text: the services give the message for a missing value, the same as on the pages.
def _text(max_length: int = 10000) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length
    )


class _DetailsSerializer(serializers.Serializer):
    label = _text(120)
    area = _text(100)
    postcode = _text(8)
    location_type = serializers.PrimaryKeyRelatedField(
        queryset=location_type_model().objects.all(), required=False, allow_null=True, default=None
    )
    opened_on = serializers.DateField()
    incident = _text()
    description = _text()
    harm_types = serializers.PrimaryKeyRelatedField(
        queryset=HarmType.objects.all(), many=True, required=False, default=list
    )
    lead_practitioner = serializers.PrimaryKeyRelatedField(
        queryset=selectors.lead_practitioner_choices(),
        required=False,
        allow_null=True,
        default=None,
        help_text="A practitioner or team manager in a team; the caller if not given",
    )


class OpenContextSerializer(_DetailsSerializer):
    kind = serializers.ChoiceField(
        choices=ContextKind.choices,
        error_messages={"invalid_choice": services.CHOOSE_KIND, "required": services.CHOOSE_KIND},
    )
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Open it even though contexts with a similar name exist (they are listed in "
        "the 400 answer that refuses it without this)",
    )


_MISSING_VERSION = "Send the version of the context you last read"


class UpdateContextSerializer(serializers.Serializer):
    """Only the details sent change; the rest stay as they are."""

    version = serializers.IntegerField(
        min_value=1, error_messages={"required": _MISSING_VERSION, "null": _MISSING_VERSION}
    )
    label = serializers.CharField(required=False, allow_blank=True, max_length=120)
    area = serializers.CharField(required=False, allow_blank=True, max_length=100)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=8)
    location_type = serializers.PrimaryKeyRelatedField(
        queryset=location_type_model().objects.all(), required=False, allow_null=True
    )
    opened_on = serializers.DateField(required=False)
    incident = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    harm_types = serializers.PrimaryKeyRelatedField(
        queryset=HarmType.objects.all(), many=True, required=False
    )
    lead_practitioner = serializers.PrimaryKeyRelatedField(
        queryset=selectors.lead_practitioner_choices(), required=False
    )


class CloseContextSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    functioning_change = _text()
    guardianship_change = _text()
    environment_change = _text()
    reason = _text()
    links_rule = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text='"end": end every link with the closure as the reason; "keep": keep them',
    )
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class ReopenContextSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = _text()
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


# --- Contexts ----------------------------------------------------------------------------------


def _term() -> str:
    return selectors.peer_group_word(selectors.context_configuration())


def _name_refused(error) -> Response:
    body = {
        **error.as_field_errors(),
        "existing_context": ContextSummarySerializer(error.context).data,
    }
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class ContextViewSet(viewsets.GenericViewSet):
    """Context records. Readers: practitioners, team managers and service managers."""

    serializer_class = ContextSerializer
    queryset = Context.objects.none()  # for the schema; real querysets come from selectors

    def _require_reader(self) -> None:
        if not permissions.can_view_contexts(self.request.user):
            raise Http404(NO_CONTEXT)

    def _require_worker(self) -> None:
        """Who may change contexts is known before the input is read: a refusal is a 403,
        never a list of field errors."""
        if not permissions.can_work_on_contexts(self.request.user):
            raise PermissionDenied(services.CANNOT_WORK)

    def _output(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The context as it is now saved, with its counts and professionals."""
        context = selectors.context_with_link_count(pk=pk)
        counts = context_link_counts(context=context)
        context.linked_young_people_ever = counts.ever
        context.professionals = context_professionals(context=context)
        data = ContextDetailSerializer(context, context={"term": _term()}).data
        return Response(data, status=status_code)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=ContextKind.values),
            OpenApiParameter("status", str, enum=ContextStatus.values),
            OpenApiParameter("search", str, description="Part of the name, area or postcode"),
        ],
        responses=ContextSerializer(many=True),
    )
    def list(self, request):
        self._require_reader()
        params = request.query_params
        filters = selectors.ContextFilters(
            kind=params.get("kind", "") if params.get("kind") in ContextKind.values else "",
            status=params.get("status", "") if params.get("status") in ContextStatus.values else "",
            search=params.get("search", "")[:100],
        )
        contexts = selectors.context_list_for_user(user=request.user, filters=filters)
        page = self.paginate_queryset(selectors.with_harm_types(contexts=contexts))
        data = ContextSerializer(page, many=True, context={"term": _term()}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=OpenContextSerializer,
        responses={201: ContextDetailSerializer, 403: REFUSED},
        description=(
            "Open a context named by the naming convention for its kind. Refused (400) when an "
            "open context has the name, or a closed one does (reopen it instead); both answers "
            "carry existing_context. When contexts with a similar name, or of the same kind at "
            "the same postcode, exist, refused with possible_duplicates unless "
            "confirm_not_duplicate is true."
        ),
    )
    def create(self, request):
        self._require_reader()
        self._require_worker()
        payload = OpenContextSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        confirmed = data.pop("confirm_not_duplicate")
        try:
            context = services.context_open(
                actor=request.user, confirmed_not_duplicate=confirmed, **data
            )
        except (services.ContextNameTaken, services.ReopenInstead) as error:
            return _name_refused(error)
        except services.PossibleDuplicateContexts as error:
            body = {
                **error.as_field_errors(),
                "name": error.name,
                "possible_duplicates": ContextSummarySerializer(error.candidates, many=True).data,
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return self._output(context.pk, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses=ContextDetailSerializer)
    def retrieve(self, request, pk=None):
        context = context_for_request(request, pk)
        return self._output(context.pk)

    @extend_schema(
        request=UpdateContextSerializer,
        responses={200: ContextDetailSerializer, 403: REFUSED, 409: CONFLICT},
    )
    def partial_update(self, request, pk=None):
        context = context_for_request(request, pk)
        self._require_worker()
        payload = UpdateContextSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version")
        current = {
            "label": context.label,
            "area": context.area,
            "postcode": context.postcode,
            "location_type": context.location_type,
            "opened_on": context.opened_on,
            "incident": context.incident,
            "description": context.description,
            "lead_practitioner": context.lead_practitioner,
        }
        if "harm_types" not in data:
            current["harm_types"] = selectors.context_harm_types(context=context)
        try:
            services.context_update(
                actor=request.user,
                context=context,
                expected_version=version,
                **(current | data),
            )
        except (services.ContextNameTaken, services.ReopenInstead) as error:
            return _name_refused(error)
        return self._output(context.pk)

    def _status_change(self, request, serializer_class, service):
        context = context_for_request(request, self.kwargs["pk"])
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version")
        try:
            service(actor=request.user, context=context, expected_version=version, **data)
        except services.ContextNameTaken as error:
            return _name_refused(error)
        return self._output(context.pk)

    @extend_schema(
        request=CloseContextSerializer,
        responses={200: ContextDetailSerializer, 403: REFUSED, 409: CONFLICT},
        description=(
            "Close the context, with how functioning, guardianship and the environment changed "
            "(under the triangle headings for its kind), a reason, and links_rule: what happens "
            "to the links of young people linked to it. For the lead practitioner or a manager "
            "of the context's team."
        ),
    )
    def close(self, request, pk=None):
        return self._status_change(request, CloseContextSerializer, services.context_close)

    @extend_schema(
        request=ReopenContextSerializer,
        responses={200: ContextDetailSerializer, 403: REFUSED, 409: CONFLICT},
    )
    def reopen(self, request, pk=None):
        return self._status_change(request, ReopenContextSerializer, services.context_reopen)

    @extend_schema(responses=ContextChronologyEntrySerializer(many=True))
    def chronology(self, request, pk=None):
        """Everything that happened to the context, newest first; links as who made them."""
        context = context_for_request(request, pk)
        entries = selectors.context_chronology(context=context)
        return Response(ContextChronologyEntrySerializer(entries, many=True).data)


# --- Naming configuration ----------------------------------------------------------------------


class NamingConventionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    template = serializers.CharField()
    sample_name = serializers.CharField(
        help_text="The name it gives a sample context; empty if it cannot name one"
    )


class NamingConfigurationSerializer(serializers.Serializer):
    peer_group_term = serializers.ChoiceField(choices=PeerGroupTerm.choices)
    peer_group_word = serializers.CharField()
    conventions = NamingConventionSerializer(many=True)


class NamingConfigurationUpdateSerializer(serializers.Serializer):
    peer_group_term = serializers.ChoiceField(
        choices=PeerGroupTerm.choices,
        required=False,
        error_messages={"invalid_choice": configuration_services.CHOOSE_A_WORD},
    )
    conventions = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=1000),
        required=False,
        help_text="{kind: template} for the conventions to change",
    )

    def validate_conventions(self, value):
        unknown = [kind for kind in value if kind not in ContextKind.values]
        if unknown:
            raise serializers.ValidationError(
                f"Not a kind of context: {', '.join(unknown)}. Use {', '.join(ContextKind.values)}"
            )
        return value


def _naming_configuration() -> dict:
    configuration = selectors.context_configuration()
    term = selectors.peer_group_word(configuration)
    conventions = selectors.naming_conventions()
    rows = []
    for kind in ContextKind.values:
        template = conventions[kind].template if kind in conventions else ""
        try:
            sample = configuration_services.convention_preview(
                kind=kind, template=template, term=term
            )
        except ApplicationError:
            sample = ""
        rows.append(
            {
                "kind": kind,
                "kind_label": selectors.kind_label(kind, term),
                "template": template,
                "sample_name": sample,
            }
        )
    return {
        "peer_group_term": configuration.peer_group_term,
        "peer_group_word": term,
        "conventions": rows,
    }


class NamingConfigurationViewSet(viewsets.GenericViewSet):
    """The word for a peer group and the naming convention for each kind: administrators."""

    serializer_class = NamingConfigurationSerializer

    def _require_administrator(self) -> None:
        if not permissions.can_configure_contexts(self.request.user):
            raise Http404("No such configuration")

    @extend_schema(responses=NamingConfigurationSerializer)
    def retrieve(self, request):
        self._require_administrator()
        return Response(NamingConfigurationSerializer(_naming_configuration()).data)

    @extend_schema(
        request=NamingConfigurationUpdateSerializer,
        responses=NamingConfigurationSerializer,
        description="Change the word and any conventions sent; all or nothing.",
    )
    def update(self, request):
        self._require_administrator()
        payload = NamingConfigurationUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        kind = None
        try:
            with transaction.atomic():
                if "peer_group_term" in data:
                    configuration_services.configuration_update(
                        actor=request.user, peer_group_term=data["peer_group_term"]
                    )
                for kind, template in data.get("conventions", {}).items():
                    configuration_services.convention_update(
                        actor=request.user, kind=kind, template=template
                    )
        except ApplicationError as error:
            if kind is not None and error.field == "template":
                return Response(
                    {"conventions": {kind: [error.message]}},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            raise
        return Response(NamingConfigurationSerializer(_naming_configuration()).data)


_contexts = ContextViewSet
urlpatterns = [
    path("contexts/", _contexts.as_view({"get": "list", "post": "create"}), name="context-list"),
    path(
        "contexts/<bounded_int:pk>/",
        _contexts.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="context-detail",
    ),
    path(
        "contexts/<bounded_int:pk>/close/",
        _contexts.as_view({"post": "close"}),
        name="context-close",
    ),
    path(
        "contexts/<bounded_int:pk>/reopen/",
        _contexts.as_view({"post": "reopen"}),
        name="context-reopen",
    ),
    path(
        "contexts/<bounded_int:pk>/chronology/",
        _contexts.as_view({"get": "chronology"}, pagination_class=None),
        name="context-chronology",
    ),
    path(
        "context-configuration/naming/",
        NamingConfigurationViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="context-naming",
    ),
]
