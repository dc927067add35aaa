"""Every view of a young person's record, in any channel, writes one access log row; a refusal
writes none, nor does an unfiltered caseload of one's own allocated young people (lists that do
log are in test_list_access_log.py); the record's managers can read the log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Allocation, AllocationKind
from csafe.audit.models import AccessChannel, RecordAccess
from tests.cases.helpers import (
    access_log_url,
    allocate_url,
    allocation_end_url,
    api_detail_url,
    api_list_url,
    detail_url,
)

pytestmark = pytest.mark.django_db

NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]


def rows() -> list[tuple]:
    return list(
        RecordAccess.objects.order_by("pk").values_list(
            "young_person_id", "user_id", "channel", "resource"
        )
    )


class TestRecordViewsAreLogged:
    @pytest.mark.parametrize("viewer", ["practitioner", "team_manager"])
    def test_record_page(self, request, client_for, young_person, viewer):
        user = request.getfixturevalue(viewer)

        assert client_for(user).get(detail_url(young_person)).status_code == 200

        assert rows() == [(young_person.pk, user.pk, AccessChannel.PAGE, detail_url(young_person))]

    def test_each_view_is_a_new_row(self, client_for, practitioner, young_person):
        client_for(practitioner).get(detail_url(young_person))
        client_for(practitioner).get(detail_url(young_person))

        assert RecordAccess.objects.filter(user=practitioner).count() == 2

    def test_query_string_is_not_recorded(self, client_for, practitioner, young_person):
        client_for(practitioner).get(detail_url(young_person), {"q": "Quillfeather"})

        assert rows() == [
            (young_person.pk, practitioner.pk, AccessChannel.PAGE, detail_url(young_person))
        ]

    def test_access_log_page(self, client_for, team_manager, young_person):
        assert client_for(team_manager).get(access_log_url(young_person)).status_code == 200

        assert rows() == [
            (young_person.pk, team_manager.pk, AccessChannel.PAGE, access_log_url(young_person))
        ]

    @pytest.mark.parametrize("viewer", ["practitioner", "team_manager"])
    def test_api_retrieve(self, request, client_for, young_person, viewer):
        user = request.getfixturevalue(viewer)

        assert client_for(user).get(api_detail_url(young_person)).status_code == 200

        assert rows() == [
            (young_person.pk, user.pk, AccessChannel.API, api_detail_url(young_person))
        ]

    def test_allocation_pages_show_the_record_so_are_logged(
        self, client_for, team_manager, practitioner, teammate, young_person
    ):
        allocation = Allocation.objects.get(
            young_person=young_person, kind=AllocationKind.WORKER, worker=practitioner
        )

        client_for(team_manager).get(allocation_end_url(young_person, allocation))
        client_for(team_manager).post(allocate_url(young_person), {"worker": teammate.pk})

        assert rows() == [
            (
                young_person.pk,
                team_manager.pk,
                AccessChannel.PAGE,
                allocation_end_url(young_person, allocation),
            ),
            (young_person.pk, team_manager.pk, AccessChannel.PAGE, allocate_url(young_person)),
        ]


class TestNothingIsLoggedWithoutAView:
    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_record_page_404(self, request, client_for, young_person, user):
        assert (
            client_for(request.getfixturevalue(user)).get(detail_url(young_person)).status_code
            == 404
        )

        assert rows() == []

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_api_retrieve_404(self, request, client_for, young_person, user):
        response = client_for(request.getfixturevalue(user)).get(api_detail_url(young_person))

        assert response.status_code == 404
        assert rows() == []

    def test_access_log_page_404_for_allocated_practitioner(
        self, client_for, practitioner, young_person
    ):
        assert client_for(practitioner).get(access_log_url(young_person)).status_code == 404

        assert rows() == []

    def test_missing_record(self, client_for, team_manager, young_person):
        missing = reverse("cases:detail", args=[young_person.pk + 999])

        assert client_for(team_manager).get(missing).status_code == 404

        assert rows() == []

    def test_anonymous(self, client, young_person):
        client.get(detail_url(young_person))
        client.get(api_detail_url(young_person))

        assert rows() == []

    def test_unfiltered_caseload_and_api_list_of_ones_own_young_people(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)

        assert client.get(reverse("cases:caseload")).status_code == 200
        assert client.get(api_list_url()).status_code == 200

        assert rows() == []

    def test_allocation_end_404_for_allocated_practitioner(
        self, client_for, practitioner, young_person
    ):
        allocation = Allocation.objects.get(
            young_person=young_person, kind=AllocationKind.WORKER, worker=practitioner
        )

        url = allocation_end_url(young_person, allocation)
        assert client_for(practitioner).get(url).status_code == 404

        assert rows() == []


class TestManagersReadTheLog:
    def test_detail_page_shows_the_viewer_to_the_team_manager(
        self, client_for, team_manager, practitioner, young_person
    ):
        client_for(practitioner).get(detail_url(young_person))

        response = client_for(team_manager).get(detail_url(young_person))

        page = response.content.decode()
        log = page[page.index('data-testid="access-log"') :]
        log = log[: log.index("</table>")]
        assert "Pat Tester (Team A)" in log
        # The manager's own view is written before the page reads the log, so it shows too.
        assert "Mona Tester (Team A)" in log
        assert log.index("Mona Tester") < log.index("Pat Tester")  # newest first
        assert [entry.user for entry in response.context["recent_access"]] == [
            team_manager,
            practitioner,
        ]

    def test_detail_page_shows_the_five_most_recent(
        self, client_for, team_manager, practitioner, young_person
    ):
        for _ in range(6):
            client_for(practitioner).get(detail_url(young_person))

        response = client_for(team_manager).get(detail_url(young_person))

        assert len(response.context["recent_access"]) == 5
        assert RecordAccess.objects.filter(young_person=young_person).count() == 7

    def test_api_views_appear_as_api(self, client_for, team_manager, practitioner, young_person):
        client_for(practitioner).get(api_detail_url(young_person))

        response = client_for(team_manager).get(access_log_url(young_person))

        page = response.content.decode()
        assert "Pat Tester (Team A)" in page
        cell = '<td class="govuk-table__cell">{}</td>'
        assert cell.format("API") + cell.format(api_detail_url(young_person)) in page

    def test_practitioner_never_sees_the_log_panel(self, client_for, practitioner, young_person):
        page = client_for(practitioner).get(detail_url(young_person)).content.decode()

        assert "Who has looked at this record" not in page
        assert access_log_url(young_person) not in page

    def test_log_belongs_to_one_record(
        self, client_for, team_manager, other_team_manager, young_person, other_young_person
    ):
        client_for(other_team_manager).get(detail_url(other_young_person))

        response = client_for(team_manager).get(access_log_url(young_person))

        assert "Olga Tester" not in response.content.decode()
        assert [entry.user for entry in response.context["page"].object_list] == [team_manager]
