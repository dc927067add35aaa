"""Moving team, changing role or switching an account off ends the access old allocations gave."""

import pytest
from django.urls import reverse

from cases.models import Allocation, AllocationKind
from csafe.accounts import services
from csafe.accounts.models import Role, User


def _active(worker):
    return Allocation.objects.filter(
        kind=AllocationKind.WORKER, worker=worker, ended_at__isnull=True
    )


@pytest.mark.django_db
def test_moving_team_ends_allocations_on_the_old_teams_cases(
    client_for, administrator, practitioner, young_person, team_b
):
    services.user_update(
        actor=administrator, user=practitioner, role=Role.PRACTITIONER, team=team_b
    )
    assert not _active(practitioner).exists()
    ended = Allocation.objects.get(young_person=young_person, worker=practitioner)
    assert ended.end_reason == "Worker changed team or role"
    assert ended.ended_by == administrator
    response = client_for(practitioner).get(reverse("cases:detail", args=[young_person.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_becoming_a_service_manager_ends_all_allocations(administrator, practitioner, young_person):
    services.user_update(
        actor=administrator, user=practitioner, role=Role.SERVICE_MANAGER, team=None
    )
    assert not _active(practitioner).exists()


@pytest.mark.django_db
def test_staying_in_the_team_keeps_allocations(administrator, practitioner, young_person, team_a):
    services.user_update(
        actor=administrator, user=practitioner, role=Role.TEAM_MANAGER, team=team_a
    )
    assert _active(practitioner).count() == 1


@pytest.mark.django_db
def test_switching_an_account_off_in_admin_ends_its_allocations(
    client_for, administrator, practitioner, young_person
):
    data = {
        "username": practitioner.username,
        "first_name": practitioner.first_name,
        "last_name": practitioner.last_name,
        "email": practitioner.email,
        "job_title": "",
        "phone": "",
        "role": Role.PRACTITIONER,
        "team": practitioner.team_id,
        # is_active omitted: the checkbox is unticked
    }
    response = client_for(administrator).post(
        f"/admin/accounts/user/{practitioner.pk}/change/", data
    )
    assert response.status_code == 302
    assert User.objects.get(pk=practitioner.pk).is_active is False
    assert not _active(practitioner).exists()
