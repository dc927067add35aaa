"""A current flag of a retired harm type says so wherever it shows: the record page, the flag's
own pages, the caseload, and the flags and young person API (``harm_type_retired``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from harms import services
from tests.harms.helpers import (
    NO_ACCESS,
    archive_url,
    detail_url,
    page_of,
    sign_in_redirect,
)
from tests.two_factor import verify_client

pytestmark = pytest.mark.django_db

TAG = 'data-testid="retired-type">Retired type</strong>'


def retire(administrator, harm_type):
    services.harm_type_set_active(
        actor=administrator, harm_type=harm_type, active=False, reason="Merged into another type"
    )


def api_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_client(client, user)
    return client


@pytest.fixture
def retired_flag(administrator, cse, cce, raise_flag):
    """A current CSE flag whose type is then retired, beside a CCE flag whose type is in use."""
    flag = raise_flag(cse)
    raise_flag(cce)
    retire(administrator, cse)
    return flag


class TestPages:
    @pytest.mark.parametrize("viewer", ["practitioner", "team_manager"])
    def test_the_record_page_tags_only_the_retired_types_flag(
        self, request, client_for, young_person, retired_flag, viewer
    ):
        page = page_of(client_for(request.getfixturevalue(viewer)).get(detail_url(young_person)))

        assert page.count(TAG) == 1
        # Beside the CSE badge, not the CCE one.
        assert (
            '>Child sexual exploitation</strong> <strong class="govuk-tag govuk-tag--grey" ' + TAG
            in page
        )

    def test_no_tag_while_the_type_is_in_use(
        self, client_for, practitioner, young_person, cse, raise_flag
    ):
        raise_flag(cse)

        assert TAG not in page_of(client_for(practitioner).get(detail_url(young_person)))

    def test_the_flag_page_and_the_caseload_tag_it(
        self, client_for, practitioner, young_person, retired_flag
    ):
        client = client_for(practitioner)

        assert TAG in page_of(client.get(archive_url(young_person, retired_flag)))
        assert page_of(client.get(reverse("cases:caseload"))).count(TAG) == 1

    @pytest.mark.parametrize("outsider", NO_ACCESS)
    def test_the_record_is_still_not_found_for_everyone_else(
        self, request, client_for, young_person, retired_flag, outsider
    ):
        client = client_for(request.getfixturevalue(outsider))

        assert client.get(detail_url(young_person)).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, retired_flag):
        url = detail_url(young_person)
        assert client.get(url)["Location"] == sign_in_redirect(url)


class TestApi:
    def test_the_flags_list_says_which_type_is_retired(
        self, practitioner, young_person, retired_flag
    ):
        response = api_client(practitioner).get(
            reverse("young-person-flags", args=[young_person.pk])
        )

        assert response.status_code == 200
        assert {f["harm_type_name"]: f["harm_type_retired"] for f in response.json()} == {
            "Child sexual exploitation": True,
            "Child criminal exploitation, including county lines": False,
        }

    def test_the_young_person_says_which_current_flag_is_retired(
        self, practitioner, young_person, retired_flag
    ):
        response = api_client(practitioner).get(f"/api/v1/young-people/{young_person.pk}/")

        assert response.status_code == 200
        assert {
            f["harm_type_name"]: f["harm_type_retired"]
            for f in response.json()["current_harm_flags"]
        } == {
            "Child sexual exploitation": True,
            "Child criminal exploitation, including county lines": False,
        }

    def test_others_and_the_anonymous_get_no_flags(
        self, other_team_practitioner, young_person, retired_flag
    ):
        url = reverse("young-person-flags", args=[young_person.pk])
        assert api_client(other_team_practitioner).get(url).status_code == 404
        assert Client().get(url).status_code == 401
