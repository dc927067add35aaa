"""The context plan: adding an action, recording its progress, and the plan's review
date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.reference import ActionProgress, PartnerAgency
from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.models import Context, ContextPlanAction
from csafe.core.vocabulary import ContextKind
from tests.contexts.work_pages.support import SCHOOL_HEADINGS, detail, labels, url, valid_posts
from tests.contexts.work_support import (
    ENVIRONMENT,
    add_action,
    link,
    open_context_for_test,
    today,
    written,
)
from tests.dates import built
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db


class TestActionNew:
    def test_the_sides_are_worded_for_the_kind(self, client_for, practitioner, team_manager):
        school = open_context_for_test(lead=team_manager, kind=ContextKind.SCHOOL)
        response = client_for(practitioner).get(url("action_new", school))
        assert labels(response)[:4] == [*SCHOOL_HEADINGS, "Action"]

    def test_adds_an_action(self, client_for, other_team_practitioner, context):
        response = client_for(other_team_practitioner).post(
            url("action_new", context), valid_posts(context, None)["action_new"], follow=True
        )
        assert response.redirect_chain == [(detail(context), 302)]
        assert banners(response) == ["Action added to the plan"]
        action = ContextPlanAction.objects.get()
        assert (action.side, action.partner_agency, action.owner, action.due_date) == (
            ENVIRONMENT,
            PartnerAgency.COMMUNITY_SAFETY,
            "Community safety officer",
            today() + timedelta(days=14),
        )

    def test_an_empty_form_names_each_missing_answer(self, client_for, practitioner, context):
        before = written()
        response = client_for(practitioner).post(url("action_new", context), {})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose what the action works on",
            "Describe the action",
            "Choose the partner agency",
            "Enter who is responsible for the action",
            "Enter the due date",
        ]
        assert written() == before

    def test_an_owner_naming_a_linked_young_person_is_refused(
        self, client_for, practitioner, other_team_practitioner, context, other_young_person
    ):
        link(other_team_practitioner, context, other_young_person)
        body = valid_posts(context, None)["action_new"] | {
            "owner": "Bartholomew Nettlecombe's youth worker, Bartholomew Nettlecombe"
        }
        before = written()
        response = client_for(practitioner).post(url("action_new", context), body)
        assert response.status_code == 400
        message = THEMATIC_MESSAGE
        assert field_errors(response) == {"id_owner": message}
        assert written() == before


class TestActionProgress:
    def test_shows_the_action_and_whether_it_is_overdue(self, client_for, practitioner, context):
        late = add_action(practitioner, context, due_date=today() - timedelta(days=3))
        response = client_for(practitioner).get(url("action_progress", context, late))
        page = response.content.decode()
        assert 'data-testid="overdue"' in page
        assert "Guardianship capacity" in text_of(page)

    def test_done_needs_its_date(self, client_for, practitioner, context, work):
        before = written()
        response = client_for(practitioner).post(
            url("action_progress", context, work["action"]), {"progress": ActionProgress.DONE}
        )
        assert response.status_code == 400
        assert field_errors(response) == {"id_completed_on": "Enter the date the action was done"}
        assert written() == before

    def test_records_progress(self, client_for, team_manager, context, work):
        response = client_for(team_manager).post(
            url("action_progress", context, work["action"]),
            {"progress": ActionProgress.DONE, **date_fields("completed_on", today())},
            follow=True,
        )
        assert banners(response) == ["Progress recorded"]
        work["action"].refresh_from_db()
        assert (work["action"].progress, work["action"].completed_on) == (
            ActionProgress.DONE,
            today(),
        )


class TestPlanReviewDate:
    def test_sets_the_review_date(self, client_for, practitioner, context):
        review = today() + timedelta(days=30)
        response = client_for(practitioner).post(
            url("plan_review_date", context), date_fields("review_date", review), follow=True
        )
        assert banners(response) == ["Plan review date saved"]
        assert Context.objects.get(pk=context.pk).plan_review_date == review

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "Enter the plan review date"),
            (
                lambda: date_fields("review_date", date.today() - timedelta(days=2)),
                "The plan review date must be today or in the future",
            ),
        ],
    )
    def test_each_rule_has_its_message(self, client_for, practitioner, context, body, message):
        before = written()
        response = client_for(practitioner).post(url("plan_review_date", context), built(body))
        assert response.status_code == 400
        assert field_errors(response) == {"id_review_date": message}
        assert written() == before
