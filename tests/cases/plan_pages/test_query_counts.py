"""The query counts of the plan page and the plan list, pinned with one row and with
many."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.services import plans as plan_services
from tests.cases.plan_pages.support import url
from tests.cases.plan_support import (
    PEERS,
    authorised_assessment,
    contextual_action,
    draft_plan,
    put_in_force,
    today,
)
from tests.query_counts import count_second_request

pytestmark = pytest.mark.django_db


class TestPlanPageQueryCount:
    """The plan page costs the same with one action and factor as with many.

    1 session; 2 user; 3 the young person with team, if the user may view it (guardian
    subqueries inside); 4 INSERT of the access log row; 5 the plan with its assessment,
    finaliser and drafter joined; 6 its actions with the factor each answers; 7 its reviews
    with reviewer; 8 the current contextual factors of its assessment; 9 its current "not
    addressed" records with recorder; 10-11 the user's user- and group-object permissions on
    the record (may they change it?); 12 the young person's latest authorised assessment (is
    it newer than the plan's?); 13 whether the plan's kind needs sign-off; 14 the configured
    word for a peer group (the factors' context labels); 15 unread notifications for the page
    shell; 16-18 savepoint, session update, release (see
    test_query_counts.py).
    """

    EXPECTED = 18

    def test_one_action_and_one_factor(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        _, factors = authorised_assessment(practitioner, team_manager, young_person, [PEERS])
        plan = draft_plan(practitioner, young_person)
        contextual_action(practitioner, plan, factors[0])

        response = count_second_request(
            client_for(practitioner),
            url("plan_detail", young_person, plan),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["actions"]) == 1
        assert len(response.context["factor_status"]) == 1

    def test_many_actions_factors_gaps_and_reviews(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        many = [
            (kind, f"Factor number {n}")
            for n, kind in enumerate(["peer_group"] * 4 + ["school"] * 4)
        ]
        _, factors = authorised_assessment(practitioner, team_manager, young_person, many)
        plan = draft_plan(practitioner, young_person)
        for factor in factors[:5]:
            contextual_action(practitioner, plan, factor)
            contextual_action(practitioner, plan, factor, due_date=today() - timedelta(days=1))
        for factor in factors[5:]:
            plan_services.plan_factor_not_addressed(
                actor=practitioner, plan=plan, factor=factor, reason="Another agency leads"
            )
        plan_services.plan_action_add(
            actor=practitioner, plan=plan, description="Home visit", owner="Social worker"
        )
        put_in_force(practitioner, plan)
        for days in (3, 2, 1):
            plan_services.plan_review(
                actor=team_manager,
                plan=plan,
                reviewed_on=today() - timedelta(days=days),
                next_review_date=today() + timedelta(days=30),
                summary="On track",
            )

        response = count_second_request(
            client_for(team_manager),
            url("plan_detail", young_person, plan),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["actions"]) == 11
        assert len(response.context["factor_status"]) == 8
        assert len(response.context["not_addressed"]) == 3
        assert len(response.context["reviews"]) == 3
        assert response.content.decode().count('data-testid="overdue"') == 5


class TestPlanListQueryCount:
    """The plans page costs the same with one plan as with many.

    1 session; 2 user; 3 the young person with team (guardian subqueries inside); 4 INSERT
    of the access log row; 5 the plans with assessment, finaliser and drafter joined; 6 their
    actions with the factor each answers; 7 their reviews with reviewer; 8 the current
    contextual factors of their assessments; 9 their current "not addressed" records with
    recorder; 10-11 the user's user- and group-object permissions on the record (may they add
    a plan?); 12 unread notifications for the page shell; 13-15 savepoint, session update,
    release (see test_query_counts.py).
    """

    EXPECTED = 15

    def test_one_plan(
        self, client_for, practitioner, young_person, setup, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner),
            url("plan_list", young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["rows"]) == 1

    def test_many_plans(
        self, client_for, practitioner, team_manager, young_person, setup, django_assert_num_queries
    ):
        for kind in ("cp", "looked_after", "early_help"):
            plan = draft_plan(practitioner, young_person, kind=kind)
            for factor in setup["factors"]:
                contextual_action(practitioner, plan, factor)
            contextual_action(practitioner, plan, due_date=today() - timedelta(days=1))
            put_in_force(practitioner, plan)
            plan_services.plan_review(
                actor=team_manager,
                plan=plan,
                reviewed_on=today(),
                next_review_date=today() + timedelta(days=30),
                summary="On track",
            )
            plan_services.plan_end(
                actor=team_manager, plan=plan, ended_on=today(), reason="Stepped down"
            )
            draft_plan(practitioner, young_person, kind=kind)

        response = count_second_request(
            client_for(team_manager),
            url("plan_list", young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["rows"]) == 7
        assert sum(row["overdue_actions"] for row in response.context["rows"]) == 3
