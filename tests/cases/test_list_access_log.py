"""Lists that show young people write the access log: a search or filter of the caseload (page
and API alike) logs each young person on the page shown; an unfiltered caseload logs those not
allocated to the viewer; one's own allocated young people, unfiltered, are not logged. Only the
rows on screen are logged, never page 2 nor the queryset behind the page. Refused and anonymous
requests get no list and write no rows. The record's managers read list rows as such."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import CaseStatus
from csafe.audit.models import AccessChannel, RecordAccess
from tests.cases.helpers import access_log_url, api_list_url
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

CASELOAD = reverse("cases:caseload")
LISTED = "Listed in a search or list"


class Logged:
    """The access-log rows written since it was made: (young person, user, channel, resource)."""

    def __init__(self):
        self.after = RecordAccess.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def rows(self) -> list[tuple]:
        return list(
            RecordAccess.objects.filter(pk__gt=self.after)
            .order_by("pk")
            .values_list("young_person_id", "user_id", "channel", "resource")
        )

    def young_people(self) -> list[int]:
        return [row[0] for row in self.rows()]


def listed(user, young_people, resource: str) -> list[tuple]:
    return [(person.pk, user.pk, AccessChannel.LIST, resource) for person in young_people]


def shown_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    if response["Content-Type"].startswith("application/json"):
        return [row["id"] for row in response.json()["results"]]
    return [person.pk for person in response.context["page"].object_list]


@pytest.fixture
def fifty_five(team_manager, practitioner, young_person):
    """young_person and 54 more in team A allocated to the practitioner, in the caseload's order
    (last name, first name, pk): more than one page of 50, page and API alike."""
    people = [young_person]
    for number in range(54):
        person = YoungPersonFactory(
            actor=team_manager, first_name=f"Paged{number:02d}", last_name="Testchild"
        )
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=person, worker=practitioner
        )
        people.append(person)
    return people  # Quillfeather sorts before Testchild


@pytest.fixture
def second_of_the_practitioners(team_manager, practitioner):
    person = YoungPersonFactory(actor=team_manager, first_name="Ambrose", last_name="Underhill")
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    return person


# --- The caseload page and the API list: the same rule -------------------------------------------

SURFACES = {
    # (url, search parameter, status parameter)
    "page": (CASELOAD, "q", "status"),
    "api": (api_list_url(), "search", "status"),
}


@pytest.mark.parametrize("surface", SURFACES)
class TestCaseloadSearchesAreLogged:
    def test_a_search_logs_each_young_person_it_shows_and_no_other(
        self, surface, client_for, practitioner, young_person, second_of_the_practitioners
    ):
        url, search, _ = SURFACES[surface]
        logged = Logged()

        response = client_for(practitioner).get(url, {search: "Quillfeather"})

        assert shown_ids(response) == [young_person.pk]
        # The path only: the search term names the child too.
        assert logged.rows() == listed(practitioner, [young_person], url)

    def test_an_unfiltered_list_of_ones_own_allocated_young_people_is_not_logged(
        self, surface, client_for, practitioner, young_person, second_of_the_practitioners
    ):
        url, _, _ = SURFACES[surface]
        logged = Logged()

        response = client_for(practitioner).get(url)
        only_mine = client_for(practitioner).get(url, {"mine": "on", "order": "dob"})

        assert sorted(shown_ids(response)) == sorted(
            [young_person.pk, second_of_the_practitioners.pk]
        )
        assert shown_ids(only_mine)
        assert logged.rows() == []

    def test_a_status_filter_logs_each_young_person_it_shows(
        self, surface, client_for, team_manager, practitioner, young_person
    ):
        url, _, status = SURFACES[surface]
        closed = YoungPersonFactory(actor=team_manager, last_name="Closedcase")
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=closed, worker=practitioner
        )
        case_services.young_person_set_status(
            actor=team_manager, young_person=closed, status=CaseStatus.CLOSED, reason="Done"
        )
        logged = Logged()

        response = client_for(practitioner).get(url, {status: CaseStatus.CLOSED})

        assert shown_ids(response) == [closed.pk]
        assert logged.rows() == listed(practitioner, [closed], url)

    def test_only_the_page_shown_is_logged(self, surface, client_for, practitioner, fifty_five):
        url, search, _ = SURFACES[surface]
        client = client_for(practitioner)

        first = Logged()
        response = client.get(url, {search: "e"})
        assert shown_ids(response) == [person.pk for person in fifty_five[:50]]
        assert first.rows() == listed(practitioner, fifty_five[:50], url)

        second = Logged()
        response = client.get(url, {search: "e", "page": "2"})
        assert shown_ids(response) == [person.pk for person in fifty_five[50:]]
        assert second.rows() == listed(practitioner, fifty_five[50:], url)

    def test_a_team_managers_team_caseload_logs_those_not_allocated_to_them(
        self, surface, client_for, team_manager, young_person
    ):
        url, search, _ = SURFACES[surface]
        managers_own = YoungPersonFactory(actor=team_manager, last_name="Ownwork")
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=managers_own, worker=team_manager
        )
        client = client_for(team_manager)

        unfiltered = Logged()
        response = client.get(url)
        assert shown_ids(response) == [managers_own.pk, young_person.pk]
        # The team's young person is someone else's work; the manager's own allocation is not
        # logged, as for any worker.
        assert unfiltered.rows() == listed(team_manager, [young_person], url)

        searched = Logged()
        response = client.get(url, {search: "Ownwork"})
        assert shown_ids(response) == [managers_own.pk]
        # A search is a look-up: even one's own allocated young person is logged.
        assert searched.rows() == listed(team_manager, [managers_own], url)

    @pytest.mark.parametrize(
        "user",
        ["teammate", "other_team_practitioner", "other_team_manager"],
    )
    def test_those_who_may_not_see_the_record_get_no_row_and_write_none(
        self, surface, request, client_for, young_person, user
    ):
        url, search, _ = SURFACES[surface]
        logged = Logged()

        response = client_for(request.getfixturevalue(user)).get(url, {search: "Quillfeather"})

        assert response.status_code == 200
        assert shown_ids(response) == []
        assert logged.rows() == []


@pytest.mark.parametrize("user", ["service_manager", "administrator"])
def test_roles_without_a_caseload_are_refused_and_write_nothing(
    request, client_for, young_person, user
):
    logged = Logged()
    client = client_for(request.getfixturevalue(user))

    assert client.get(CASELOAD, {"q": "Quillfeather"}).status_code == 404
    response = client.get(api_list_url(), {"search": "Quillfeather"})

    assert response.json()["results"] == []
    assert logged.rows() == []


def test_anonymous_gets_no_list_and_writes_nothing(client, young_person):
    logged = Logged()

    assert client.get(CASELOAD, {"q": "Quillfeather"}).status_code == 302
    assert client.get(api_list_url(), {"search": "Quillfeather"}).status_code == 401

    assert logged.rows() == []


# --- Managers read list rows as such -------------------------------------------------------------


def test_the_access_log_page_says_the_record_was_listed(
    client_for, team_manager, practitioner, young_person
):
    client_for(practitioner).get(CASELOAD, {"q": "Quillfeather"})

    response = client_for(team_manager).get(access_log_url(young_person))

    page = response.content.decode()
    cell = '<td class="govuk-table__cell">{}</td>'
    assert cell.format(LISTED) + cell.format(CASELOAD) in page
    assert [entry.get_channel_display() for entry in response.context["page"].object_list] == [
        "Web page",  # the manager opening the log
        LISTED,
    ]
