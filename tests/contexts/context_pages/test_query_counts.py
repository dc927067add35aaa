"""The query counts of the context page and the list, pinned with one row and with many."""

from __future__ import annotations

import pytest

from cases import services as case_services
from csafe.accounts.models import Role
from tests.contexts.context_pages.support import LIST, url
from tests.contexts.context_support import GANGS, harm_type, link, open_group
from tests.factories import UserFactory, YoungPersonFactory
from tests.html_pages import summary_rows, table_rows
from tests.query_counts import count_second_request

pytestmark = pytest.mark.django_db


def linked_children(team_manager, context, workers, count: int) -> None:
    """``count`` young people of team A, each allocated to one of ``workers`` in turn and linked
    to ``context`` by the team manager."""
    for number in range(count):
        person = YoungPersonFactory(actor=team_manager)
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=person, worker=workers[number % len(workers)]
        )
        link(team_manager, context, person)


# The context page, whatever the number of links:
#  1 session, 2 user (authentication)
#  3 the context with its lead, team and type of location, and its link counts as two
#    subqueries (context_get_for_user with_link_counts)
#  4 the configuration (the word for a peer group)
#  5 harm types
#  6 professionals (one grouped query over allocations)
#  7-8 the work section: latest records, each carrying the count of all (a window count), and
#    the plan's actions
#  9 unread notifications (page shell)
#  10-12 SAVEPOINT, UPDATE of the session, RELEASE (see tests/cases/test_query_counts.py)
DETAIL_QUERIES = 12


@pytest.mark.parametrize("links", [1, 30])
def test_context_page_queries_do_not_grow_with_links(
    client_for, practitioner, teammate, team_manager, links, django_assert_num_queries
):
    context = open_group(practitioner, harm_types=[harm_type(GANGS)])
    workers = [practitioner, teammate] + [
        UserFactory(role=Role.PRACTITIONER, team=practitioner.team) for _ in range(min(links, 10))
    ]
    linked_children(team_manager, context, workers, links)
    response = count_second_request(
        client_for(practitioner), url("detail", context), django_assert_num_queries, DETAIL_QUERIES
    )
    assert summary_rows(response, "link-counts")["Young people linked now"] == str(links)


# The list, whatever the number of contexts on the page:
#  1 session, 2 user, 3 the configuration, 4 the count (paginator), 5 the page of contexts with
#  lead, team and the count of linked young people, 6 unread notifications, 7-9 the session save.
LIST_QUERIES = 9


@pytest.mark.parametrize("contexts", [1, 30])
def test_list_queries_do_not_grow_with_contexts(
    client_for, practitioner, team_manager, contexts, django_assert_num_queries
):
    for number in range(contexts):
        context = open_group(practitioner, area=f"Area {number:02d} of the borough")
        linked_children(team_manager, context, [practitioner], 1)
    response = count_second_request(
        client_for(practitioner), LIST, django_assert_num_queries, LIST_QUERIES
    )
    assert len(table_rows(response, "contexts-table")) == contexts
