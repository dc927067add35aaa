"""The work section of the context page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from cases.reference import ActionProgress
from contexts.services import work as work_services
from csafe.core.vocabulary import ContextKind
from tests.contexts.work_pages.support import (
    SCHOOL_HEADINGS,
    detail,
    section,
    set_review_date_in_the_past,
)
from tests.contexts.work_support import (
    FUNCTIONING,
    add_action,
    add_record,
    close_for_test,
    open_context_for_test,
    today,
)
from tests.html_pages import text_of

pytestmark = pytest.mark.django_db


def plan_rows(html: str) -> list[str]:
    return [text_of(row) for row in re.findall(r'data-testid="plan-action">(.*?)</tr>', html, re.S)]


class TestSection:
    def test_overdue_actions_and_an_overdue_review_are_tagged(self, practitioner, context):
        late = add_action(
            practitioner, context, description="Lighting survey", due_date=today() - timedelta(1)
        )
        done_late = add_action(
            practitioner, context, description="Meet the head", due_date=today() - timedelta(5)
        )
        stopped_late = add_action(
            practitioner, context, description="Letter to shops", due_date=today() - timedelta(4)
        )
        add_action(practitioner, context, description="Youth work", due_date=today())
        for action, progress in [(done_late, ActionProgress.DONE), (stopped_late, "stopped")]:
            work_services.context_action_update_progress(
                actor=practitioner, action=action, progress=progress, completed_on=today()
            )
        set_review_date_in_the_past(context, practitioner)

        html = section(context, practitioner)

        rows = plan_rows(html)
        overdue = [row for row in rows if "Overdue" in row]
        assert len(overdue) == 1 and overdue[0].startswith(late.description)
        assert [row.split(" ")[0] for row in rows] == ["Meet", "Letter", "Lighting", "Youth"]
        assert 'data-testid="review-overdue"' in html
        counts = re.search(r'data-testid="plan-counts">(.*?)</dd>', html).group(1)
        assert counts == "2 open, 1 overdue, 1 done"

    def test_a_review_date_today_or_later_is_not_overdue(self, practitioner, context):
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=today()
        )
        html = section(context, practitioner)
        assert f"{today():%-d %B %Y}" in text_of(html)
        assert "Review overdue" not in html

    def test_the_sides_are_worded_for_the_kind(self, practitioner, team_manager):
        school = open_context_for_test(lead=team_manager, kind=ContextKind.SCHOOL)
        add_action(practitioner, school, side=FUNCTIONING)
        assert SCHOOL_HEADINGS[0] in plan_rows(section(school, practitioner))[0]

    @pytest.mark.parametrize("who", ["service_manager"])
    def test_no_buttons_for_a_reader(self, request, context, work, who):
        html = section(context, request.getfixturevalue(who))
        assert "govuk-button" not in html
        assert reverse("contexts:action_progress", args=[context.pk, work["action"].pk]) not in html

    def test_no_buttons_once_closed(self, practitioner, context, work):
        close_for_test(context)
        html = section(context, practitioner)
        assert "govuk-button" not in html
        assert "Add an action" not in html

    def test_buttons_for_a_worker(self, other_team_practitioner, context, work):
        html = section(context, other_team_practitioner)
        for name in ["record_new", "action_new", "plan_review_date"]:
            assert reverse(f"contexts:{name}", args=[context.pk]) in html
        assert reverse("contexts:action_progress", args=[context.pk, work["action"].pk]) in html

    def test_shows_the_latest_five_records_and_the_count(self, practitioner, context):
        for days in range(7):
            add_record(practitioner, context, held_on=today() - timedelta(days=days))
        html = section(context, practitioner)
        assert html.count('data-testid="record-summary"') == 5
        assert "See all assessments and meeting notes (7)" in text_of(html)

    def test_the_context_page_includes_the_section(self, client_for, practitioner, context, work):
        page = client_for(practitioner).get(detail(context)).content.decode()
        assert 'data-testid="context-plan"' in page
        assert work["action"].description in page
