"""API for the dashboard measures: the same aggregate Tables the dashboard page draws, for the same
filters and the same scope, so a number read here is the number on the page.

Access: team managers (their own team: naming another team is refused with 400 on "team") and
service managers (every team, or one they choose). Practitioners and administrators get 403 with
the reason; the anonymous 401.

Output is labels and counts only (reporting.dashboards.tables.Table): no measure holds a young
person.
"""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, views
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from csafe.accounts.models import Team
from csafe.core.errors import ApplicationError
from harms.models import HarmType

from .dashboards.forms import ALL_HARM_TYPES, ALL_TEAMS
from .dashboards.selectors import MEASURES, dashboard_table, dashboard_tables
from .dashboards.tables import Row, Table
from .permissions import can_view_dashboards
from .scope import (
    MAX_YEARS,
    ReportScope,
    default_period,
    period_errors,
    scope_for,
    scope_team,
    with_descendants,
)

MANAGERS_ONLY = "Only team managers and service managers can read the dashboards"
# The dashboard page's rules and words for the period and the team (reporting.scope), so that
# the page and the API refuse the same filters alike and default to the same ones.

# A column and a chart both have a "kind": the schema names them MeasureColumnKindEnum and
# MeasureChartKindEnum from their serializers, so neither needs an ENUM_NAME_OVERRIDES entry.
COLUMN_KINDS = [
    ("text", "Text: labels the row"),
    ("count", "Count: a whole number"),
    ("percent", "Percent: a share from 0 to 100, or null where there is nothing to divide by"),
    ("days", "Days: a number of days"),
]
CHART_KINDS = [("bar", "Bar"), ("stacked_bar", "Stacked bar"), ("line", "Line")]


# --- Input -------------------------------------------------------------------------------------


class ReportFiltersSerializer(serializers.Serializer):
    """The dashboard's filters, checked against what the caller may read. Needs ``user`` in its
    context. Gives ``scope`` (a ReportScope), ``team`` and ``harm_type`` (or None)."""

    start = serializers.DateField(
        required=False,
        help_text="First day of the period (YYYY-MM-DD). Default: the day after the end's date "
        "a year earlier, so the period is the last 12 months to the end, as on the dashboard",
        error_messages={"invalid": "Enter the start of the period as a date: YYYY-MM-DD"},
    )
    end = serializers.DateField(
        required=False,
        help_text="Last day of the period (YYYY-MM-DD), today or earlier. Default: today. "
        f"The start can be at most {MAX_YEARS} years before it",
        error_messages={"invalid": "Enter the end of the period as a date: YYYY-MM-DD"},
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of a team. A team manager may give only their own team, and reads it "
        "whether they give it or not. Default: every team the caller may read",
        error_messages={
            "does_not_exist": "There is no team with id {pk_value}",
            "incorrect_type": "Give the team as its id, a whole number",
        },
    )
    harm_type = serializers.PrimaryKeyRelatedField(
        queryset=HarmType.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of a harm type: counts it and every type beneath it in the taxonomy. "
        "Default: every harm type",
        error_messages={
            "does_not_exist": "There is no harm type with id {pk_value}",
            "incorrect_type": "Give the harm type as its id, a whole number",
        },
    )

    def validate_team(self, team: Team | None) -> Team | None:
        """The team the figures are for (a team manager's own, named or not)."""
        try:
            return scope_team(user=self.context["user"], team=team)
        except ApplicationError as error:
            raise serializers.ValidationError(error.message) from error

    def validate(self, attrs: dict) -> dict:
        today = timezone.localdate()
        end = attrs.get("end") or today
        start = attrs.get("start") or default_period(end)[0]
        errors = period_errors(start, end)
        if errors:
            raise serializers.ValidationError({f: [m] for f, m in errors.items()})
        user = self.context["user"]
        # validate_team runs only when a team was sent; a team manager who sent none reads (and
        # is told they read) their own team all the same.
        team = scope_team(user=user, team=attrs.get("team"))
        harm_type = attrs.get("harm_type")
        attrs["team"] = team
        attrs["harm_type"] = harm_type
        attrs["scope"] = scope_for(
            user=user,
            start=start,
            end=end,
            team=team,
            harm_type_ids=with_descendants(harm_type.pk) if harm_type is not None else None,
        )
        return attrs


# --- Output ------------------------------------------------------------------------------------


class AppliedFiltersSerializer(serializers.Serializer):
    """The filters the numbers were counted under, after the caller's scope was applied."""

    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.IntegerField(allow_null=True, help_text="Null: every team")
    team_name = serializers.CharField(help_text=f'"{ALL_TEAMS}" when no team was chosen')
    harm_type = serializers.IntegerField(allow_null=True, help_text="Null: every harm type")
    harm_type_name = serializers.CharField(
        help_text=f'"{ALL_HARM_TYPES}" when no harm type was chosen; a chosen type counts the '
        "types beneath it as well"
    )


class MeasureColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=COLUMN_KINDS)


CELLS_HELP = (
    "The row's value for each column, by the column's key. A text column's value is a string; "
    "count and days columns hold whole numbers; a percent column holds a number from 0 to 100, "
    "or null where there is nothing to divide by."
)


class MeasureRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text='What identifies the row: a month ("2026-03"), a harm type id, a kind... '
        "Empty for totals"
    )
    cells = serializers.DictField(child=serializers.JSONField(), help_text=CELLS_HELP)


class MeasureChartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CHART_KINDS)
    label_column = serializers.CharField(help_text="The column that labels the bars or points")
    value_columns = serializers.ListField(
        child=serializers.CharField(), help_text="The columns drawn"
    )


class MeasureSerializer(serializers.Serializer):
    """One measure as a table of labels and counts: never a young person."""

    key = serializers.CharField()
    title = serializers.CharField()
    section = serializers.CharField(help_text="The dashboard section it is shown under")
    summary = serializers.CharField(help_text="What the numbers say, in a sentence or two")
    definition = serializers.CharField(help_text="What counts, and at which date")
    notes = serializers.ListField(child=serializers.CharField())
    columns = MeasureColumnSerializer(many=True)
    rows = MeasureRowSerializer(many=True)
    totals = MeasureRowSerializer(allow_null=True)
    chart = MeasureChartSerializer(allow_null=True)


class MeasureDetailSerializer(MeasureSerializer):
    filters = AppliedFiltersSerializer()


class MeasureListSerializer(serializers.Serializer):
    filters = AppliedFiltersSerializer()
    measures = MeasureSerializer(many=True)


def _row(table: Table, row: Row) -> dict:
    return {
        "key": row.key,
        "cells": dict(zip((c.key for c in table.columns), row.cells, strict=True)),
    }


def table_as_dict(table: Table) -> dict:
    """A Table in the API's shape: cells keyed by column rather than by position."""
    chart = table.chart
    return {
        "key": table.key,
        "title": table.title,
        "section": table.section,
        "summary": table.summary,
        "definition": table.definition,
        "notes": list(table.notes),
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": [_row(table, row) for row in table.rows],
        "totals": _row(table, table.totals) if table.totals is not None else None,
        "chart": (
            {
                "kind": chart.kind,
                "label_column": chart.label_column,
                "value_columns": list(chart.value_columns),
            }
            if chart is not None
            else None
        ),
    }


def _applied_filters(scope: ReportScope, team: Team | None, harm_type: HarmType | None) -> dict:
    return {
        "start": scope.start,
        "end": scope.end,
        "team": team.pk if team is not None else None,
        "team_name": team.name if team is not None else ALL_TEAMS,
        "harm_type": harm_type.pk if harm_type is not None else None,
        "harm_type_name": harm_type.name if harm_type is not None else ALL_HARM_TYPES,
    }


# --- Views -------------------------------------------------------------------------------------


class CanViewDashboards(BasePermission):
    message = MANAGERS_ONLY

    def has_permission(self, request, view):
        return can_view_dashboards(request.user)


REFUSED = OpenApiResponse(description=f'Not a manager: "{MANAGERS_ONLY}"')
INVALID = OpenApiResponse(description="Filters that do not make a period or scope, by field")


class _MeasuresView(views.APIView):
    permission_classes = [IsAuthenticated, CanViewDashboards]

    def _filters(self, request) -> dict:
        # An empty parameter (a form submitted with a blank box) means "not given".
        data = {key: value for key, value in request.query_params.items() if value != ""}
        payload = ReportFiltersSerializer(data=data, context={"user": request.user})
        payload.is_valid(raise_exception=True)
        return payload.validated_data


class MeasureListView(_MeasuresView):
    @extend_schema(
        operation_id="reporting_measures_list",
        parameters=[ReportFiltersSerializer],
        responses={200: MeasureListSerializer, 400: INVALID, 403: REFUSED},
        description="Every dashboard measure for the filters, in the dashboard's order.",
    )
    def get(self, request):
        filters = self._filters(request)
        scope = filters["scope"]
        body = {
            "filters": _applied_filters(scope, filters["team"], filters["harm_type"]),
            "measures": [table_as_dict(table) for table in dashboard_tables(scope)],
        }
        return Response(MeasureListSerializer(body).data)


class MeasureDetailView(_MeasuresView):
    @extend_schema(
        operation_id="reporting_measures_retrieve",
        parameters=[ReportFiltersSerializer],
        responses={
            200: MeasureDetailSerializer,
            400: INVALID,
            403: REFUSED,
            404: OpenApiResponse(description="No measure has that key"),
        },
        description="One dashboard measure for the filters. Keys: " + ", ".join(MEASURES) + ".",
    )
    def get(self, request, key: str):
        if key not in MEASURES:
            raise NotFound(f"There is no measure called {key}")
        filters = self._filters(request)
        scope = filters["scope"]
        body = {
            **table_as_dict(dashboard_table(scope, key)),
            "filters": _applied_filters(scope, filters["team"], filters["harm_type"]),
        }
        return Response(MeasureDetailSerializer(body).data)


urlpatterns = [
    path("reporting/measures/", MeasureListView.as_view(), name="reporting-measures"),
    path(
        "reporting/measures/<slug:key>/",
        MeasureDetailView.as_view(),
        name="reporting-measure",
    ),
]
