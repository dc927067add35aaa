"""Pinned query counts for the dashboard: every measure is a fixed number of aggregate queries,
whatever the size of the data and whatever the scope, on SQLite and PostgreSQL alike.

``dashboard_tables`` issues 24 queries, one per measure part and one for the words:
   1  the administrator's word for a peer group (contexts' configuration), read once for the
      five measures that name kinds of context
   1  referrals_by_month: referrals grouped by month
   1  referrals_by_team: referrals grouped by team
   2  open_with_flags_by_type: young people by harm type; young people in all
   3  co_occurrence: pairs of types; young people with both; young people with an
      extra-familial flag
   1  assessments_by_month: assessments grouped by month
   1  contextual_factors_addressed: factors grouped by context
   3  relocations: moves grouped by kind; young people relocated; young people with a flag
   1  locations_by_type
   1  locations_by_district
   3  contexts_by_kind: contexts grouped by kind; young people linked, by kind and in all
   1  contexts_time_open
   1  context_plan_progress
   2  outstanding_contextual_actions: young people's plans; contexts' plans
   1  flags_never_a_concern
   1  harm_types_rarely_recorded
The harm-type scope's list of types (scoping.with_descendants) is worked out once, when the
scope is made, not by the measures.
"""

from __future__ import annotations

import pytest

from cases.models import ContextualFactor, LocationOfHarm, Referral, YoungPerson
from contexts.models import Context, ContextPlanAction
from harms.models import HarmFlag
from reporting.dashboards.selectors import dashboard_tables
from reporting.scope import scope_for, with_descendants
from tests.reporting.dataset import END, START, Clock, build_bulk, build_dataset

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = 24
BULK = 40  # young people added to the eight of the small dataset: five times as many


@pytest.fixture
def small(monkeypatch, team_manager, other_team_manager, administrator):
    return build_dataset(
        clock=Clock(monkeypatch),
        manager_a=team_manager,
        manager_b=other_team_manager,
        administrator=administrator,
    )


def scopes(service_manager, team_manager, data):
    exploitation = with_descendants(data.type_id("EXPLOITATION"))
    return {
        "service": scope_for(user=service_manager, start=START, end=END),
        "team": scope_for(user=team_manager, start=START, end=END),
        "harm type": scope_for(
            user=service_manager, start=START, end=END, harm_type_ids=exploitation
        ),
    }


def assert_pinned(django_assert_num_queries, all_scopes) -> dict:
    """The pinned count for each scope; returns each scope's tables by key."""
    result = {}
    for name, scope in all_scopes.items():
        with django_assert_num_queries(DASHBOARD_QUERIES, info=name):
            tables = dashboard_tables(scope)
        assert all(table.rows for table in tables), name
        result[name] = {table.key: table for table in tables}
    return result


def test_the_small_dataset(small, service_manager, team_manager, django_assert_num_queries):
    assert_pinned(django_assert_num_queries, scopes(service_manager, team_manager, small))


def test_five_times_as_much(
    small, service_manager, team_manager, other_team_manager, django_assert_num_queries
):
    before = {
        model: model.objects.count()
        for model in (YoungPerson, Referral, LocationOfHarm, HarmFlag, ContextualFactor, Context)
    }
    build_bulk(manager_a=team_manager, manager_b=other_team_manager, count=BULK)
    # The bulk rows are there, and fall in the period and in every scope.
    assert YoungPerson.objects.count() == before[YoungPerson] + BULK
    assert Referral.objects.count() == before[Referral] + BULK
    assert LocationOfHarm.objects.count() == before[LocationOfHarm] + 2 * BULK
    assert HarmFlag.objects.count() == before[HarmFlag] + 3 * BULK
    assert ContextualFactor.objects.count() == before[ContextualFactor] + 2 * BULK
    assert Context.objects.count() == before[Context] + BULK
    assert ContextPlanAction.objects.filter(created_by=team_manager).count() > BULK
    tables = assert_pinned(django_assert_num_queries, scopes(service_manager, team_manager, small))
    # The measures read the new rows: 9 referrals in the small dataset, 40 more now.
    assert tables["service"]["referrals_by_month"].totals.cells[1] == 9 + BULK
    assert tables["team"]["referrals_by_month"].totals.cells[1] == 5 + BULK // 2
