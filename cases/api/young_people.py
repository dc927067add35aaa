"""API for young people, over the same selectors as the pages (and so the same access rules)."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from csafe.core.api import conflict_response_schema
from csafe.core.throttling import SearchRateThrottle
from harms.models import HarmType

from .. import permissions, selectors, services
from ..access import young_person_for_request
from ..models import LocationType, Referral, YoungPerson
from ..reference import REFERRAL_NATURES, ReferralDecision, ReferralSource
from ..selectors.chronology import ChronologyKind, chronology_for_young_person


class WorkerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.get_full_name")
    team = serializers.CharField(source="worker.team.name", default=None, allow_null=True)
    allocated_at = serializers.DateTimeField(source="started_at")


class CurrentFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    harm_type = serializers.IntegerField(source="harm_type_id")
    harm_type_name = serializers.CharField(source="harm_type.name")
    harm_type_retired = serializers.SerializerMethodField(
        help_text="The flag's type has been retired: no new flags of it are raised"
    )
    nature = serializers.CharField()
    identified_on = serializers.DateField()
    review_date = serializers.DateField(allow_null=True)

    def get_harm_type_retired(self, flag) -> bool:
        return not flag.harm_type.is_active


class YoungPersonSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", default=None, allow_null=True)
    allocated_workers = WorkerSerializer(source="active_worker_allocations", many=True)
    current_harm_flags = CurrentFlagSerializer(source="current_flags", many=True)

    class Meta:
        model = YoungPerson
        fields = [
            "id",
            "local_identifier",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "gender_identity",
            "ethnicity",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "status",
            "team",
            "allocated_workers",
            "current_harm_flags",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class UpdateYoungPersonSerializer(serializers.ModelSerializer):
    """Corrections to the details; give only the fields that change, with the version read."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version you last read; 409 if the record has changed since"
    )

    class Meta:
        model = YoungPerson
        fields = ["version", *services.young_people.DETAIL_FIELDS]
        extra_kwargs = {name: {"required": False} for name in services.young_people.DETAIL_FIELDS}
        # Uniqueness and the like are the service's to check, under the row lock.
        validators = []


class YoungPersonSummarySerializer(serializers.ModelSerializer):
    """What the caseload shows, and no more: addresses and identity details come only from the
    single-record endpoint. A list's rows are written to the access log as listed when it is a
    search or filter, or shows young people not allocated to the caller."""

    team = serializers.CharField(source="team.name", default=None, allow_null=True)
    allocated_workers = WorkerSerializer(source="active_worker_allocations", many=True)
    current_harm_flags = CurrentFlagSerializer(source="current_flags", many=True)

    class Meta:
        model = YoungPerson
        fields = [
            "id",
            "local_identifier",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "status",
            "team",
            "allocated_workers",
            "current_harm_flags",
            "updated_at",
        ]
        read_only_fields = fields


class ChronologyEntrySerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.ChoiceField(choices=ChronologyKind.choices)
    title = serializers.CharField()
    by = serializers.CharField()
    detail = serializers.CharField()


class YoungPersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Young people the caller may see. Others are 404, exactly as on the pages."""

    serializer_class = YoungPersonSerializer
    lookup_value_regex = r"\d+"  # a non-numeric id is a 404, not a server error
    queryset = YoungPerson.objects.none()  # for the schema; real querysets come from selectors

    def get_serializer_class(self):
        return YoungPersonSummarySerializer if self.action == "list" else YoungPersonSerializer

    def get_throttles(self):
        # Searching for a name is a look-up, rated as the caseload page's search is.
        return [*super().get_throttles(), SearchRateThrottle()]

    def _filters(self) -> selectors.CaseloadFilters:
        return selectors.CaseloadFilters(
            search=self.request.query_params.get("search", ""),
            status=self.request.query_params.get("status", ""),
        )

    def get_queryset(self):
        return selectors.young_person_list_for_user(user=self.request.user, filters=self._filters())

    def list(self, request, *args, **kwargs):
        """The page of the caseload asked for; its rows written to the access log by the same
        rule as the caseload page's (cases.selectors.caseload_rows_to_log)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.caseload_access_record(
            user=request.user, filters=self._filters(), young_people=page, resource=request.path
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        return young_person_for_request(
            self.request, self.kwargs["pk"], with_current_flags=True, with_active_workers=True
        )

    @extend_schema(
        request=UpdateYoungPersonSerializer,
        responses={200: YoungPersonSerializer, 409: conflict_response_schema("record")},
        description=(
            "Correct the young person's details. Needs change permission on the record (404 "
            "otherwise). If someone saved since the given version, the answer is 409 with the "
            "version now saved, and nothing is changed."
        ),
    )
    def partial_update(self, request, pk=None):
        young_person = young_person_for_request(
            request, pk, permissions.CHANGE, with_current_flags=True, with_active_workers=True
        )
        payload = UpdateYoungPersonSerializer(data=request.data, partial=False)
        payload.is_valid(raise_exception=True)
        details = dict(payload.validated_data)
        expected = details.pop("version")
        services.young_person_update(
            actor=request.user, young_person=young_person, expected_version=expected, **details
        )
        # One access-log row for the request: read the saved details back, not the whole record.
        young_person.refresh_from_db(
            fields=[*services.young_people.DETAIL_FIELDS, "version", "updated_at"]
        )
        return Response(YoungPersonSerializer(young_person).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                many=True,
                enum=ChronologyKind.values,
                description="Only entries of these kinds (repeat the parameter for several)",
            )
        ],
        responses=ChronologyEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def chronology(self, request, pk=None):
        """Everything on the record, newest first, as on the chronology page."""
        young_person = self.get_object()
        entries = chronology_for_young_person(
            young_person=young_person, kinds=request.query_params.getlist("kind")
        )
        return Response(ChronologyEntrySerializer(entries, many=True).data)


class LocationOfHarmSerializer(serializers.Serializer):
    location_type = serializers.PrimaryKeyRelatedField(
        queryset=LocationType.objects.all(), write_only=True
    )
    location_type_name = serializers.CharField(source="location_type.name", read_only=True)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=8)
    place_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ReferralSerializer(serializers.ModelSerializer):
    locations = LocationOfHarmSerializer(many=True, read_only=True)
    harm_flags = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.get_full_name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "received_on",
            "source",
            "reason",
            "nature_of_harm",
            "decision",
            "locations",
            "harm_flags",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class RecordReferralSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    source = serializers.ChoiceField(choices=ReferralSource.choices)
    reason = serializers.CharField(
        error_messages={
            "required": "Enter the reason for the referral",
            "blank": "Enter the reason for the referral",
        }
    )
    nature_of_harm = serializers.ChoiceField(choices=REFERRAL_NATURES)
    decision = serializers.ChoiceField(choices=ReferralDecision.choices)
    harm_types = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=HarmType.objects.all(),
        required=False,
        help_text=(
            "Harm types to flag. A type already flagged is left as it is. A type of nature "
            '"either" is flagged with nature_of_harm, which must then be extra_familial or '
            "intra_familial."
        ),
    )
    locations = LocationOfHarmSerializer(many=True, required=False)


class YoungPersonReferralViewSet(viewsets.GenericViewSet):
    """A young person's referrals: view permission to list, change permission to record."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    pagination_class = None  # a young person's referrals are few and listed whole

    @extend_schema(responses=ReferralSerializer(many=True))
    def list(self, request, young_person_pk=None):
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        referrals = selectors.referrals_for_young_person(
            young_person=young_person, with_names=False
        )
        return Response(ReferralSerializer(referrals, many=True).data)

    @extend_schema(request=RecordReferralSerializer, responses={201: ReferralSerializer})
    def create(self, request, young_person_pk=None):
        # Access first: no access is a 404 whatever was sent, and writes no access-log row. The
        # fetch logs the access, so it shares a transaction with the validation and the service:
        # a request refused for its input (a 400 from either) rolls the row back, since its answer
        # shows nothing of the record. Only a referral actually recorded is logged.
        with transaction.atomic():
            young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
            payload = RecordReferralSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            outcome = services.referral_record(
                actor=request.user,
                young_person=young_person,
                received_on=data["received_on"],
                source=data["source"],
                reason=data["reason"],
                nature_of_harm=data["nature_of_harm"],
                decision=data["decision"],
                harms=[services.HarmInput(harm_type=t) for t in data.get("harm_types", [])],
                locations=[services.LocationInput(**row) for row in data.get("locations", [])],
            )
        referral = selectors.referrals_for_young_person(
            young_person=young_person, with_names=False
        ).get(pk=outcome.referral.pk)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)
