"""Authorising and returning an assessment, which only a team manager of the team
holding the case may do."""

from __future__ import annotations

import pytest

from csafe.core.dates import long_date
from tests.cases.assessment_pages.support import url
from tests.cases.assessment_support import (
    AUTHORISE_REFUSED,
    RETURN_REFUSED,
    days_ago,
    snapshot,
    today,
)
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, page_of

pytestmark = pytest.mark.django_db

REASONING = "The direct work and what the school said support the conclusion"


def authorising(on, reason: str = REASONING) -> dict:
    return {**date_fields("authorised_on", on), "reason": reason}


class TestAuthorise:
    def test_the_team_manager_authorises(self, client_for, team_manager, young_person, awaiting):
        client = client_for(team_manager)
        path = url("assessment_authorise", young_person, awaiting.pk)

        form = client.get(path)
        response = client.post(path, authorising(days_ago(1)))

        assert form.status_code == 200
        assert response.status_code == 302
        awaiting.refresh_from_db()
        assert (awaiting.authorised_on, awaiting.authorised_by) == (days_ago(1), team_manager)
        assert awaiting.authorisation_reason == REASONING
        detail = client.get(response["Location"])
        assert banners(detail) == ["Assessment authorised"]
        assert REASONING in page_of(detail)

    def test_the_reasoning_is_needed_and_every_error_shows_at_once(
        self, client_for, team_manager, young_person, awaiting
    ):
        before = snapshot()

        response = client_for(team_manager).post(
            url("assessment_authorise", young_person, awaiting.pk),
            {
                "authorised_on_day": "",
                "authorised_on_month": "",
                "authorised_on_year": "",
                "reason": "  ",
            },
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the date the assessment was authorised",
            "Enter your reasoning for authorising the assessment",
        ]
        assert snapshot() == before

    def test_a_practitioner_is_refused_with_the_services_message(
        self, client_for, practitioner, young_person, awaiting
    ):
        client = client_for(practitioner)
        path = url("assessment_authorise", young_person, awaiting.pk)
        before = snapshot()

        opened = client.get(path)
        response = client.post(path, authorising(days_ago(1)))

        for refused in (opened, response):
            assert refused.status_code == 403
            assert error_summary(refused) == [AUTHORISE_REFUSED]
            assert "<form" not in page_of(refused).split("</header>", 1)[1].split("<footer", 1)[0]
        assert snapshot() == before

    def test_authorised_before_completed_is_refused_and_nothing_saved(
        self, client_for, team_manager, young_person, awaiting
    ):
        before = snapshot()

        response = client_for(team_manager).post(
            url("assessment_authorise", young_person, awaiting.pk),
            authorising(days_ago(6)),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "The date authorised must be the same as or after the date completed "
            f"({long_date(days_ago(5))})"
        ]
        assert snapshot() == before

    def test_an_assessment_in_progress_cannot_be_authorised(
        self, client_for, team_manager, young_person, in_progress
    ):
        client = client_for(team_manager)
        path = url("assessment_authorise", young_person, in_progress.pk)
        before = snapshot()

        opened = client.get(path)
        assert opened.status_code == 302
        assert banners(client.get(opened["Location"])) == [
            "The assessment must be completed before it can be authorised"
        ]

        response = client.post(path, authorising(today()))
        assert response.status_code == 400
        assert error_summary(response) == [
            "The assessment must be completed before it can be authorised"
        ]
        assert snapshot() == before


class TestReturn:
    def test_the_team_manager_returns_it(self, client_for, team_manager, young_person, awaiting):
        response = client_for(team_manager).post(
            url("assessment_return", young_person, awaiting.pk),
            {"reason": "Speak to the school first"},
        )

        assert response.status_code == 302
        awaiting.refresh_from_db()
        assert awaiting.status == "in_progress"
        assert (awaiting.returned_on, awaiting.returned_by) == (today(), team_manager)
        detail = page_of(client_for(team_manager).get(response["Location"]))
        assert "by Mona Tester: Speak to the school first" in " ".join(detail.split())

    def test_a_reason_is_needed(self, client_for, team_manager, young_person, awaiting):
        before = snapshot()

        response = client_for(team_manager).post(
            url("assessment_return", young_person, awaiting.pk), {"reason": ""}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Say what more is needed"]
        assert snapshot() == before

    def test_a_practitioner_is_refused(self, client_for, practitioner, young_person, awaiting):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_return", young_person, awaiting.pk), {"reason": "Please"}
        )

        assert response.status_code == 403
        assert error_summary(response) == [RETURN_REFUSED]
        assert snapshot() == before
