"""No page of the work on a context shows a linked child; the record list and the work
section cost the same number of queries with one row as with many."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from contexts.models import Context
from contexts.selectors.work import context_work_summary
from tests.contexts.work_pages.support import (
    read_pages,
    section,
    set_review_date_in_the_past,
    url,
    write_pages,
)
from tests.contexts.work_support import add_action, add_record, link, today

pytestmark = pytest.mark.django_db

CANARIES = ["Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe"]


def test_no_page_of_the_work_shows_a_linked_child(
    client_for,
    practitioner,
    other_team_practitioner,
    context,
    work,
    young_person,
    other_young_person,
):
    """Even to the practitioner allocated to both children seen elsewhere."""
    link(practitioner, context, young_person)
    link(other_team_practitioner, context, other_young_person)
    set_review_date_in_the_past(context, practitioner)
    client = client_for(practitioner)
    pages = read_pages(context, work) | write_pages(context, work)
    outputs = [client.get(path).content.decode() for path in pages.values()]
    outputs.append(section(context, practitioner))
    assert len(outputs) == 7
    for html in outputs:
        for name in CANARIES:
            assert name not in html
        for person in (young_person, other_young_person):
            assert person.local_identifier not in html
            assert reverse("cases:detail", args=[person.pk]) not in html
            assert f"{person.date_of_birth:%-d %B %Y}" not in html


@pytest.mark.parametrize("rows", [1, 12])
def test_the_record_list_costs_the_same_whatever_its_length(
    client_for, practitioner, context, django_assert_num_queries, rows
):
    for days in range(rows):
        add_record(practitioner, context, held_on=today() - timedelta(days=days))
    client = client_for(practitioner)
    path = url("record_list", context)
    client.get(path)
    # Session and user (2), the context with its lead, team and location type (1), the records
    # with who recorded each (1), the unread notifications badge (1), and the session save
    # wrapped in a savepoint (3: see tests/cases/test_query_counts.py).
    with django_assert_num_queries(8):
        response = client.get(path)
    assert response.content.decode().count('data-testid="record"') == rows


@pytest.mark.parametrize(("records", "actions"), [(0, 0), (1, 1), (9, 15)])
def test_the_work_section_costs_the_same_whatever_its_length(
    practitioner, context, django_assert_num_queries, records, actions
):
    for days in range(records):
        add_record(practitioner, context, held_on=today() - timedelta(days=days))
    for days in range(actions):
        add_action(practitioner, context, due_date=today() + timedelta(days=days - 3))
    context = Context.objects.get(pk=context.pk)
    # The latest records with who recorded each, each carrying how many records there are (1),
    # the actions (1).
    with django_assert_num_queries(2):
        work = context_work_summary(context=context, user=practitioner)
        html = render_to_string("contexts/work/_section.html", {"context": context, "work": work})
    assert html.count('data-testid="plan-action"') == actions
    assert work.record_count == records
    assert len(work.latest_records) == min(records, 5)
