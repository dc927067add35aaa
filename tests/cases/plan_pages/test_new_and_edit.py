"""Drafting a plan and changing it: what is saved, the version check, and each rule's
message in the GOV.UK error summary with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.models import Plan
from cases.services import plans as plan_services
from csafe.core.dates import long_date
from tests.cases.plan_pages.support import url
from tests.cases.plan_support import authorised_assessment, today, written
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db


class TestNewPlan:
    def test_the_form_says_which_assessment_the_plan_answers(
        self, client_for, practitioner, team_manager, young_person
    ):
        assessment, _ = authorised_assessment(practitioner, team_manager, young_person)

        response = client_for(practitioner).get(url("plan_new", young_person))

        assert text_of(
            response.content.decode().split('data-testid="plan-assessment">')[1].split("</p>")[0]
        ) == (
            f"The plan will answer the assessment authorised on "
            f"{long_date(assessment.authorised_on)}, which identified 2 contextual factors. "
            "Before the plan can be finalised, each must be answered by an action or marked as "
            "not addressed."
        )

    def test_a_valid_plan_is_drafted(self, client_for, practitioner, young_person):
        client = client_for(practitioner)
        data = {"kind": "cp", "summary": "Safety at the Larkspur estate"}
        data |= date_fields("start_date", date(2026, 3, 4))
        data |= date_fields("review_date", date(2026, 4, 4))

        response = client.post(url("plan_new", young_person), data)

        plan = Plan.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("plan_detail", young_person, plan)
        assert (plan.kind, plan.start_date, plan.review_date, plan.summary, plan.status) == (
            "cp",
            date(2026, 3, 4),
            date(2026, 4, 4),
            "Safety at the Larkspur estate",
            "draft",
        )
        assert banners(client.get(response["Location"])) == ["Child protection plan drafted"]

    def test_a_review_date_before_the_start_is_refused(
        self, client_for, practitioner, young_person
    ):
        data = {"kind": "cin"} | date_fields("start_date", date(2025, 3, 4))
        data |= date_fields("review_date", date(2025, 3, 3))

        response = client_for(practitioner).post(url("plan_new", young_person), data)

        message = "The next review date must be the same as or after the start date (4 March 2025)"
        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_review_date": message}
        assert f"<title>Error: New plan – {young_person.local_identifier}" in (
            response.content.decode()
        )
        assert not Plan.objects.exists()

    def test_missing_answers(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(url("plan_new", young_person), {})

        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose the kind of plan",
            "Enter the start date",
            "Enter the next review date",
        ]
        assert not Plan.objects.exists()

    def test_a_second_current_plan_of_a_kind_is_refused(
        self, client_for, practitioner, young_person, setup
    ):
        data = {"kind": "cin"} | date_fields("start_date", today())
        data |= date_fields("review_date", today() + timedelta(days=1))
        before = written()

        response = client_for(practitioner).post(url("plan_new", young_person), data)

        assert response.status_code == 400
        assert field_errors(response) == {
            "id_kind": "This young person already has a child in need plan in draft, awaiting "
            "sign-off or in force. Change that plan, or end it before starting another."
        }
        assert written() == before


class TestEdit:
    def edit_data(self, plan, **extra) -> dict:
        return (
            {"summary": "My new summary", "version": str(plan.version)}
            | date_fields("start_date", plan.start_date)
            | date_fields("review_date", plan.review_date + timedelta(days=7))
            | extra
        )

    def test_a_valid_edit_is_saved(self, client_for, practitioner, young_person, setup):
        plan = Plan.objects.get()

        response = client_for(practitioner).post(
            url("plan_edit", young_person, plan), self.edit_data(plan)
        )

        assert response.status_code == 302
        assert response["Location"] == url("plan_detail", young_person, plan)
        changed = Plan.objects.get()
        assert (changed.summary, changed.review_date, changed.version) == (
            "My new summary",
            plan.review_date + timedelta(days=7),
            plan.version + 1,
        )

    def test_the_form_carries_the_version(self, client_for, practitioner, young_person, setup):
        plan = Plan.objects.get()

        html = client_for(practitioner).get(url("plan_edit", young_person, plan)).content.decode()

        assert f'<input type="hidden" name="version" value="{plan.version}"' in html

    def test_a_page_without_its_version_saves_nothing(
        self, client_for, practitioner, young_person, setup
    ):
        plan = Plan.objects.get()
        data = self.edit_data(plan)
        del data["version"]
        before = written()

        response = client_for(practitioner).post(url("plan_edit", young_person, plan), data)

        assert response.status_code == 400
        message = "This page is out of date: open the plan again and make your changes"
        assert error_summary(response) == [message]
        # Not a link to the hidden field: there is nothing on the page to go to.
        assert f"<li>{message}</li>" in response.content.decode()
        assert 'href="#id_version"' not in response.content.decode()
        assert written() == before

    def test_a_conflict_keeps_the_users_input_and_shows_the_plan_as_it_is(
        self, client_for, practitioner, team_manager, young_person, setup
    ):
        loaded = Plan.objects.get()
        data = self.edit_data(loaded)
        plan_services.plan_update(actor=team_manager, plan=loaded, summary="The manager's summary")
        client = client_for(practitioner)

        response = client.post(url("plan_edit", young_person, loaded), data)

        html = response.content.decode()
        assert response.status_code == 400
        assert error_summary(response) == [
            "Someone else changed this plan after you opened it. Your changes have not been "
            "saved: check the plan as it is now and make them again."
        ]
        assert "My new summary</textarea>" in html
        assert "The manager&#x27;s summary" in html.split('data-testid="plan-summary"')[1]
        assert f'<input type="hidden" name="version" value="{loaded.version + 1}"' in html
        assert Plan.objects.get().summary == "The manager's summary"

        # Having looked, saving again is a deliberate choice, and goes through.
        again = client.post(
            url("plan_edit", young_person, loaded), data | {"version": str(loaded.version + 1)}
        )
        assert again.status_code == 302
        assert Plan.objects.get().summary == "My new summary"
