"""API for young people, over the same selectors as the pages (and so the same access rules)."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from csafe.audit.models import AccessChannel

from . import selectors
from .models import YoungPerson


class WorkerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.get_full_name")
    team = serializers.CharField(source="worker.team.name", default=None)
    allocated_at = serializers.DateTimeField(source="started_at")


class CurrentFlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    harm_type = serializers.IntegerField(source="harm_type_id")
    harm_type_name = serializers.CharField(source="harm_type.name")
    nature = serializers.CharField()
    identified_on = serializers.DateField()
    review_date = serializers.DateField()


class YoungPersonSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", default=None)
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
            "updated_at",
        ]
        read_only_fields = fields


class YoungPersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Young people the caller may see. Others are 404, exactly as on the pages."""

    serializer_class = YoungPersonSerializer
    queryset = YoungPerson.objects.none()  # for the schema; real querysets come from selectors

    def get_queryset(self):
        return selectors.young_person_list_for_user(
            user=self.request.user,
            filters=selectors.CaseloadFilters(
                search=self.request.query_params.get("search", ""),
                status=self.request.query_params.get("status", ""),
            ),
        )

    def get_object(self):
        return selectors.young_person_get_for_user(
            user=self.request.user,
            pk=self.kwargs["pk"],
            channel=AccessChannel.API,
            resource=self.request.path,
            with_current_flags=True,
        )
