"""The context page and the context's chronology."""

from __future__ import annotations

import re

import pytest

from tests.cases.helpers import sign_in_redirect
from tests.contexts.context_pages.support import READERS, url
from tests.contexts.context_support import GANGS, close, harm_type, link, open_group
from tests.html_pages import page_of, section, summary_rows, table_rows, text_of

pytestmark = pytest.mark.django_db


def buttons(html: str) -> list[str]:
    return [
        text_of(a)
        for a in re.findall(r"<a [^>]*>(.*?)</a>", section(html, "context-actions", "</div>"))
    ]


class TestDetail:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_context(
        self,
        request,
        client_for,
        practitioner,
        other_team_practitioner,
        young_person,
        other_young_person,
        who,
    ):
        context = open_group(practitioner, harm_types=[harm_type(GANGS)])
        link(practitioner, context, young_person)
        link(other_team_practitioner, context, other_young_person)
        response = client_for(request.getfixturevalue(who)).get(url("detail", context))
        assert response.status_code == 200
        html = page_of(response)
        assert f"<title>{context.name} – " in html
        details = summary_rows(html, "context-details")
        assert details["Kind"] == "Group"
        assert details["Status"] == "Open"
        assert details["Harm types"] == GANGS
        assert details["Lead practitioner"] == str(practitioner)
        assert details["Team"] == "Team A"
        assert details["What it was opened around"] == "Fight at the skate park after school"
        assert summary_rows(html, "link-counts")["Young people linked now"] == "2"
        professionals = [row[0] for row in table_rows(html, "professionals-table")]
        assert sorted(professionals) == sorted([str(practitioner), str(other_team_practitioner)])
        assert 'data-testid="context-records"' in html  # the work section is there
        assert (
            'aria-current="true"><strong class="govuk-service-navigation__active-fallback">Contexts'
            in html
        )

    def test_administrators_see_no_context(self, client_for, administrator, practitioner):
        context = open_group(practitioner)
        for name in ("detail", "chronology", "edit", "close", "reopen"):
            assert client_for(administrator).get(url(name, context)).status_code == 404

    def test_the_anonymous_sign_in(self, client, practitioner):
        context = open_group(practitioner)
        for name in ("detail", "chronology", "edit", "close", "reopen"):
            response = client.get(url(name, context))
            assert response.status_code == 302
            assert response.url == sign_in_redirect(url(name, context))

    def test_an_unknown_context_is_404(self, client_for, practitioner):
        assert client_for(practitioner).get("/contexts/999999/").status_code == 404

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("practitioner", ["Change details", "Close the context", "Chronology"]),
            ("team_manager", ["Change details", "Close the context", "Chronology"]),
            ("teammate", ["Change details", "Chronology"]),
            ("other_team_manager", ["Change details", "Chronology"]),
            ("service_manager", ["Chronology"]),
        ],
    )
    def test_what_each_may_do_on_an_open_context(
        self, request, client_for, practitioner, who, expected
    ):
        context = open_group(practitioner)
        html = page_of(client_for(request.getfixturevalue(who)).get(url("detail", context)))
        assert buttons(html) == expected

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("practitioner", ["Reopen the context", "Chronology"]),
            ("team_manager", ["Reopen the context", "Chronology"]),
            ("teammate", ["Chronology"]),
        ],
    )
    def test_a_closed_context_shows_its_closure_record(
        self, request, client_for, practitioner, who, expected
    ):
        context = open_group(practitioner)
        close(practitioner, context)
        html = page_of(client_for(request.getfixturevalue(who)).get(url("detail", context)))
        assert buttons(html) == expected
        record = summary_rows(html, "closure-record")
        assert record == {
            "Why it closed": "Safety has increased: the group no longer meets at the skate park",
            "Group functioning": "Fewer members; the older members have moved on",
            "Guardianship capacity": "Park wardens and detached youth workers are there most "
            "evenings",
            "Environmental and family factors": (
                "The park is lit and the gap in the fence is closed"
            ),
            "Links of young people": "Kept",
            "Closed by": str(practitioner),
        }


class TestChronology:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_story(self, request, client_for, practitioner, young_person, who):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        close(practitioner, context)
        response = client_for(request.getfixturevalue(who)).get(url("chronology", context))
        assert response.status_code == 200
        titles = [
            text_of(t)
            for t in re.findall(r'<h2 class="moj-timeline__title">(.*?)</h2>', page_of(response))
        ]
        assert titles == [
            "Context closed",
            "Young people linked: 1 more",
            "Context opened",
        ]
