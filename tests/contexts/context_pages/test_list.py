"""The list of context records: what readers see, its filters and its order."""

from __future__ import annotations

import pytest

from contexts.linking.services import context_link_end
from contexts.services import configuration as configuration_services
from csafe.accounts.models import Role
from tests.cases.helpers import sign_in_redirect
from tests.contexts.context_pages.support import LIST, READERS
from tests.contexts.context_support import (
    canary_child,
    close,
    days_ago,
    link,
    open_group,
    open_location,
)
from tests.factories import UserFactory
from tests.html_pages import page_of, section, table_rows, text_of

pytestmark = pytest.mark.django_db


class TestList:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_every_context_with_its_count_of_linked_young_people(
        self, request, client_for, practitioner, team_manager, young_person, who
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        second = canary_child(team_manager, practitioner)
        ended = link(practitioner, context, second)
        context_link_end(actor=practitioner, link=ended, reason="Moved away")
        other = open_location(UserFactory(role=Role.PRACTITIONER))
        response = client_for(request.getfixturevalue(who)).get(LIST)
        assert response.status_code == 200
        html = page_of(response)
        assert text_of(section(html, "result-count", "</p>").split(">", 1)[1]) == "2 contexts"
        rows = table_rows(html, "contexts-table")
        assert rows[0] == [
            context.name,
            "Group",
            "Open",
            f"Team A {practitioner}",
            f"{days_ago(20).day} {days_ago(20):%b %Y}",
            "1",
        ]
        assert rows[1][0] == other.name
        assert rows[1][1] == "Neighbourhood or location"
        assert rows[1][5] == "0"
        can_open = who != "service_manager"
        assert ('data-testid="open-context"' in html) == can_open

    def test_administrators_see_no_contexts(self, client_for, administrator, practitioner):
        open_group(practitioner)
        assert client_for(administrator).get(LIST).status_code == 404

    def test_the_anonymous_sign_in(self, client):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response.url == sign_in_redirect(LIST)

    def test_filters(self, client_for, practitioner):
        group = open_group(practitioner)
        location = open_location(practitioner, postcode="NB7 3QT")
        closed = open_group(practitioner, area="Northgate")
        close(practitioner, closed)
        client = client_for(practitioner)

        def names(**query) -> list[str]:
            return [row[0] for row in table_rows(client.get(LIST, query), "contexts-table")]

        assert names() == [group.name, location.name, closed.name]  # open first, by name
        assert names(kind="location") == [location.name]
        assert names(status="closed") == [closed.name]
        assert names(q="northgate") == [closed.name]
        assert names(q="nb7") == [location.name]
        assert names(q="NB7 3QT") == [location.name]
        assert "No contexts match these filters" in page_of(client.get(LIST, {"q": "nowhere"}))

    def test_the_configured_word_shows_a_peer_groups_kind(
        self, client_for, practitioner, administrator
    ):
        open_group(practitioner)
        configuration_services.configuration_update(
            actor=administrator, peer_group_term="connection"
        )
        html = page_of(client_for(practitioner).get(LIST))
        assert table_rows(html, "contexts-table")[0][1] == "Non-familial connection"
        assert '<option value="peer_group">Non-familial connection</option>' in html
