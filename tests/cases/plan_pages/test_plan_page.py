"""The plan page: what reviewers see of the factors a plan leaves open, overdue actions,
and the offer to answer the latest authorised assessment."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cases.models import Plan
from cases.services import plans as plan_services
from csafe.audit.models import Event
from csafe.core.dates import long_date, short_date
from tests.cases.helpers import sign_in_redirect
from tests.cases.plan_pages.support import ALLOWED, FORBIDDEN, url
from tests.cases.plan_support import (
    ONLINE,
    PEERS,
    SCHOOL,
    authorised_assessment,
    contextual_action,
    draft_plan,
    today,
    written,
)
from tests.html_pages import banners, error_summary, text_of

pytestmark = pytest.mark.django_db


def factor_rows(html: str) -> list[str]:
    """Each row of the plan page's factor table, as text."""
    return [text_of(row) for row in re.findall(r'data-testid="factor-row">(.*?)</tr>', html, re.S)]


def action_rows(html: str) -> list[str]:
    return [text_of(row) for row in re.findall(r'data-testid="action-row">(.*?)</tr>', html, re.S)]


class TestPlanPage:
    def test_reviewers_see_open_and_not_addressed_factors(
        self, client_for, practitioner, team_manager, young_person
    ):
        _, factors = authorised_assessment(
            practitioner, team_manager, young_person, [PEERS, SCHOOL, ONLINE]
        )
        plan = draft_plan(practitioner, young_person)
        contextual_action(practitioner, plan, factors[0])
        plan_services.plan_factor_not_addressed(
            actor=practitioner,
            plan=plan,
            factor=factors[2],
            reason="Police online team already working with the platform",
        )

        response = client_for(team_manager).get(url("plan_detail", young_person, plan))

        html = response.content.decode()
        assert text_of(html.split('data-testid="open-count">')[1].split("</p>")[0]) == (
            "1 of 3 extra-familial factors is open."
        )
        # Planned for: an action names it, not started yet; done only once one of them is.
        assert text_of(html.split('data-testid="planned-done-count">')[1].split("</p>")[0]) == (
            "1 of 3 planned for with an action; 0 done."
        )
        rows = factor_rows(html)
        assert rows[0].startswith(f"Group {PEERS[1]} Planned for Detached youth work")
        assert rows[1].startswith(f"School or education setting {SCHOOL[1]} Open")
        assert rows[2].startswith(
            f"Online space {ONLINE[1]} Not addressed Reason: Police online team already "
            "working with the platform Recorded by Pat Tester"
        )
        assert '<strong class="govuk-tag govuk-tag--red">Open</strong>' in html
        # The open factor offers both ways to close it.
        assert f'href="{url("plan_action_add", young_person, plan)}?factor={factors[1].pk}"' in html
        assert f'href="{url("plan_factor_gap", young_person, plan, factors[1])}"' in html

    def test_overdue_actions_are_tagged(self, client_for, practitioner, young_person, setup):
        plan = setup["plan"]
        contextual_action(
            practitioner,
            plan,
            description="Meet the Ferrisby Road safer schools officer",
            due_date=today() - timedelta(days=2),
        )

        html = client_for(practitioner).get(url("plan_detail", young_person, plan)).content.decode()

        rows = action_rows(html)
        assert len(rows) == 2
        assert "Meet the Ferrisby Road safer schools officer" in rows[0]
        assert "Overdue" in rows[0]
        assert "Overdue" not in rows[1]
        assert html.count('data-testid="overdue"') == 1

    def test_an_ended_plan_offers_no_changes(self, client_for, practitioner, young_person, setup):
        plan = setup["plan"]
        plan_services.plan_end(actor=practitioner, plan=plan, ended_on=today(), reason="Closed")

        html = client_for(practitioner).get(url("plan_detail", young_person, plan)).content.decode()

        assert url("plan_edit", young_person, plan) not in html
        assert url("plan_action_add", young_person, plan) not in html
        assert "Ended</dt>" in html

    def test_the_plans_list(self, client_for, practitioner, young_person, setup):
        response = client_for(practitioner).get(url("plan_list", young_person))

        rows = re.findall(r'data-testid="plan-row">(.*?)</tr>', response.content.decode(), re.S)
        assert [text_of(row) for row in rows] == [
            f"Child in need plan Draft {short_date(setup['plan'].start_date)} "
            f"{short_date(setup['plan'].review_date)} 1 open None"
        ]


class TestAnswerLatestAssessment:
    """An assessment authorised after the plan was made: the plan page says so and offers the
    button (a POST to the plan page) that makes the plan answer it."""

    BUTTON = "Answer the latest assessment"

    @pytest.fixture
    def newer(self, practitioner, team_manager, young_person, setup):
        assessment, factors = authorised_assessment(
            practitioner, team_manager, young_person, [ONLINE]
        )
        return assessment, factors

    def warning(self, html: str) -> str | None:
        if 'data-testid="newer-assessment"' not in html:
            return None
        return text_of(html.split('data-testid="newer-assessment">', 1)[1].split("</div>")[0])

    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_plan_page_says_so_and_offers_the_button(
        self, request, client_for, young_person, setup, newer, who
    ):
        assessment, _ = newer

        html = (
            client_for(request.getfixturevalue(who))
            .get(url("plan_detail", young_person, setup["plan"]))
            .content.decode()
        )

        assert self.warning(html) == (
            f"! Warning An assessment was authorised on {long_date(assessment.authorised_on)}, "
            "after this plan was made. The plan cannot be finalised or reviewed until it "
            "answers that assessment's contextual factors."
        )
        form = html.split('data-testid="answer-latest-assessment"', 1)[1].split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form
        assert text_of(form.split("<button", 1)[1].split(">", 1)[1]) == self.BUTTON

    def test_nothing_is_said_when_the_plan_answers_the_latest(
        self, client_for, practitioner, young_person, setup
    ):
        html = (
            client_for(practitioner)
            .get(url("plan_detail", young_person, setup["plan"]))
            .content.decode()
        )

        assert self.warning(html) is None
        assert self.BUTTON not in html

    def test_an_ended_plan_is_not_asked_to(
        self, client_for, practitioner, young_person, setup, newer
    ):
        plan = setup["plan"]
        plan_services.plan_end(actor=practitioner, plan=plan, ended_on=today(), reason="Closed")

        html = client_for(practitioner).get(url("plan_detail", young_person, plan)).content.decode()

        assert self.warning(html) is None
        assert self.BUTTON not in html

    def test_the_button_makes_the_plan_answer_it(
        self, client_for, practitioner, young_person, setup, newer
    ):
        plan = setup["plan"]
        assessment, factors = newer
        client = client_for(practitioner)

        response = client.post(url("plan_detail", young_person, plan), {})

        assert response.status_code == 302
        assert response["Location"] == url("plan_detail", young_person, plan)
        shown = client.get(response["Location"])
        assert banners(shown) == [
            "The plan now answers the assessment authorised on "
            f"{long_date(assessment.authorised_on)}: answer each of its contextual factors"
        ]
        assert Plan.objects.get().assessment == assessment
        [row] = factor_rows(shown.content.decode())
        assert row.startswith(f"Online space {factors[0].description} Open Answer with an action")
        assert self.warning(shown.content.decode()) is None

    def test_refused_when_it_already_answers_the_latest(
        self, client_for, practitioner, young_person, setup
    ):
        client = client_for(practitioner)
        before = written()

        response = client.post(url("plan_detail", young_person, setup["plan"]), {})

        assert response.status_code == 302
        assert banners(client.get(response["Location"])) == [
            "This plan already answers the latest authorised assessment"
        ]
        assert written() == before

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_change_nothing(
        self, request, client_for, young_person, setup, newer, who
    ):
        before = written()

        response = client_for(request.getfixturevalue(who)).post(
            url("plan_detail", young_person, setup["plan"]), {}
        )

        assert response.status_code == 404
        assert written() == before
        assert Plan.objects.get().assessment == setup["assessment"]

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, setup, newer):
        target = url("plan_detail", young_person, setup["plan"])

        response = client.post(target, {})

        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(target))
        assert Plan.objects.get().assessment == setup["assessment"]

    def test_submitting_says_what_to_do(self, client_for, practitioner, young_person, setup, newer):
        plan, school = setup["plan"], setup["factors"][1]
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        assessment, _ = newer
        before = written()

        response = client_for(practitioner).post(url("plan_submit", young_person, plan), {})

        assert response.status_code == 400
        assert error_summary(response) == [
            "The plan cannot be submitted for sign-off until it answers the latest assessment, "
            "authorised "
            f'on {long_date(assessment.authorised_on)}. Choose "Answer the latest assessment" '
            "on the plan, then answer each of that assessment's contextual factors."
        ]
        assert written() == before
        assert not Event.objects.filter(kind="plan.submitted").exists()
