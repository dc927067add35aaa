"""The young person pages, one group per view, each for allowed, forbidden and anonymous users."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from cases import services as case_services
from cases.models import Allocation, AllocationKind, CaseStatus
from csafe.audit.models import Event, EventKind
from tests.cases.helpers import (
    access_log_url,
    allocate_url,
    allocation_end_url,
    detail_url,
    error_summary,
    field_errors,
    sign_in_redirect,
)
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

CASELOAD = reverse("cases:caseload")
NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]


def worker_allocation(young_person, worker) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.WORKER, worker=worker
    )


def team_allocation(young_person) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.TEAM, ended_at__isnull=True
    )


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


# === Allocate ===================================================================================


class TestAllocate:
    def test_team_manager_allocates_and_the_worker_gains_access(
        self, client_for, team_manager, teammate, young_person
    ):
        assert client_for(teammate).get(detail_url(young_person)).status_code == 404

        response = client_for(team_manager).post(
            allocate_url(young_person), {"worker": teammate.pk}, follow=True
        )

        assert response.redirect_chain == [(detail_url(young_person), 302)]
        assert "Tam Tester is now allocated" in response.content.decode()
        allocation = worker_allocation(young_person, teammate)
        assert allocation.is_active
        assert allocation.started_by == team_manager
        assert client_for(teammate).get(detail_url(young_person)).status_code == 200

    def test_allocated_practitioner_cannot_allocate(
        self, client_for, practitioner, teammate, young_person
    ):
        response = client_for(practitioner).post(
            allocate_url(young_person), {"worker": teammate.pk}
        )

        # Refused before the form is read: a 403 page, not field errors.
        assert response.status_code == 403
        assert "You cannot use this page" in response.content.decode()
        assert not Allocation.objects.filter(worker=teammate).exists()
        assert client_for(teammate).get(detail_url(young_person)).status_code == 404

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_no_access_is_404_and_nothing_saved(
        self, request, client_for, teammate, young_person, user
    ):
        response = client_for(request.getfixturevalue(user)).post(
            allocate_url(young_person), {"worker": teammate.pk}
        )

        assert response.status_code == 404
        assert not Allocation.objects.filter(worker=teammate).exists()

    def test_anonymous_is_sent_to_sign_in(self, client, teammate, young_person):
        response = client.post(allocate_url(young_person), {"worker": teammate.pk})

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(allocate_url(young_person))
        assert not Allocation.objects.filter(worker=teammate).exists()

    def test_get_is_not_allowed(self, client_for, team_manager, young_person):
        assert client_for(team_manager).get(allocate_url(young_person)).status_code == 405

    def test_someone_from_another_team_is_refused_and_nothing_saved(
        self, client_for, team_manager, other_team_practitioner, young_person
    ):
        # The form only offers team A, so the page refuses a team B worker as an invalid choice
        # before the service is reached (the service's own message is tested in test_services).
        response = client_for(team_manager).post(
            allocate_url(young_person), {"worker": other_team_practitioner.pk}
        )

        assert response.status_code == 400
        message = "Select a valid choice. That choice is not one of the available choices."
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_worker": message}
        assert not Allocation.objects.filter(
            young_person=young_person, worker=other_team_practitioner
        ).exists()
        assert client_for(other_team_practitioner).get(detail_url(young_person)).status_code == 404

    def test_allocating_twice_says_already_allocated(
        self, client_for, team_manager, practitioner, young_person
    ):
        response = client_for(team_manager).post(
            allocate_url(young_person), {"worker": practitioner.pk}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Pat Tester is already allocated to this young person"]
        assert field_errors(response) == {
            "id_worker": "Pat Tester is already allocated to this young person"
        }
        assert (
            Allocation.objects.filter(young_person=young_person, worker=practitioner).count() == 1
        )

    def test_no_worker_chosen(self, client_for, team_manager, young_person):
        response = client_for(team_manager).post(allocate_url(young_person), {"worker": ""})

        assert response.status_code == 400
        assert error_summary(response) == ["Choose a worker to allocate"]

    def test_other_team_manager_cannot_allocate_their_own_worker(
        self, client_for, other_team_manager, other_team_practitioner, young_person
    ):
        response = client_for(other_team_manager).post(
            allocate_url(young_person), {"worker": other_team_practitioner.pk}
        )

        assert response.status_code == 404
        assert not Allocation.objects.filter(
            young_person=young_person, worker=other_team_practitioner
        ).exists()

    def test_worker_is_emailed_without_the_young_persons_name(
        self, client_for, team_manager, teammate, young_person, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client_for(team_manager).post(
                allocate_url(young_person), {"worker": teammate.pk}
            )

        assert response.status_code == 302
        assert len(callbacks) == 1
        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["teammate@csafe.invalid"]
        assert email.subject == "csafe: a case has been allocated to you"
        assert f"local identifier {young_person.local_identifier}" in email.body
        assert detail_url(young_person) in email.body
        assert email.body.startswith("Hello Tam,")
        for secret in ("Zephyrine", "Quillfeather", "2011"):
            assert secret not in email.body
            assert secret not in email.subject

    def test_no_email_when_allocation_is_refused(
        self,
        client_for,
        team_manager,
        practitioner,
        young_person,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            client_for(team_manager).post(allocate_url(young_person), {"worker": practitioner.pk})

        assert callbacks == []
        assert mail.outbox == []


# === End an allocation ==========================================================================


class TestAllocationEnd:
    def test_team_manager_sees_the_form(self, client_for, team_manager, practitioner, young_person):
        allocation = worker_allocation(young_person, practitioner)

        response = client_for(team_manager).get(allocation_end_url(young_person, allocation))

        assert response.status_code == 200
        page = response.content.decode()
        assert "End Pat Tester's allocation" in page
        assert error_summary(response) == []

    def test_team_manager_ends_the_allocation_and_access_goes(
        self, client_for, team_manager, practitioner, young_person
    ):
        allocation = worker_allocation(young_person, practitioner)

        response = client_for(team_manager).post(
            allocation_end_url(young_person, allocation),
            {"reason": "  Case stepped down to early help  "},
            follow=True,
        )

        assert response.redirect_chain == [(detail_url(young_person), 302)]
        assert "Pat Tester&#x27;s allocation has ended" in response.content.decode()
        allocation.refresh_from_db()
        assert allocation.ended_at is not None
        assert allocation.ended_by == team_manager
        assert allocation.end_reason == "Case stepped down to early help"
        assert client_for(practitioner).get(detail_url(young_person)).status_code == 404

    def test_empty_reason_is_refused_and_nothing_changes(
        self, client_for, team_manager, practitioner, young_person
    ):
        allocation = worker_allocation(young_person, practitioner)
        events_before = Event.objects.count()

        response = client_for(team_manager).post(
            allocation_end_url(young_person, allocation), {"reason": ""}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Enter why the allocation is ending"]
        assert field_errors(response) == {"id_reason": "Enter why the allocation is ending"}
        assert "<title>Error: End allocation" in response.content.decode()
        allocation.refresh_from_db()
        assert allocation.ended_at is None
        assert allocation.end_reason == ""
        assert Event.objects.count() == events_before
        assert client_for(practitioner).get(detail_url(young_person)).status_code == 200

    def test_blank_reason_is_refused(self, client_for, team_manager, practitioner, young_person):
        allocation = worker_allocation(young_person, practitioner)

        response = client_for(team_manager).post(
            allocation_end_url(young_person, allocation), {"reason": "    "}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Enter why the allocation is ending"]
        allocation.refresh_from_db()
        assert allocation.is_active

    def test_team_allocation_cannot_be_ended_here(self, client_for, team_manager, young_person):
        allocation = team_allocation(young_person)

        response = client_for(team_manager).post(
            allocation_end_url(young_person, allocation), {"reason": "Trying to drop the case"}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["That is a team allocation; transfer the case instead"]
        allocation.refresh_from_db()
        assert allocation.is_active

    def test_ending_an_ended_allocation(self, client_for, team_manager, practitioner, young_person):
        allocation = worker_allocation(young_person, practitioner)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="First ending"
        )

        response = client_for(team_manager).post(
            allocation_end_url(young_person, allocation), {"reason": "Second ending"}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["That allocation has already ended"]
        allocation.refresh_from_db()
        assert allocation.end_reason == "First ending"

    def test_allocated_practitioner_gets_404(self, client_for, practitioner, young_person):
        allocation = worker_allocation(young_person, practitioner)
        url = allocation_end_url(young_person, allocation)

        assert client_for(practitioner).get(url).status_code == 404
        assert client_for(practitioner).post(url, {"reason": "Ending my own"}).status_code == 404
        allocation.refresh_from_db()
        assert allocation.is_active

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_no_access_is_404_and_nothing_changes(
        self, request, client_for, practitioner, young_person, user
    ):
        allocation = worker_allocation(young_person, practitioner)
        url = allocation_end_url(young_person, allocation)
        client = client_for(request.getfixturevalue(user))

        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Not mine to end"}).status_code == 404
        allocation.refresh_from_db()
        assert allocation.is_active

    def test_allocation_of_another_young_person_is_404(
        self, client_for, team_manager, young_person, other_young_person, other_team_practitioner
    ):
        # The manager may see young_person, but the allocation belongs to team B's child.
        foreign = worker_allocation(other_young_person, other_team_practitioner)

        response = client_for(team_manager).post(
            allocation_end_url(young_person, foreign), {"reason": "Mixing up records"}
        )

        assert response.status_code == 404
        foreign.refresh_from_db()
        assert foreign.is_active

    def test_anonymous_is_sent_to_sign_in(self, client, practitioner, young_person):
        allocation = worker_allocation(young_person, practitioner)
        url = allocation_end_url(young_person, allocation)

        response = client.post(url, {"reason": "Anonymous"})

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(url)
        allocation.refresh_from_db()
        assert allocation.is_active

    def test_ending_writes_the_event(self, client_for, team_manager, practitioner, young_person):
        allocation = worker_allocation(young_person, practitioner)

        client_for(team_manager).post(
            allocation_end_url(young_person, allocation), {"reason": "Moved caseload"}
        )

        event = Event.objects.get(kind=EventKind.WORKER_DEALLOCATED)
        assert event.actor == team_manager
        assert event.young_person == young_person
        assert event.detail == {"worker": practitioner.pk, "reason": "Moved caseload"}


def test_date_of_birth_shown_in_full_on_the_record(client_for, team_manager):
    young_person = YoungPersonFactory(actor=team_manager, date_of_birth=date(2009, 2, 3))

    assert (
        "3 February 2009" in client_for(team_manager).get(detail_url(young_person)).content.decode()
    )
