"""Finalising, reviewing and ending a plan, and what each refuses."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cases.models import Plan
from cases.services import plans as plan_services
from tests.cases.plan_pages.support import url
from tests.cases.plan_support import SCHOOL, today, written
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db


class TestFinaliseReviewEnd:
    OPEN_SCHOOL = (
        "The plan cannot be {doing} while 1 contextual factor is open (School or education "
        f"setting: {SCHOOL[1]}). Answer each one with an action, or mark it as not addressed "
        "and say why."
    )

    def test_finalise_is_refused_while_a_factor_is_open(
        self, client_for, team_manager, young_person, finalisable
    ):
        plan = finalisable["plan"]
        client = client_for(team_manager)
        target = url("plan_finalise", young_person, plan)

        page = client.get(target)
        assert [
            text_of(li)
            for li in re.findall(
                r"<li>(.*?)</li>",
                page.content.decode().split('data-testid="open-factors">')[1].split("</ul>")[0],
                re.S,
            )
        ] == [f"Open School or education setting: {SCHOOL[1]}"]

        before = written()
        response = client.post(target, {})

        assert response.status_code == 400
        assert error_summary(response) == [self.OPEN_SCHOOL.format(doing="finalised")]
        assert Plan.objects.get().status == "draft"
        assert written() == before

    def test_finalise_then_review_then_end(
        self, client_for, practitioner, team_manager, young_person, finalisable
    ):
        plan, school = finalisable["plan"], finalisable["factors"][1]
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        client = client_for(team_manager)

        finalised = client.post(url("plan_finalise", young_person, plan), {})
        assert finalised.status_code == 302
        assert banners(client.get(finalised["Location"])) == ["Plan finalised: it is now in force"]
        assert Plan.objects.get().status == "active"

        review = {"summary": "Attending the hub"} | date_fields("reviewed_on", today())
        too_soon = client.post(
            url("plan_review", young_person, plan),
            review | date_fields("next_review_date", today()),
        )
        assert too_soon.status_code == 400
        assert field_errors(too_soon) == {
            "id_next_review_date": "The next review date must be after the date of the review"
        }

        reviewed = client.post(
            url("plan_review", young_person, plan),
            review | date_fields("next_review_date", today() + timedelta(days=90)),
        )
        assert reviewed.status_code == 302
        assert Plan.objects.get().review_date == today() + timedelta(days=90)
        page = client.get(url("plan_detail", young_person, plan)).content.decode()
        assert "Attending the hub" in page.split('data-testid="plan-reviews"')[1]

        missing = client.post(url("plan_end", young_person, plan), {})
        assert missing.status_code == 400
        assert error_summary(missing) == [
            "Enter the date the plan ended",
            "Explain why the plan is ending",
        ]
        ended = client.post(
            url("plan_end", young_person, plan),
            {"reason": "Moved to another council"} | date_fields("ended_on", today()),
        )
        assert ended.status_code == 302
        assert (Plan.objects.get().status, Plan.objects.get().end_reason) == (
            "ended",
            "Moved to another council",
        )

    def test_review_of_a_draft_is_refused(self, client_for, practitioner, young_person, setup):
        response = client_for(practitioner).post(
            url("plan_review", young_person, setup["plan"]),
            {"summary": "Early look"}
            | date_fields("reviewed_on", today())
            | date_fields("next_review_date", today() + timedelta(days=30)),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Finalise the plan before reviewing it"]
