"""Closing a context (with the closure record and the rule for its links) and reopening
it."""

from __future__ import annotations

import pytest

from contexts.reference import ContextStatus
from tests.contexts.context_pages.support import closing, url
from tests.contexts.context_support import (
    canary_child,
    close,
    link,
    long_date,
    open_group,
    open_location,
    snapshot,
    today,
)
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, page_of, section, text_of

pytestmark = pytest.mark.django_db


class TestClose:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_the_form_uses_the_kinds_headings_and_shows_the_count(
        self, request, client_for, practitioner, team_manager, young_person, who
    ):
        context = open_location(practitioner)
        link(practitioner, context, young_person)
        link(practitioner, context, canary_child(team_manager, practitioner))
        response = client_for(request.getfixturevalue(who)).get(url("close", context))
        assert response.status_code == 200
        html = page_of(response)
        for heading in (
            "Strengths and needs of young people collectively",
            "Availability of guardianship",
            "Resources, physical environment and policy",
        ):
            assert f">{heading}</label>" in html
        assert text_of(section(html, "linked-count", "</p>").split(">", 1)[1]) == (
            "2 young people are linked to this context now."
        )
        assert "End every link, with the closure as the reason" in html
        assert "Keep the links, so they are there if the context reopens" in html

    @pytest.mark.parametrize("who", ["teammate", "other_team_manager", "service_manager"])
    def test_others_who_may_read_are_told_why_not(self, request, client_for, practitioner, who):
        context = open_group(practitioner)
        client = client_for(request.getfixturevalue(who))
        message = (
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can close this "
            "context"
        )
        for response in (
            client.get(url("close", context)),
            client.post(url("close", context), closing(context)),
        ):
            assert response.status_code == 403
            assert error_summary(response) == [message]
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_closing_without_the_record_is_refused_and_nothing_saved(
        self, client_for, practitioner, young_person
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        context.refresh_from_db()
        before = snapshot()
        response = client_for(practitioner).post(
            url("close", context),
            closing(
                context,
                functioning_change="",
                guardianship_change=" ",
                environment_change="",
                reason="",
                links_rule="",
            ),
        )
        assert response.status_code == 400
        assert error_summary(response) == [
            "Describe how group functioning changed",
            "Describe how guardianship capacity changed",
            "Describe how environmental and family factors changed",
            "Enter why the context is closing",
            "Choose whether to end the links of the young people linked to this context or "
            "keep them",
        ]
        assert snapshot() == before

    def test_closing_ends_the_links_by_the_rule(self, client_for, practitioner, young_person):
        context = open_group(practitioner)
        row = link(practitioner, context, young_person)
        context.refresh_from_db()
        response = client_for(practitioner).post(
            url("close", context), closing(context), follow=True
        )
        assert banners(response) == [f"{context.name} closed"]
        context.refresh_from_db()
        assert context.status == ContextStatus.CLOSED
        row.refresh_from_db()
        assert row.end_reason == f"The context closed on {long_date(today())}: Safety has increased"

    def test_a_closed_context_sends_the_form_back_to_the_page(self, client_for, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        response = client_for(practitioner).get(url("close", context), follow=True)
        assert banners(response) == ["This context is already closed"]


class TestReopen:
    def test_the_lead_reopens_with_a_reason(self, client_for, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        context.refresh_from_db()
        client = client_for(practitioner)
        assert client.get(url("reopen", context)).status_code == 200
        refused = client.post(
            url("reopen", context),
            {**date_fields("on", today()), "reason": "", "version": str(context.version)},
        )
        assert refused.status_code == 400
        assert error_summary(refused) == ["Enter why the context is reopening"]
        response = client.post(
            url("reopen", context),
            {
                **date_fields("on", today()),
                "reason": "Meeting again",
                "version": str(context.version),
            },
            follow=True,
        )
        assert banners(response) == [f"{context.name} reopened"]
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_others_are_told_why_not(self, client_for, practitioner, teammate):
        context = open_group(practitioner)
        close(practitioner, context)
        response = client_for(teammate).get(url("reopen", context))
        assert response.status_code == 403
        assert error_summary(response) == [
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can reopen this "
            "context"
        ]
