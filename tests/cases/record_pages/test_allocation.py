"""Allocating a young person to a worker and ending an allocation, for allowed,
forbidden and anonymous users."""

from __future__ import annotations

import pytest
from django.core import mail

from cases import services as case_services
from cases.models import Allocation
from csafe.audit.models import Event, EventKind
from tests.cases.helpers import allocate_url, allocation_end_url, detail_url, sign_in_redirect
from tests.cases.record_pages.support import NO_ACCESS, team_allocation, worker_allocation
from tests.html_pages import error_summary, field_errors

pytestmark = pytest.mark.django_db

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
