"""The privacy invariant: whoever reads them, and whatever they may see elsewhere, no
context page carries a linked young person's name, identifier, date of birth or a link
to their record."""

from __future__ import annotations

import re

import pytest

from contexts.linking.services import context_link_end
from contexts.models import ContextLink
from tests.contexts.context_pages.support import LIST, NEW, closing, opening, url, with_lead
from tests.contexts.context_support import CANARY_IDENTIFIER, canary_child, link, open_group
from tests.html_pages import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary_context(
    practitioner, team_manager, young_person, other_team_practitioner, other_young_person
):
    """A group context with three invented children linked: Zephyrine Quillfeather (conftest),
    Perpetua Wolstenholme (CANARY0042) and Bartholomew Nettlecombe (team B), the first link
    ended with a reason that names her."""
    context = open_group(practitioner)
    first = link(practitioner, context, young_person, reason="Zephyrine was at the fight")
    link(practitioner, context, canary_child(team_manager, practitioner))
    link(other_team_practitioner, context, other_young_person)
    context_link_end(actor=practitioner, link=first, reason="Zephyrine Quillfeather moved away")
    link(practitioner, context, young_person, reason="Back with the group")
    context.refresh_from_db()
    return context


def assert_no_child(html: str, *people) -> None:
    for person in people:
        for secret in (
            person.first_name,
            person.last_name,
            person.local_identifier,
            f"{person.date_of_birth:%-d %B %Y}",
            f"{person.date_of_birth:%-d %b %Y}",
            person.date_of_birth.isoformat(),
        ):
            assert secret not in html, f"{secret!r} reached a context page"
    assert not re.search(r"/young-people/\d", html), "a link to a young person's record"


class TestNoChildOnContextPages:
    @pytest.mark.parametrize(
        "who", ["practitioner", "team_manager", "other_team_practitioner", "service_manager"]
    )
    def test_no_context_page_shows_a_linked_child(
        self, request, client_for, canary_context, young_person, other_young_person, who
    ):
        from cases.models import YoungPerson

        children = [
            young_person,
            other_young_person,
            YoungPerson.objects.get(local_identifier=CANARY_IDENTIFIER),
        ]
        viewer = request.getfixturevalue(who)
        client = client_for(viewer)
        paths = [
            LIST,
            f"{LIST}?q=Eastfield",
            url("detail", canary_context),
            url("chronology", canary_context),
        ]
        if who != "service_manager":
            paths += [url("edit", canary_context), NEW]
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_no_child(page_of(response), *children)
        # The closure page (403 for those who may not close), and the check page of a context
        # with the same name.
        assert_no_child(page_of(client.get(url("close", canary_context))), *children)
        if who != "service_manager":
            check = client.post(NEW, with_lead(opening(), viewer))
            assert check.status_code == 400
            assert_no_child(page_of(check), *children)

    def test_nor_after_closing_with_the_links_ended(
        self, client_for, practitioner, canary_context, young_person, other_young_person
    ):
        from cases.models import YoungPerson

        children = [
            young_person,
            other_young_person,
            YoungPerson.objects.get(local_identifier=CANARY_IDENTIFIER),
        ]
        client = client_for(practitioner)
        response = client.post(url("close", canary_context), closing(canary_context), follow=True)
        assert response.status_code == 200
        assert_no_child(page_of(response), *children)
        assert (
            ContextLink.objects.filter(context=canary_context, ended_at__isnull=True).count() == 0
        )
        for name in ("detail", "chronology", "reopen"):
            assert_no_child(page_of(client.get(url(name, canary_context))), *children)
