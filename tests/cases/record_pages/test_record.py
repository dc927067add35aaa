"""A young person's record and its access log, for allowed, forbidden and anonymous
users."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases import services as case_services
from tests.cases.helpers import (
    access_log_url,
    allocate_url,
    allocation_end_url,
    detail_url,
    sign_in_redirect,
)
from tests.cases.record_pages.support import NO_ACCESS, team_allocation, worker_allocation
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

# === Detail =====================================================================================


class TestDetail:
    def test_allocated_practitioner_sees_the_record_without_manager_tools(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).get(detail_url(young_person))

        assert response.status_code == 200
        page = response.content.decode()
        assert "Zephyrine Quillfeather" in page
        assert young_person.local_identifier in page
        assert "Held by Team A" in page
        assert "17 May 2011" in page
        assert "NB1 2AA" in page
        assert 'data-testid="access-log"' not in page
        assert allocate_url(young_person) not in page
        assert response.context["can_allocate"] is False
        assert response.context["can_read_log"] is False

    def test_team_manager_sees_allocation_tools_and_access_log(
        self, client_for, team_manager, practitioner, young_person
    ):
        response = client_for(team_manager).get(detail_url(young_person))

        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-testid="access-log"' in page
        assert access_log_url(young_person) in page
        assert f'action="{allocate_url(young_person)}"' in page
        assert (
            allocation_end_url(young_person, worker_allocation(young_person, practitioner)) in page
        )
        # The team's own allocation can only be transferred, never "ended" from this page.
        assert allocation_end_url(young_person, team_allocation(young_person)) not in page
        assert "Team A (team)" in page

    def test_allocation_form_offers_only_the_team(
        self, client_for, team_manager, teammate, other_team_practitioner, young_person
    ):
        form = client_for(team_manager).get(detail_url(young_person)).context["allocate_form"]

        offered = set(form.fields["worker"].queryset)
        assert teammate in offered
        assert team_manager in offered
        assert other_team_practitioner not in offered

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_no_access_is_404(self, request, client_for, young_person, user):
        response = client_for(request.getfixturevalue(user)).get(detail_url(young_person))

        assert response.status_code == 404
        assert "Zephyrine" not in response.content.decode()
        assert "Page not found" in response.content.decode()

    def test_missing_record_is_404(self, client_for, team_manager, young_person):
        response = client_for(team_manager).get(
            reverse("cases:detail", args=[young_person.pk + 999])
        )

        assert response.status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        response = client.get(detail_url(young_person))

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(detail_url(young_person))

    def test_post_is_not_allowed(self, client_for, practitioner, young_person):
        assert client_for(practitioner).post(detail_url(young_person)).status_code == 405

    def test_record_pages_are_not_cached(self, client_for, practitioner, young_person):
        response = client_for(practitioner).get(detail_url(young_person))

        assert "no-store" in response["Cache-Control"]


# === Access log =================================================================================


class TestAccessLog:
    def test_team_manager_reads_who_has_looked(
        self, client_for, team_manager, practitioner, young_person
    ):
        client_for(practitioner).get(detail_url(young_person))

        response = client_for(team_manager).get(access_log_url(young_person))

        assert response.status_code == 200
        page = response.content.decode()
        assert "Who has looked at this record" in page
        assert "Pat Tester (Team A)" in page
        assert f'<td class="govuk-table__cell">{detail_url(young_person)}</td>' in page
        assert "Web page" in page

    def test_allocated_practitioner_sees_the_record_but_not_its_log(
        self, client_for, practitioner, young_person
    ):
        assert client_for(practitioner).get(detail_url(young_person)).status_code == 200
        assert client_for(practitioner).get(access_log_url(young_person)).status_code == 404

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_no_access_is_404(self, request, client_for, young_person, user):
        response = client_for(request.getfixturevalue(user)).get(access_log_url(young_person))

        assert response.status_code == 404
        assert "Zephyrine" not in response.content.decode()

    def test_manager_of_the_previous_team_loses_the_log_on_transfer(
        self, client_for, team_manager, other_team_manager, team_b, young_person
    ):
        case_services.young_person_transfer_team(
            actor=team_manager, young_person=young_person, team=team_b, reason="Moved area"
        )

        assert client_for(team_manager).get(access_log_url(young_person)).status_code == 404
        assert client_for(other_team_manager).get(access_log_url(young_person)).status_code == 200

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        response = client.get(access_log_url(young_person))

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(access_log_url(young_person))


def test_date_of_birth_shown_in_full_on_the_record(client_for, team_manager):
    young_person = YoungPersonFactory(actor=team_manager, date_of_birth=date(2009, 2, 3))

    assert (
        "3 February 2009" in client_for(team_manager).get(detail_url(young_person)).content.decode()
    )
