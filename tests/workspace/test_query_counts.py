"""Pinned query counts for the worktray page and the header's count: the same with one row of
each kind of work as with many.

The worktray page, for a team manager (verified two-factor session), 20:
  1-2   the session and the user
  3     the team's workers, for the filter
  4-13  one query per kind of work (ten kinds)
  14    the workers allocated to the young people shown
  15    the list access-log rows, in one INSERT
  16    the shell's counts: unread notifications and the worktray's rows, in one query
  17    the user's team, for the page's introduction
  18-20 SAVEPOINT, UPDATE of the session, RELEASE SAVEPOINT (tests/cases/test_query_counts.py)
A practitioner's, 14: no filter, seven kinds of work, no access-log rows (their own young
people) and no team.

The home page, 8, as before the count was added: the session, the user, the home summary, the
shell's counts (the worktray's count rides in the query that already counted unread
notifications), the user's team, and the three of the session's save.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.query_counts import count_second_request
from tests.workspace import worktray_support as support

pytestmark = pytest.mark.django_db

WORKTRAY = reverse("workspace:worktray")
HOME = reverse("workspace:home")


def work_of_every_kind(manager, worker, young_person, *, area: str):
    """A row of every kind but one: an assessment awaiting authorisation and one returned, a
    young person with no worker, an overdue flag review, plan review and plan action, an
    overdue context action, a plan awaiting sign-off and one returned. (A context plan's review
    date cannot be set in the past, so none is overdue today; its query runs all the same.)"""
    support.completed_assessment(worker, young_person)
    other = support.allocated_young_person(manager, worker)
    support.return_for_more_work(manager, support.completed_assessment(worker, other))
    support.unallocated_young_person(manager)
    support.flag(worker, young_person, review_days=-1)
    plan = support.plan_in_force(worker, young_person, review_days=-1)
    support.action(worker, plan, due_days=-2)
    context = support.context(worker, area=area)
    support.context_action(worker, context, due_days=-1)
    support.submitted_plan(worker, young_person, kind="cin")
    support.return_plan(manager, support.submitted_plan(worker, other, kind="early_help"))


@pytest.fixture
def one_of_each(team_manager, practitioner, young_person):
    work_of_every_kind(team_manager, practitioner, young_person, area="Eastfield")


@pytest.fixture
def many_of_each(team_manager, practitioner, teammate, young_person):
    work_of_every_kind(team_manager, practitioner, young_person, area="Eastfield")
    for number, worker in enumerate((practitioner, teammate, teammate)):
        person = support.allocated_young_person(team_manager, worker)
        work_of_every_kind(team_manager, worker, person, area=f"Area {number}")


def rows_shown(response) -> int:
    return response.context["tray"].total


@pytest.mark.parametrize("work", ["one_of_each", "many_of_each"])
def test_the_managers_worktray_costs_the_same_for_one_row_as_for_many(
    client_for, team_manager, request, django_assert_num_queries, work
):
    request.getfixturevalue(work)
    response = count_second_request(
        client_for(team_manager), WORKTRAY, django_assert_num_queries, 20
    )
    assert rows_shown(response) == (9 if work == "one_of_each" else 36)


@pytest.mark.parametrize("work", ["one_of_each", "many_of_each"])
def test_the_practitioners_worktray_costs_the_same_for_one_row_as_for_many(
    client_for, practitioner, request, django_assert_num_queries, work
):
    request.getfixturevalue(work)
    response = count_second_request(
        client_for(practitioner), WORKTRAY, django_assert_num_queries, 14
    )
    assert rows_shown(response) == (6 if work == "one_of_each" else 12)


@pytest.mark.parametrize("work", [None, "one_of_each", "many_of_each"])
def test_the_header_count_costs_no_query_of_its_own(
    client_for, team_manager, request, django_assert_num_queries, work
):
    """The home page, as it cost before the count was added: the count rides in the query that
    already counted unread notifications."""
    if work:
        request.getfixturevalue(work)
    response = count_second_request(client_for(team_manager), HOME, django_assert_num_queries, 8)
    expected = {None: 0, "one_of_each": 9, "many_of_each": 36}[work]
    assert response.context["work_count"] == expected


def test_the_header_count_is_the_number_of_rows(client_for, team_manager, many_of_each):
    client = client_for(team_manager)
    assert client.get(HOME).context["work_count"] == rows_shown(client.get(WORKTRAY))
