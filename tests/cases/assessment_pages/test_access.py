"""Who may open each assessment page: those who may change the record open every one,
those without access to it are answered 404 for every page and every post, the
anonymous are sent to sign in; and the assessments on the record page and the list."""

from __future__ import annotations

import re

import pytest

from cases.services import assessments as services
from csafe.core.dates import long_date, short_date
from tests.cases.assessment_pages.support import url
from tests.cases.assessment_support import days_ago, snapshot, start
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.html_pages import page_of, section, table_rows, text_of

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]


def every_page(young_person, assessment, factor) -> dict[str, str]:
    return {
        "assessment_list": url("assessment_list", young_person),
        "assessment_detail": url("assessment_detail", young_person, assessment.pk),
        "assessment_new": url("assessment_new", young_person),
        "assessment_edit": url("assessment_edit", young_person, assessment.pk),
        "assessment_factor_add": url("assessment_factor_add", young_person, assessment.pk),
        "assessment_factor_withdraw": url(
            "assessment_factor_withdraw", young_person, assessment.pk, factor.pk
        ),
        "assessment_map_add": url("assessment_map_add", young_person, assessment.pk),
        "assessment_complete": url("assessment_complete", young_person, assessment.pk),
        "assessment_authorise": url("assessment_authorise", young_person, assessment.pk),
        "assessment_return": url("assessment_return", young_person, assessment.pk),
    }


READ_ONLY_PAGES = {"assessment_list", "assessment_detail"}  # a POST is 405
IN_PROGRESS_PAGES = [
    "assessment_list",
    "assessment_detail",
    "assessment_new",
    "assessment_edit",
    "assessment_factor_add",
    "assessment_factor_withdraw",
    "assessment_map_add",
    "assessment_complete",
]


class TestAccess:
    @pytest.mark.parametrize("who", ALLOWED)
    @pytest.mark.parametrize("name", IN_PROGRESS_PAGES)
    def test_those_who_may_change_the_record_open_every_page(
        self, request, client_for, young_person, in_progress, who, name
    ):
        factor = in_progress.contextual_factors.get()
        response = client_for(request.getfixturevalue(who)).get(
            every_page(young_person, in_progress, factor)[name]
        )

        assert response.status_code == 200
        assert response.context["active_section"] == "caseload"
        # The child's name is not in the page title; the local identifier is.
        title = re.search(r"<title>(.*?)</title>", page_of(response), re.S).group(1)
        assert young_person.local_identifier in title
        assert young_person.first_name not in title

    @pytest.mark.parametrize("who", NO_ACCESS)
    def test_no_access_is_404_for_every_page_and_every_post(
        self, request, client_for, young_person, awaiting, who
    ):
        client = client_for(request.getfixturevalue(who))
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        for name, path in every_page(young_person, awaiting, factor).items():
            assert client.get(path).status_code == 404, name
            if name not in READ_ONLY_PAGES:
                assert client.post(path, {"reason": "x"}).status_code == 404, name

        assert snapshot() == before

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, awaiting):
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        for path in every_page(young_person, awaiting, factor).values():
            for response in (client.get(path), client.post(path, {"reason": "x"})):
                assert response.status_code == 302
                assert response["Location"] == sign_in_redirect(path)

        assert snapshot() == before

    def test_another_young_persons_assessment_is_404(
        self, client_for, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        theirs = start(other_team_practitioner, other_young_person)

        response = client_for(practitioner).get(url("assessment_detail", young_person, theirs.pk))

        assert response.status_code == 404


class TestSectionAndList:
    def test_the_record_page_lists_assessments_with_links(
        self, client_for, practitioner, young_person, awaiting
    ):
        second = start(practitioner, young_person, started_on=days_ago(2))

        html = page_of(client_for(practitioner).get(detail_url(young_person)))

        body = section(html, "assessments", "</section>")
        assert "Assessments" in text_of(body)
        rows = [
            text_of(r)
            for r in re.findall(r'data-testid="assessment-summary">(.*?)</dd>', html, re.S)
        ]
        assert rows == [
            f"Started {long_date(days_ago(2))} In progress",
            # The colon after the status tag is for screen readers only (a span of its own).
            f"Started {long_date(days_ago(20))} Awaiting authorisation : Extra-familial; "
            "child in need plan 1 contextual factor",
        ]
        assert url("assessment_detail", young_person, second.pk) in html
        assert url("assessment_list", young_person) in html
        assert url("assessment_new", young_person) in html

    def test_the_list_shows_every_assessment_newest_first(
        self, client_for, team_manager, practitioner, young_person, awaiting
    ):
        services.assessment_authorise(
            actor=team_manager,
            assessment=awaiting,
            authorised_on=days_ago(1),
            reason="The evidence supports the conclusion and the decision",
        )
        start(practitioner, young_person, started_on=days_ago(1))

        html = page_of(client_for(team_manager).get(url("assessment_list", young_person)))

        assert table_rows(html, "assessment-list") == [
            [
                short_date(days_ago(1)),
                "In progress",
                "–",
                "–",
                "–",
                "–",
                "0",
            ],
            [
                short_date(days_ago(20)),
                "Authorised",
                short_date(days_ago(5)),
                f"{short_date(days_ago(1))} by Mona Tester",
                "Extra-familial",
                "Child in need plan",
                "1",
            ],
        ]
