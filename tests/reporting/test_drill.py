"""Drill-down from a dashboard count to the young people behind it: the list agrees with the count,
and holds only the records the reader may already see."""

import io
from datetime import date

import pytest

from cases.reference import NatureOfHarm
from csafe.core.errors import ApplicationError
from harms.models import HarmType
from reporting.dashboards.selectors import dashboard_tables
from reporting.drill.selectors import (
    DRILLS,
    UnknownDrill,
    drill_young_people,
)
from reporting.exports.drill import DRILL_EXPORT
from reporting.scope import ReportScope, scope_for
from tests.reporting.helpers import CCE, refer

PERIOD = {"start": date(2026, 1, 1), "end": date(2026, 6, 30)}


@pytest.fixture
def referred(young_person, other_young_person, practitioner, other_team_practitioner):
    """One extra-familial referral in March for a young person of each team, with a CCE flag
    and a park in NB3."""
    for actor, person in (
        (practitioner, young_person),
        (other_team_practitioner, other_young_person),
    ):
        refer(
            actor,
            person,
            on=date(2026, 3, 10),
            nature=NatureOfHarm.EXTRA_FAMILIAL,
            harms=[CCE],
            postcode="NB3 4XY",
        )


def wide(user):
    return scope_for(user=user, **PERIOD)


@pytest.mark.django_db
def test_every_drillable_column_has_a_drill_and_every_drill_a_column(service_manager):
    declared = {
        (table.key, column.key)
        for table in dashboard_tables(ReportScope(**PERIOD))
        for column in table.columns
        if column.drill
    }
    assert declared == set(DRILLS)


@pytest.mark.django_db
def test_no_context_measure_drills_to_young_people():
    tables = {t.key: t for t in dashboard_tables(ReportScope(**PERIOD))}
    for key in ("contexts_by_kind", "contexts_time_open", "context_plan_progress"):
        assert not any(column.drill for column in tables[key].columns)
    assert not any(
        table_key.startswith("context") and "plan" in table_key for table_key, _ in DRILLS
    )


def test_team_manager_sees_only_their_teams_young_people_behind_a_count(
    referred, team_manager, young_person, other_young_person
):
    # The scope a service manager would read (every team), read by the team manager directly, so
    # the count holds both young people while the list holds only the team's own.
    scope = ReportScope(**PERIOD)
    result = drill_young_people(
        user=team_manager,
        scope=scope,
        table_key="referrals_by_month",
        column_key="extra",
        row_key="2026-03",
    )
    assert result.behind == 2
    assert list(result.visible) == [young_person]
    assert result.describes == "Referrals with an extra-familial marker"


def test_service_manager_sees_the_number_but_no_child(referred, service_manager):
    result = drill_young_people(
        user=service_manager,
        scope=wide(service_manager),
        table_key="referrals_by_month",
        column_key="extra",
        row_key="2026-03",
    )
    assert result.behind == 2
    assert list(result.visible) == []


def test_practitioner_drill_lists_nothing_they_are_not_allocated(referred, teammate, young_person):
    result = drill_young_people(
        user=teammate,
        scope=ReportScope(**PERIOD),
        table_key="open_with_flags_by_type",
        column_key="young_people",
        row_key=str(HarmType.objects.get(name=CCE).pk),
    )
    assert result.behind == 2
    assert list(result.visible) == []


def test_each_drill_agrees_with_the_count_it_came_from(
    referred, team_manager, young_person, other_young_person
):
    scope = ReportScope(**PERIOD)
    tables = {t.key: t for t in dashboard_tables(scope)}
    checked = 0
    for (table_key, column_key), _drill in DRILLS.items():
        table = tables[table_key]
        index = [c.key for c in table.columns].index(column_key)
        for row in table.rows:
            if not row.cells[index]:
                continue
            result = drill_young_people(
                user=team_manager,
                scope=scope,
                table_key=table_key,
                column_key=column_key,
                row_key=row.key,
            )
            # Counts of young people equal the list; counts of referrals or flags are at least as
            # many as the young people behind them.
            if column_key == "young_people":
                assert result.behind == row.cells[index], (table_key, column_key, row.key)
            else:
                assert 0 < result.behind <= row.cells[index], (table_key, column_key, row.key)
            # Team B's row in the by-team table holds only the other team's young person.
            expected = [] if row.key == str(other_young_person.team_id) else [young_person]
            assert list(result.visible) == expected, (table_key, column_key, row.key)
            checked += 1
    # referrals by month and by team (total, extra), open with flags, locations by type and
    # district, rarely recorded types (CCE was flagged twice)
    assert checked >= 7


def test_team_manager_scope_narrows_the_count_too(referred, team_manager, young_person):
    result = drill_young_people(
        user=team_manager,
        scope=wide(team_manager),
        table_key="locations_by_district",
        column_key="young_people",
        row_key="NB3",
    )
    assert result.behind == 1
    assert list(result.visible) == [young_person]


@pytest.mark.parametrize(
    "table_key,column_key,row_key",
    [
        ("referrals_by_month", "share", "2026-03"),
        ("contexts_by_kind", "open", "peer_group"),
        ("no_such_measure", "extra", "2026-03"),
        ("referrals_by_month", "extra", "March"),
        ("referrals_by_month", "extra", "2026-13"),
        ("open_with_flags_by_type", "young_people", "cce"),
        ("co_occurrence", "young_people", "3"),
    ],
)
@pytest.mark.django_db
def test_counts_without_a_drill_or_malformed_keys_are_refused(
    team_manager, table_key, column_key, row_key
):
    with pytest.raises(UnknownDrill):
        drill_young_people(
            user=team_manager,
            scope=ReportScope(**PERIOD),
            table_key=table_key,
            column_key=column_key,
            row_key=row_key,
        ).behind  # noqa: B018 - the count is what runs the query


def params(**extra):
    return {
        "start": "2026-01-01",
        "end": "2026-06-30",
        "team": None,
        "harm_type": None,
        "measure": "referrals_by_month",
        "column": "extra",
        "key": "2026-03",
        **extra,
    }


def test_export_writes_only_the_visible_young_people_and_returns_their_ids(
    referred, team_manager, young_person, other_young_person
):
    DRILL_EXPORT.validate(team_manager, params())
    # A team manager's scope is their team, so only their young person is behind the export.
    assert DRILL_EXPORT.count(team_manager, params()) == 1
    out = io.StringIO()
    progress = []
    ids = DRILL_EXPORT.write(team_manager, params(), out, progress.append)
    text = out.getvalue()
    assert ids == [young_person.pk]
    assert progress[-1] == 1
    assert young_person.last_name in text
    assert young_person.local_identifier in text
    assert other_young_person.last_name not in text
    assert text.splitlines()[1] == ("Local identifier,Last name,First name,Date of birth,Team")


def test_export_is_refused_to_practitioners_and_for_counts_without_a_list(
    practitioner, team_manager
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        DRILL_EXPORT.validate(practitioner, params())
    with pytest.raises(ApplicationError) as refused:
        DRILL_EXPORT.validate(team_manager, params(column="share"))
    assert refused.value.message == "That count has no list of young people behind it"


@pytest.mark.django_db
def test_export_params_that_make_no_scope_are_refused(team_manager):
    with pytest.raises(ApplicationError) as refused:
        DRILL_EXPORT.count(team_manager, params(start="2026-07-01"))
    assert refused.value.message == "The start of the period must be on or before its end"
    with pytest.raises(ApplicationError) as refused:
        DRILL_EXPORT.count(team_manager, params(end="soon"))
    assert refused.value.message == "The period is not a pair of valid dates"


def test_export_cells_that_look_like_formulas_are_written_as_text(
    practitioner, team_manager, young_person
):
    from cases.services import young_people as case_services

    case_services.young_person_update(
        actor=practitioner,
        young_person=young_person,
        expected_version=None,
        last_name='=HYPERLINK("http://example.org","x")',
        first_name="@SUM(1+1)",
    )
    refer(practitioner, young_person, on=date(2026, 3, 10), nature=NatureOfHarm.EXTRA_FAMILIAL)
    out = io.StringIO()
    DRILL_EXPORT.write(team_manager, params(), out, lambda _n: None)
    row = out.getvalue().splitlines()[2]
    assert "'=HYPERLINK" in row
    assert ",'@SUM(1+1)," in row


def test_co_occurrence_filtered_by_the_intra_familial_type_finds_the_pair(
    practitioner, service_manager, young_person
):
    """Filtering by domestic abuse asks what extra-familial harm comes with it."""
    refer(
        practitioner,
        young_person,
        on=date(2026, 3, 10),
        nature=NatureOfHarm.EXTRA_FAMILIAL,
        harms=[CCE, "Domestic abuse in the home"],
    )
    domestic = HarmType.objects.get(name="Domestic abuse in the home")
    for chosen in (None, domestic.pk, HarmType.objects.get(name=CCE).pk):
        scope = scope_for(
            user=service_manager, **PERIOD, harm_type_ids=(chosen,) if chosen else None
        )
        table = {t.key: t for t in dashboard_tables(scope)}["co_occurrence"]
        assert [r.cells for r in table.rows] == [(CCE, "Domestic abuse in the home", 1)], chosen
        result = drill_young_people(
            user=service_manager,
            scope=scope,
            table_key="co_occurrence",
            column_key="young_people",
            row_key=table.rows[0].key,
        )
        assert result.behind == 1
