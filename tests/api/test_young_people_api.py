"""/api/v1/young-people/: the same access rules as the pages, over the same selectors."""

from __future__ import annotations

import pytest

from cases import services as case_services
from cases.models import CaseStatus
from csafe.audit.models import AccessChannel, RecordAccess
from tests.cases.helpers import api_detail_url, api_list_url
from tests.factories import YoungPersonFactory
from tests.two_factor import api_token_for

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "No young person found"}


def result_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class TestList:
    def test_practitioner_lists_only_their_allocated_young_people(
        self, client_for, practitioner, team_manager, young_person, other_young_person
    ):
        YoungPersonFactory(actor=team_manager)  # team A, not allocated to the practitioner

        response = client_for(practitioner).get(api_list_url())

        assert result_ids(response) == [young_person.pk]
        assert response.json()["count"] == 1

    def test_team_manager_lists_the_team(
        self, client_for, team_manager, young_person, other_young_person
    ):
        unallocated = YoungPersonFactory(actor=team_manager)

        ids = result_ids(client_for(team_manager).get(api_list_url()))

        assert set(ids) == {young_person.pk, unallocated.pk}
        assert other_young_person.pk not in ids

    def test_teammate_lists_nothing(self, client_for, teammate, young_person):
        assert result_ids(client_for(teammate).get(api_list_url())) == []

    @pytest.mark.parametrize("outsider", ["other_team_practitioner", "other_team_manager"])
    def test_other_team_list_excludes_team_a(
        self, request, client_for, young_person, other_young_person, outsider
    ):
        response = client_for(request.getfixturevalue(outsider)).get(api_list_url())

        assert result_ids(response) == [other_young_person.pk]
        assert "Zephyrine" not in response.content.decode()

    @pytest.mark.parametrize("role_holder", ["service_manager", "administrator"])
    def test_roles_without_records_get_an_empty_list(
        self, request, client_for, young_person, other_young_person, role_holder
    ):
        response = client_for(request.getfixturevalue(role_holder)).get(api_list_url())

        assert response.status_code == 200
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}

    def test_anonymous_gets_401(self, client, young_person):
        response = client.get(api_list_url())

        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {"detail": "Authentication credentials were not provided."}

    def test_search_by_name_and_identifier(self, client_for, team_manager, young_person):
        other = YoungPersonFactory(
            actor=team_manager, first_name="Ignatius", local_identifier="Q-1"
        )
        client = client_for(team_manager)

        assert result_ids(client.get(api_list_url(), {"search": "quillfeather"})) == [
            young_person.pk
        ]
        assert result_ids(client.get(api_list_url(), {"search": "IGNATIUS"})) == [other.pk]
        assert result_ids(client.get(api_list_url(), {"search": "q-1"})) == [other.pk]
        assert result_ids(client.get(api_list_url(), {"search": "nobody-at-all"})) == []

    def test_search_stays_within_access(self, client_for, practitioner, other_young_person):
        response = client_for(practitioner).get(api_list_url(), {"search": "Nettlecombe"})

        assert result_ids(response) == []

    def test_status_filter(self, client_for, team_manager, young_person):
        closed = YoungPersonFactory(actor=team_manager)
        case_services.young_person_set_status(
            actor=team_manager, young_person=closed, status=CaseStatus.CLOSED, reason="Done"
        )
        client = client_for(team_manager)

        assert result_ids(client.get(api_list_url(), {"status": "closed"})) == [closed.pk]
        assert result_ids(client.get(api_list_url(), {"status": "open"})) == [young_person.pk]

    def test_no_create_replace_or_delete(self, client_for, team_manager, young_person):
        """Records are opened by a referral and never deleted; details are corrected by PATCH
        with a version (tests/cases/test_young_person_details.py)."""
        client = client_for(team_manager)

        assert client.post(api_list_url(), {"first_name": "New"}).status_code == 405
        assert (
            client.put(
                api_detail_url(young_person),
                {"first_name": "Changed"},
                content_type="application/json",
            ).status_code
            == 405
        )
        assert client.delete(api_detail_url(young_person)).status_code == 405
        young_person.refresh_from_db()
        assert young_person.first_name == "Zephyrine"


class TestRetrieve:
    @pytest.mark.parametrize("viewer", ["practitioner", "team_manager"])
    def test_allowed_users_read_the_record(self, request, client_for, young_person, viewer):
        user = request.getfixturevalue(viewer)

        response = client_for(user).get(api_detail_url(young_person))

        assert response.status_code == 200
        body = response.json()
        assert body["id"] == young_person.pk
        assert body["first_name"] == "Zephyrine"
        assert body["last_name"] == "Quillfeather"
        assert body["local_identifier"] == young_person.local_identifier
        assert body["date_of_birth"] == "2011-05-17"
        assert body["postcode"] == "NB1 2AA"
        assert body["status"] == "open"
        assert body["team"] == "Team A"
        assert [(worker["name"], worker["team"]) for worker in body["allocated_workers"]] == [
            ("Pat Tester", "Team A")
        ]
        assert (
            RecordAccess.objects.filter(
                user=user, young_person=young_person, channel=AccessChannel.API
            ).count()
            == 1
        )

    @pytest.mark.parametrize(
        "user",
        [
            "teammate",
            "other_team_practitioner",
            "other_team_manager",
            "service_manager",
            "administrator",
        ],
    )
    def test_forbidden_is_404_and_the_same_as_missing(
        self, request, client_for, young_person, user
    ):
        client = client_for(request.getfixturevalue(user))

        forbidden = client.get(api_detail_url(young_person))
        missing = client.get(f"{api_list_url()}{young_person.pk + 999}/")

        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.json() == missing.json() == NOT_FOUND

    def test_anonymous_gets_401(self, client, young_person):
        response = client.get(api_detail_url(young_person))

        assert response.status_code == 401
        assert "Zephyrine" not in response.content.decode()

    def test_ended_allocation_is_not_listed_as_a_worker(
        self, client_for, team_manager, practitioner, young_person
    ):
        allocation = young_person.allocations.get(worker=practitioner)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Handed over"
        )

        body = client_for(team_manager).get(api_detail_url(young_person)).json()

        assert body["allocated_workers"] == []
        assert client_for(practitioner).get(api_detail_url(young_person)).status_code == 404


class TestTokenAuthentication:
    def test_token_authenticates(self, client, practitioner, young_person):
        key = api_token_for(practitioner)

        listing = client.get(api_list_url(), HTTP_AUTHORIZATION=f"Token {key}")
        record = client.get(api_detail_url(young_person), HTTP_AUTHORIZATION=f"Token {key}")

        assert result_ids(listing) == [young_person.pk]
        assert record.status_code == 200
        assert RecordAccess.objects.get().user == practitioner

    def test_token_carries_the_users_access_and_no_more(
        self, client, other_team_practitioner, young_person
    ):
        key = api_token_for(other_team_practitioner)

        response = client.get(api_detail_url(young_person), HTTP_AUTHORIZATION=f"Token {key}")

        assert response.status_code == 404

    def test_wrong_token_is_401(self, client, practitioner, young_person):
        api_token_for(practitioner)

        response = client.get(api_list_url(), HTTP_AUTHORIZATION="Token not-a-real-token")

        assert response.status_code == 401
        assert response.json() == {"detail": "Invalid token."}


class TestSchemaAndRenderers:
    def test_schema_for_a_signed_in_user(self, client_for, practitioner):
        response = client_for(practitioner).get("/api/schema/")

        assert response.status_code == 200
        schema = response.content.decode()
        assert "/api/v1/young-people/:" in schema
        assert "/api/v1/young-people/{id}/:" in schema

    def test_browser_asking_for_html_gets_json_when_debug_is_off(
        self, client_for, team_manager, young_person
    ):
        # What a browser sends: HTML preferred, anything else accepted.
        accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

        response = client_for(team_manager).get(api_list_url(), HTTP_ACCEPT=accept)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert result_ids(response) == [young_person.pk]

    def test_html_only_is_not_acceptable_when_debug_is_off(
        self, client_for, team_manager, young_person
    ):
        response = client_for(team_manager).get(api_list_url(), HTTP_ACCEPT="text/html")

        assert response.status_code == 406
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Could not satisfy the request Accept header."}
        assert "Zephyrine" not in response.content.decode()

    def test_browsable_format_is_refused_when_debug_is_off(self, client_for, team_manager):
        response = client_for(team_manager).get(api_list_url(), {"format": "api"})

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"

    def test_html_is_offered_when_debug_is_on(self, settings, client_for, team_manager):
        # The other side of the switch, so the test above cannot pass by accident.
        settings.DEBUG = True

        response = client_for(team_manager).get(api_list_url(), HTTP_ACCEPT="text/html")

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")


class TestQueryCounts:
    """The list endpoint costs the same whatever the number of rows."""

    @pytest.fixture
    def thirty_young_people(self, team_manager, practitioner, teammate, young_person):
        # young_person plus 29 more, each with two workers, so every row has a team and a list
        # of workers that could each cost a query if not prefetched.
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=teammate
        )
        for _ in range(29):
            person = YoungPersonFactory(actor=team_manager)
            for worker in (practitioner, teammate):
                case_services.young_person_allocate_worker(
                    actor=team_manager, young_person=person, worker=worker
                )

    # 1 session, 2 user, 3 count of visible young people (guardian's user and group permission
    # subqueries are inside this query, not separate lookups), 4 the page of young people with
    # their team joined, 5 their active worker allocations with worker and worker's team joined,
    # 6 their current harm flags with type; 7-9 savepoint, session update, release
    # (SESSION_SAVE_EVERY_REQUEST refreshes the idle timeout; the savepoint is there because the
    # test runs inside a transaction). For the team manager, one INSERT more (after 6) of the
    # access-log rows for the page: the team's young people are not allocated to them. The
    # practitioner's unfiltered list of their own allocated young people is not logged.
    EXPECTED = {"practitioner": 9, "team_manager": 10}

    @pytest.mark.parametrize("viewer", ["practitioner", "team_manager"])
    def test_one_young_person(
        self, request, client_for, young_person, django_assert_num_queries, viewer
    ):
        client = client_for(request.getfixturevalue(viewer))
        client.get(api_list_url())  # warm process-wide caches (content types), as in production

        with django_assert_num_queries(self.EXPECTED[viewer]):
            response = client.get(api_list_url())

        assert len(response.json()["results"]) == 1

    @pytest.mark.parametrize("viewer", ["practitioner", "team_manager"])
    def test_thirty_young_people(
        self, request, client_for, thirty_young_people, django_assert_num_queries, viewer
    ):
        client = client_for(request.getfixturevalue(viewer))
        client.get(api_list_url())

        with django_assert_num_queries(self.EXPECTED[viewer]):
            response = client.get(api_list_url())

        results = response.json()["results"]
        assert len(results) == 30
        assert all(len(row["allocated_workers"]) == 2 for row in results)


class TestListCarriesTheCaseloadOnly:
    def test_list_rows_carry_no_address_or_identity_details_and_log_nothing(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).get(api_list_url())

        row = response.json()["results"][0]
        assert row["local_identifier"] == young_person.local_identifier
        for detail in ("postcode", "address_line_1", "town", "ethnicity", "gender_identity"):
            assert detail not in row
        assert "NB1 2AA" not in response.content.decode()
        assert not RecordAccess.objects.exists()

    def test_the_single_record_carries_them_and_is_logged(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).get(f"/api/v1/young-people/{young_person.pk}/")

        assert response.json()["postcode"] == "NB1 2AA"
        assert (
            RecordAccess.objects.filter(user=practitioner, channel=AccessChannel.API).count() == 1
        )
