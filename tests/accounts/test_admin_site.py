"""The Django admin is the administrators' configuration area and holds no children's data."""

import pytest
from django.contrib import admin

from cases.models import Allocation, YoungPerson
from csafe.accounts.models import Role, Team, User


@pytest.mark.django_db
def test_administrator_can_use_admin(client_for, administrator):
    response = client_for(administrator).get("/admin/")
    assert response.status_code == 200
    assert b"Teams and staff accounts" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["practitioner", "team_manager", "service_manager"])
def test_other_roles_cannot_use_admin(client_for, request, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_anonymous_cannot_use_admin(client):
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302


def test_no_child_data_is_registered_in_admin():
    assert YoungPerson not in admin.site._registry
    assert Allocation not in admin.site._registry


@pytest.mark.django_db
def test_team_created_in_admin_gets_its_managers_group(client_for, administrator):
    response = client_for(administrator).post(
        "/admin/accounts/team/add/",
        {"name": "Exploitation Hub", "description": "", "is_active": "on"},
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Exploitation Hub")
    assert team.managers_group.name == "team-managers:Exploitation Hub"


@pytest.mark.django_db
def test_making_someone_team_manager_in_admin_grants_the_team_group(
    client_for, administrator, practitioner
):
    data = {
        "username": practitioner.username,
        "first_name": practitioner.first_name,
        "last_name": practitioner.last_name,
        "email": practitioner.email,
        "job_title": "",
        "phone": "",
        "role": Role.TEAM_MANAGER,
        "team": practitioner.team_id,
        "is_active": "on",
    }
    response = client_for(administrator).post(
        f"/admin/accounts/user/{practitioner.pk}/change/", data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    practitioner.refresh_from_db()
    assert practitioner.role == Role.TEAM_MANAGER
    assert practitioner.groups.filter(pk=practitioner.team.managers_group_id).exists()
    assert User.history.filter(id=practitioner.pk).first().history_user == administrator


@pytest.mark.django_db
def test_a_practitioner_without_a_team_is_a_form_error_not_a_server_error(
    client_for, administrator, practitioner
):
    team = practitioner.team
    data = {
        "username": practitioner.username,
        "first_name": practitioner.first_name,
        "last_name": practitioner.last_name,
        "email": practitioner.email,
        "job_title": "",
        "phone": "",
        "role": Role.PRACTITIONER,
        "team": "",
        "is_active": "on",
    }
    response = client_for(administrator).post(
        f"/admin/accounts/user/{practitioner.pk}/change/", data
    )

    assert response.status_code == 200
    assert "Practitioners and team managers must belong to a team" in response.content.decode()
    practitioner.refresh_from_db()
    assert practitioner.team == team


@pytest.mark.django_db
def test_admin_cannot_delete(client_for, administrator, practitioner):
    response = client_for(administrator).post(
        f"/admin/accounts/user/{practitioner.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=practitioner.pk).exists()
