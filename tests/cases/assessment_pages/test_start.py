"""Starting an assessment: what is saved and shown, refused dates with nothing saved,
and the referrals offered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.models import Assessment
from tests.cases.assessment_pages.support import url
from tests.cases.assessment_support import days_ago, snapshot, today
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, field_errors

pytestmark = pytest.mark.django_db


class TestStart:
    def test_a_valid_start_is_saved_and_shown(self, client_for, practitioner, young_person):
        client = client_for(practitioner)

        response = client.post(
            url("assessment_new", young_person),
            {
                **date_fields("started_on", days_ago(3)),
                "referral": "",
                "peers": "Older peers at the rec",
                "school": "",
                "neighbourhood": "The underpass",
                "online": "",
                "capacity_undermining": "Mum works nights",
                "capacity_boosting": "An aunt nearby",
            },
        )

        assessment = Assessment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("assessment_detail", young_person, assessment.pk)
        assert (assessment.started_on, assessment.peers, assessment.capacity_boosting) == (
            days_ago(3),
            "Older peers at the rec",
            "An aunt nearby",
        )
        shown = client.get(response["Location"])
        assert banners(shown) == ["Assessment started"]

    def test_missing_and_impossible_dates_are_shown_and_nothing_saved(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)
        before = snapshot()

        empty = client.post(url("assessment_new", young_person), {})
        impossible = client.post(
            url("assessment_new", young_person),
            {"started_on_day": "31", "started_on_month": "2", "started_on_year": "2025"},
        )
        future = client.post(
            url("assessment_new", young_person), date_fields("started_on", today() + timedelta(1))
        )

        assert [r.status_code for r in (empty, impossible, future)] == [400, 400, 400]
        assert error_summary(empty) == ["Enter the date the assessment started"]
        assert error_summary(impossible) == ["Date started must be a real date"]
        assert error_summary(future) == ["The date started must be today or in the past"]
        assert field_errors(future) == {
            "id_started_on": "The date started must be today or in the past"
        }
        assert snapshot() == before

    def test_only_this_young_persons_referrals_are_offered(
        self, client_for, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        from cases import services as case_services

        theirs = case_services.referral_record(
            actor=other_team_practitioner,
            young_person=other_young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen at the station",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_new", young_person),
            {**date_fields("started_on", days_ago(3)), "referral": str(theirs.pk)},
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Choose one of this young person's referrals"]
        assert snapshot() == before
