"""The caseload: who sees which young people, for allowed, forbidden and anonymous
users."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services as case_services
from cases.models import CaseStatus
from tests.cases.helpers import sign_in_redirect
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

CASELOAD = reverse("cases:caseload")


def listed(response) -> list[int]:
    return [young_person.pk for young_person in response.context["page"].object_list]


def result_count(response) -> str:
    page = response.content.decode()
    start = page.index('data-testid="result-count">') + len('data-testid="result-count">')
    return page[start : page.index("</p>", start)]


# === Caseload ===================================================================================


class TestCaseload:
    def test_practitioner_sees_their_allocated_young_people(
        self, client_for, practitioner, young_person, other_young_person
    ):
        response = client_for(practitioner).get(CASELOAD)

        assert response.status_code == 200
        assert listed(response) == [young_person.pk]
        assert result_count(response) == "1 young person"
        page = response.content.decode()
        assert "Quillfeather, Zephyrine" in page
        assert young_person.local_identifier in page
        assert "Young people allocated to you." in page
        assert "Nettlecombe" not in page

    def test_team_manager_sees_the_team_with_workers_named(
        self, client_for, team_manager, young_person, other_young_person
    ):
        unallocated = YoungPersonFactory(actor=team_manager, last_name="Umberholt")

        response = client_for(team_manager).get(CASELOAD)

        assert response.status_code == 200
        assert set(listed(response)) == {young_person.pk, unallocated.pk}
        assert result_count(response) == "2 young people"
        page = response.content.decode()
        assert "Young people held by Team A and those allocated to you." in page
        assert "Pat Tester" in page  # young_person's worker
        assert "No worker" in page  # the unallocated one
        assert "Nettlecombe" not in page

    def test_teammate_not_allocated_has_an_empty_caseload(self, client_for, teammate, young_person):
        response = client_for(teammate).get(CASELOAD)

        assert response.status_code == 200
        assert listed(response) == []
        assert result_count(response) == "0 young people"
        assert "No young people match these filters." in response.content.decode()
        assert "Quillfeather" not in response.content.decode()

    @pytest.mark.parametrize("outsider", ["other_team_practitioner", "other_team_manager"])
    def test_other_team_does_not_see_team_a(
        self, request, client_for, young_person, other_young_person, outsider
    ):
        response = client_for(request.getfixturevalue(outsider)).get(CASELOAD)

        assert listed(response) == [other_young_person.pk]
        assert "Quillfeather" not in response.content.decode()

    @pytest.mark.parametrize("role_holder", ["service_manager", "administrator"])
    def test_roles_without_a_caseload_get_404(self, request, client_for, young_person, role_holder):
        response = client_for(request.getfixturevalue(role_holder)).get(CASELOAD)

        assert response.status_code == 404
        assert "Quillfeather" not in response.content.decode()

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(CASELOAD)

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(CASELOAD)

    def test_post_is_not_allowed(self, client_for, practitioner):
        assert client_for(practitioner).post(CASELOAD).status_code == 405

    def test_search_by_name(self, client_for, team_manager, young_person):
        YoungPersonFactory(actor=team_manager, first_name="Ignatius", last_name="Brackwater")

        by_last = client_for(team_manager).get(CASELOAD, {"q": "quillfeath"})
        by_first = client_for(team_manager).get(CASELOAD, {"q": "ZEPHYRINE"})

        assert listed(by_last) == [young_person.pk]
        assert listed(by_first) == [young_person.pk]
        assert "Brackwater" not in by_last.content.decode()

    def test_search_by_preferred_name(self, client_for, team_manager):
        known_as = YoungPersonFactory(
            actor=team_manager, first_name="Theodora", preferred_name="Teddie"
        )
        YoungPersonFactory(actor=team_manager, first_name="Marisol")

        response = client_for(team_manager).get(CASELOAD, {"q": "teddie"})

        assert listed(response) == [known_as.pk]

    def test_search_by_local_identifier(self, client_for, team_manager, young_person):
        other = YoungPersonFactory(actor=team_manager, local_identifier="LOC-77120")

        exact = client_for(team_manager).get(CASELOAD, {"q": "loc-77120"})
        original = client_for(team_manager).get(CASELOAD, {"q": young_person.local_identifier})

        assert listed(exact) == [other.pk]
        assert listed(original) == [young_person.pk]

    def test_search_never_reaches_beyond_access(self, client_for, practitioner, other_young_person):
        by_name = client_for(practitioner).get(CASELOAD, {"q": "Nettlecombe"})
        by_identifier = client_for(practitioner).get(
            CASELOAD, {"q": other_young_person.local_identifier}
        )

        assert listed(by_name) == []
        assert listed(by_identifier) == []

    def test_status_filter(self, client_for, team_manager, young_person):
        closed = YoungPersonFactory(actor=team_manager, last_name="Closedcase")
        case_services.young_person_set_status(
            actor=team_manager, young_person=closed, status=CaseStatus.CLOSED, reason="Work done"
        )

        closed_only = client_for(team_manager).get(CASELOAD, {"status": "closed"})
        open_only = client_for(team_manager).get(CASELOAD, {"status": "open"})
        both = client_for(team_manager).get(CASELOAD, {"status": ""})

        assert listed(closed_only) == [closed.pk]
        assert listed(open_only) == [young_person.pk]
        assert set(listed(both)) == {young_person.pk, closed.pk}

    def test_invalid_status_is_ignored_not_an_error(self, client_for, team_manager, young_person):
        response = client_for(team_manager).get(CASELOAD, {"status": "deleted"})

        assert response.status_code == 200
        assert listed(response) == [young_person.pk]

    def test_allocated_to_me_filter(self, client_for, team_manager, young_person):
        mine = YoungPersonFactory(actor=team_manager, last_name="Managersown")
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=mine, worker=team_manager
        )

        everything = client_for(team_manager).get(CASELOAD)
        only_mine = client_for(team_manager).get(CASELOAD, {"mine": "on"})

        assert set(listed(everything)) == {young_person.pk, mine.pk}
        assert listed(only_mine) == [mine.pk]

    def test_allocated_to_me_ignores_ended_allocations(
        self, client_for, team_manager, young_person
    ):
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=team_manager
        )
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Covering only for a week"
        )

        assert listed(client_for(team_manager).get(CASELOAD, {"mine": "on"})) == []

    def test_pagination_fifty_a_page(self, client_for, team_manager):
        for number in range(51):
            YoungPersonFactory(actor=team_manager, last_name=f"Pagesurname{number:02d}")

        first = client_for(team_manager).get(CASELOAD)
        second = client_for(team_manager).get(CASELOAD, {"page": 2})
        past_the_end = client_for(team_manager).get(CASELOAD, {"page": 99})

        assert result_count(first) == "51 young people"
        assert len(listed(first)) == 50
        assert "Page 1 of 2" in first.content.decode()
        assert 'href="?page=2" rel="next"' in first.content.decode()
        assert len(listed(second)) == 1
        assert "Pagesurname50" in second.content.decode()
        assert 'href="?page=1" rel="prev"' in second.content.decode()
        assert set(listed(first)).isdisjoint(listed(second))
        assert listed(past_the_end) == listed(second)

    def test_pagination_links_keep_the_filters(self, client_for, team_manager):
        for number in range(51):
            YoungPersonFactory(actor=team_manager, last_name=f"Pagesurname{number:02d}")

        response = client_for(team_manager).get(CASELOAD, {"q": "Pagesurname", "status": "open"})

        assert 'href="?q=Pagesurname&amp;status=open&amp;page=2"' in response.content.decode()
