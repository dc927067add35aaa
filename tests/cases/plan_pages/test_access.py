"""Who may open each plan page: those who may change the record see every page; others
get 404 (so a record's existence does not leak) and save nothing; the anonymous are
sent to sign in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cases.helpers import detail_url, sign_in_redirect
from tests.cases.plan_pages.support import ALLOWED, FORBIDDEN, url
from tests.cases.plan_support import ONLINE, authorised_assessment, today, written
from tests.html_forms import date_fields
from tests.html_pages import text_of

pytestmark = pytest.mark.django_db


def page_urls(young_person, setup) -> dict[str, str]:
    plan, action, factors = setup["plan"], setup["action"], setup["factors"]
    return {
        "plan_list": url("plan_list", young_person),
        "plan_new": url("plan_new", young_person),
        "plan_detail": url("plan_detail", young_person, plan),
        "plan_edit": url("plan_edit", young_person, plan),
        "plan_action_add": url("plan_action_add", young_person, plan),
        "plan_action_progress": url("plan_action_progress", young_person, plan, action),
        "plan_factor_gap": url("plan_factor_gap", young_person, plan, factors[1]),
        "plan_finalise": url("plan_finalise", young_person, plan),
        "plan_submit": url("plan_submit", young_person, plan),
        "plan_review": url("plan_review", young_person, plan),
        "plan_end": url("plan_end", young_person, plan),
    }


# Valid input for each page that takes a POST, so that a refusal is the permission's doing.
def posts(setup) -> dict[str, dict]:
    return {
        "plan_new": {"kind": "early_help"}
        | date_fields("start_date", today())
        | date_fields("review_date", today() + timedelta(days=30)),
        "plan_edit": {"summary": "Changed", "version": "2"}
        | date_fields("start_date", today() - timedelta(days=20))
        | date_fields("review_date", today() + timedelta(days=30)),
        "plan_action_add": {
            "action_type": "ordinary",
            "description": "Weekly visit",
            "owner": "Social worker",
        },
        "plan_action_progress": {"progress": "in_progress"},
        "plan_factor_gap": {"reason": "The school leads on this"},
        "plan_finalise": {},
        "plan_submit": {},
        "plan_review": {"summary": "Going well"}
        | date_fields("reviewed_on", today())
        | date_fields("next_review_date", today() + timedelta(days=60)),
        "plan_end": {"reason": "Closed"} | date_fields("ended_on", today()),
    }


PAGES = [
    "plan_list",
    "plan_new",
    "plan_detail",
    "plan_edit",
    "plan_action_add",
    "plan_action_progress",
    "plan_factor_gap",
    "plan_finalise",
    "plan_submit",
    "plan_review",
    "plan_end",
]
POST_PAGES = [name for name in PAGES if name not in {"plan_list", "plan_detail"}]


class TestAccess:
    @pytest.mark.parametrize("who", ALLOWED)
    @pytest.mark.parametrize("name", PAGES)
    def test_those_who_may_change_the_record_see_every_page(
        self, request, client_for, young_person, setup, who, name
    ):
        response = client_for(request.getfixturevalue(who)).get(
            page_urls(young_person, setup)[name]
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert young_person.local_identifier in html.split("<title>")[1].split("</title>")[0]
        # The child's name is in the page header, never in the title.
        assert "Zephyrine" not in html.split("<title>")[1].split("</title>")[0]

    @pytest.mark.parametrize("who", FORBIDDEN)
    @pytest.mark.parametrize("name", PAGES)
    def test_others_get_404_and_save_nothing(
        self, request, client_for, young_person, setup, who, name
    ):
        client = client_for(request.getfixturevalue(who))
        target = page_urls(young_person, setup)[name]
        before = written()

        assert client.get(target).status_code == 404
        if name in POST_PAGES:
            assert client.post(target, posts(setup)[name]).status_code == 404
        assert written() == before

    @pytest.mark.parametrize("name", PAGES)
    def test_anonymous_is_sent_to_sign_in(self, client, young_person, setup, name):
        target = page_urls(young_person, setup)[name]
        before = written()

        responses = [client.get(target)]
        if name in POST_PAGES:
            responses.append(client.post(target, posts(setup)[name]))

        for response in responses:
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(target)
        assert written() == before

    def test_a_plan_of_another_young_person_is_404(
        self, client_for, other_team_practitioner, other_young_person, young_person, setup
    ):
        # The outsider may see their own young person, but not reach this plan through them.
        client = client_for(other_team_practitioner)
        plan, action = setup["plan"], setup["action"]
        for target in (
            url("plan_detail", other_young_person, plan),
            url("plan_edit", other_young_person, plan),
            url("plan_action_progress", other_young_person, plan, action),
        ):
            assert client.get(target).status_code == 404

    def test_a_factor_of_another_assessment_is_404(
        self, client_for, practitioner, team_manager, young_person, setup
    ):
        _, later = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])

        response = client_for(practitioner).get(
            url("plan_factor_gap", young_person, setup["plan"], later[0])
        )

        assert response.status_code == 404

    def test_the_record_page_shows_plans_and_relocations(
        self, client_for, practitioner, teammate, young_person, setup
    ):
        html = client_for(practitioner).get(detail_url(young_person)).content.decode()

        section = html.split('data-testid="plans"', 1)[1].split("</section>", 1)[0]
        assert "Child in need plan" in text_of(section)
        assert f'href="{url("plan_detail", young_person, setup["plan"])}"' in section
        assert f'href="{url("plan_new", young_person)}"' in section
        relocations = html.split('data-testid="relocations"', 1)[1].split("</section>", 1)[0]
        assert "No relocations recorded." in relocations
        assert f'href="{url("relocation_new", young_person)}"' in relocations
