"""A drill-down list is a look-up by what happened to a child: each young person on the page shown
is written to the access log (channel "list"), whichever count it came from; not page 2, not the
young people counted but not shown; nothing for readers refused the page or shown no child."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from cases.reference import NatureOfHarm
from csafe.audit.models import AccessChannel, RecordAccess
from reporting.drill import views as views_drill
from tests.factories import YoungPersonFactory
from tests.reporting.helpers import CCE, refer

pytestmark = pytest.mark.django_db

DRILL = reverse("reporting:drill")
PERIOD = {
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "30",
    "end_month": "6",
    "end_year": "2026",
}
EXTRA_IN_MARCH = {"measure": "referrals_by_month", "column": "extra", "key": "2026-03"}


def drill_url(**params) -> str:
    return f"{DRILL}?{urlencode({**EXTRA_IN_MARCH, **PERIOD, **params})}"


def logged_since(before: int) -> list[tuple]:
    return list(
        RecordAccess.objects.filter(pk__gt=before)
        .order_by("pk")
        .values_list("young_person_id", "user_id", "channel", "resource")
    )


def last_pk() -> int:
    return RecordAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [person.pk for person in response.context["page"].object_list]


@pytest.fixture
def referred(young_person, other_young_person, practitioner, other_team_practitioner):
    """An extra-familial referral in March 2026 for a young person of each team, with a CCE flag
    and a park in NB3: something behind every kind of drill that leads to young people."""
    for actor, person in (
        (practitioner, young_person),
        (other_team_practitioner, other_young_person),
    ):
        refer(
            actor,
            person,
            on=date(2026, 3, 10),
            nature=NatureOfHarm.EXTRA_FAMILIAL,
            harms=[CCE],
            postcode="NB3 4XY",
        )


def test_every_drill_down_list_logs_the_young_people_it_shows(
    referred, client_for, team_manager, young_person, other_young_person
):
    """Each drill link the dashboard offers, followed as a manager would: the rows written are
    exactly the young people the page lists."""
    client = client_for(team_manager)
    dashboard = client.get(reverse("reporting:dashboard"), PERIOD).content.decode()
    links = sorted(
        {unescape(href) for href in re.findall(rf'href="({re.escape(DRILL)}\?[^"]+)"', dashboard)}
    )
    # referrals by month and by team (total, extra), open with a flag, locations by type and
    # district, harm types rarely recorded: at least these have a count behind them.
    assert len(links) >= 7
    for link in links:
        before = last_pk()
        ids = shown(client.get(link))

        assert ids == [young_person.pk], link
        assert logged_since(before) == [
            (young_person.pk, team_manager.pk, AccessChannel.LIST, DRILL)
        ], link
    assert not RecordAccess.objects.filter(young_person=other_young_person).exists()


def test_only_the_page_shown_is_logged(monkeypatch, client_for, team_manager, young_person):
    monkeypatch.setattr(views_drill, "PAGE_SIZE", 2)
    people = [young_person]
    for last_name in ("Rowan", "Sorrel"):  # after Quillfeather in the list's order
        people.append(YoungPersonFactory(actor=team_manager, last_name=last_name))
    for person in people:
        refer(team_manager, person, on=date(2026, 3, 10), nature=NatureOfHarm.EXTRA_FAMILIAL)
    client = client_for(team_manager)

    before = last_pk()
    assert shown(client.get(drill_url())) == [people[0].pk, people[1].pk]
    assert logged_since(before) == [
        (person.pk, team_manager.pk, AccessChannel.LIST, DRILL) for person in people[:2]
    ]

    before = last_pk()
    assert shown(client.get(drill_url(page="2"))) == [people[2].pk]
    assert logged_since(before) == [(people[2].pk, team_manager.pk, AccessChannel.LIST, DRILL)]


def test_a_service_manager_shown_the_count_and_no_child_writes_nothing(
    referred, client_for, service_manager
):
    before = last_pk()

    response = client_for(service_manager).get(drill_url())

    assert shown(response) == []
    assert response.context["result"].behind == 2
    assert logged_since(before) == []


@pytest.mark.parametrize("who", ["practitioner", "teammate", "administrator"])
def test_readers_refused_the_page_write_nothing(referred, request, client_for, who):
    before = last_pk()

    assert client_for(request.getfixturevalue(who)).get(drill_url()).status_code == 403

    assert logged_since(before) == []


def test_anonymous_is_sent_to_sign_in_and_writes_nothing(referred, client):
    before = last_pk()

    assert client.get(drill_url()).status_code == 302

    assert logged_since(before) == []


def test_a_count_with_no_list_writes_nothing(referred, client_for, team_manager):
    before = last_pk()

    assert client_for(team_manager).get(drill_url(key="2025-03")).status_code == 404

    assert logged_since(before) == []
