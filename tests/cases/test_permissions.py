"""Who sees which young person: allocation is the only way in, and no access is a 404.

The fixed cast (tests/conftest.py): ``practitioner`` is allocated to ``young_person`` in team A,
``teammate`` is in team A but not allocated, ``team_manager`` manages team A; team B's
``other_team_practitioner`` and ``other_team_manager`` hold ``other_young_person``;
``service_manager`` and ``administrator`` belong to no team.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.urls import reverse

from cases import permissions, selectors
from cases import services as case_services
from cases.models import Allocation, AllocationKind
from csafe.accounts.models import User
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.factories import YoungPersonFactory

CASELOAD = reverse("cases:caseload")

pytestmark = pytest.mark.django_db


def visible_pks(user) -> set[int]:
    return set(selectors.young_person_list_for_user(user=user).values_list("pk", flat=True))


def caseload_pks(client, user) -> list[int]:
    response = client(user).get(CASELOAD)
    assert response.status_code == 200
    return [young_person.pk for young_person in response.context["page"].object_list]


def active_worker_allocation(young_person, worker) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.WORKER, worker=worker, ended_at__isnull=True
    )


def make_superuser(user) -> User:
    # No csafe service grants the superuser flag (only Django's createsuperuser command does), so
    # this is the one piece of state set directly: an UPDATE of the flag alone, no model save().
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    user.refresh_from_db()
    assert user.is_superuser
    return user


# --- Practitioner ------------------------------------------------------------------------------


def test_practitioner_sees_only_young_people_allocated_to_them(
    client_for, practitioner, team_manager, young_person, other_young_person
):
    unallocated_in_same_team = YoungPersonFactory(actor=team_manager)

    assert visible_pks(practitioner) == {young_person.pk}
    assert caseload_pks(client_for, practitioner) == [young_person.pk]
    page = client_for(practitioner).get(CASELOAD).content.decode()
    assert "Quillfeather" in page
    assert "Nettlecombe" not in page
    assert unallocated_in_same_team.local_identifier not in page


def test_allocated_practitioner_can_open_the_record(client_for, practitioner, young_person):
    response = client_for(practitioner).get(detail_url(young_person))

    assert response.status_code == 200
    assert response.context["young_person"] == young_person


def test_teammate_not_allocated_sees_nothing_and_gets_404(client_for, teammate, young_person):
    assert visible_pks(teammate) == set()
    assert caseload_pks(client_for, teammate) == []

    response = client_for(teammate).get(detail_url(young_person))
    assert response.status_code == 404
    assert "Zephyrine" not in response.content.decode()


# --- Managers ------------------------------------------------------------------------------------


def test_team_manager_sees_every_young_person_the_team_holds(
    client_for, team_manager, young_person, other_young_person
):
    without_a_worker = YoungPersonFactory(actor=team_manager)

    assert visible_pks(team_manager) == {young_person.pk, without_a_worker.pk}
    assert set(caseload_pks(client_for, team_manager)) == {young_person.pk, without_a_worker.pk}
    assert client_for(team_manager).get(detail_url(young_person)).status_code == 200
    assert client_for(team_manager).get(detail_url(without_a_worker)).status_code == 200


def test_team_manager_allocated_as_worker_sees_the_young_person_once(
    client_for, team_manager, young_person
):
    # The manager now holds the record twice over (team group and own worker grant); the list
    # must not repeat it.
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=young_person, worker=team_manager
    )

    assert caseload_pks(client_for, team_manager) == [young_person.pk]


@pytest.mark.parametrize("outsider", ["other_team_practitioner", "other_team_manager"])
def test_another_teams_staff_get_404_and_see_nothing_of_team_a(
    request, client_for, young_person, other_young_person, outsider
):
    user = request.getfixturevalue(outsider)

    assert young_person.pk not in visible_pks(user)
    assert young_person.pk not in caseload_pks(client_for, user)
    response = client_for(user).get(detail_url(young_person))
    assert response.status_code == 404
    assert "Zephyrine" not in response.content.decode()


def test_other_team_sees_its_own_young_person(
    client_for, other_team_practitioner, other_team_manager, other_young_person
):
    assert visible_pks(other_team_practitioner) == {other_young_person.pk}
    assert visible_pks(other_team_manager) == {other_young_person.pk}


# --- Roles with no caseload ----------------------------------------------------------------------


@pytest.mark.parametrize("role_holder", ["service_manager", "administrator"])
def test_service_manager_and_administrator_see_no_young_person(
    request, client_for, young_person, other_young_person, role_holder
):
    user = request.getfixturevalue(role_holder)

    assert visible_pks(user) == set()
    assert client_for(user).get(CASELOAD).status_code == 404
    response = client_for(user).get(detail_url(young_person))
    assert response.status_code == 404
    assert "Zephyrine" not in response.content.decode()
    assert client_for(user).get(detail_url(other_young_person)).status_code == 404


def test_forbidden_record_and_missing_record_look_the_same(client_for, teammate, young_person):
    forbidden = client_for(teammate).get(detail_url(young_person))
    missing = client_for(teammate).get(reverse("cases:detail", args=[young_person.pk + 1000]))

    assert forbidden.status_code == missing.status_code == 404
    # Byte for byte the same page, apart from the CSRF token that is masked afresh each response.
    assert _without_csrf_token(forbidden) == _without_csrf_token(missing)


def _without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- Anonymous -----------------------------------------------------------------------------------


def test_anonymous_user_is_sent_to_sign_in(client, young_person):
    caseload = client.get(CASELOAD)
    record = client.get(detail_url(young_person))

    assert caseload.status_code == 302
    assert caseload["Location"] == sign_in_redirect(CASELOAD)
    assert record.status_code == 302
    assert record["Location"] == sign_in_redirect(detail_url(young_person))
    assert selectors.young_person_list_for_user(user=AnonymousUser()).count() == 0


# --- Changes of allocation -----------------------------------------------------------------------


def test_deallocating_a_worker_removes_their_access(
    client_for, practitioner, team_manager, young_person
):
    assert client_for(practitioner).get(detail_url(young_person)).status_code == 200

    case_services.young_person_deallocate_worker(
        actor=team_manager,
        allocation=active_worker_allocation(young_person, practitioner),
        reason="Moved to another caseload",
    )

    assert client_for(practitioner).get(detail_url(young_person)).status_code == 404
    assert visible_pks(practitioner) == set()
    assert not permissions.user_has_perm(practitioner, permissions.VIEW, young_person)
    # The manager still sees it: the team holds the case.
    assert client_for(team_manager).get(detail_url(young_person)).status_code == 200


def test_allocating_the_teammate_gives_them_access(
    client_for, teammate, team_manager, young_person
):
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=young_person, worker=teammate
    )

    assert client_for(teammate).get(detail_url(young_person)).status_code == 200
    assert visible_pks(teammate) == {young_person.pk}


def test_transferring_the_case_moves_manager_access_to_the_new_team(
    client_for, practitioner, team_manager, other_team_manager, team_b, young_person
):
    case_services.young_person_transfer_team(
        actor=team_manager, young_person=young_person, team=team_b, reason="Family moved area"
    )

    assert client_for(team_manager).get(detail_url(young_person)).status_code == 404
    assert client_for(other_team_manager).get(detail_url(young_person)).status_code == 200
    # Workers belonged to the old team, so their allocations ended with the transfer.
    assert client_for(practitioner).get(detail_url(young_person)).status_code == 404
    assert young_person.pk in visible_pks(other_team_manager)
    assert young_person.pk not in visible_pks(team_manager)
    assert permissions.user_has_perm(other_team_manager, permissions.VIEW_ACCESS_LOG, young_person)
    assert not permissions.user_has_perm(team_manager, permissions.VIEW_ACCESS_LOG, young_person)


def test_transfer_does_not_give_the_new_teams_practitioners_access(
    client_for, team_manager, other_team_practitioner, team_b, young_person
):
    case_services.young_person_transfer_team(
        actor=team_manager, young_person=young_person, team=team_b, reason="Family moved area"
    )

    assert client_for(other_team_practitioner).get(detail_url(young_person)).status_code == 404


# --- No superuser bypass ------------------------------------------------------------------------


@pytest.mark.parametrize("role_holder", ["administrator", "service_manager", "teammate"])
def test_superuser_flag_gives_no_access(request, client_for, young_person, role_holder):
    user = make_superuser(request.getfixturevalue(role_holder))

    assert visible_pks(user) == set()
    assert client_for(user).get(detail_url(young_person)).status_code == 404
    for perm in (permissions.VIEW, permissions.CHANGE, permissions.VIEW_ACCESS_LOG):
        assert not permissions.user_has_perm(user, perm, young_person), perm


def test_superuser_practitioner_sees_only_their_own_allocation(
    client_for, practitioner, young_person, other_young_person
):
    user = make_superuser(practitioner)

    assert caseload_pks(client_for, user) == [young_person.pk]
    assert client_for(user).get(detail_url(other_young_person)).status_code == 404
    # Allocated, not a manager: no access log, superuser or not.
    assert not permissions.user_has_perm(user, permissions.VIEW_ACCESS_LOG, young_person)
    response = client_for(user).get(detail_url(young_person))
    assert response.context["can_read_log"] is False
    assert 'data-testid="access-log"' not in response.content.decode()


# --- No model-level bypass ----------------------------------------------------------------------


@pytest.mark.parametrize("role_holder", ["service_manager", "teammate"])
def test_global_permissions_give_no_access(request, client_for, young_person, role_holder):
    # No csafe service grants model-level permissions, but Django's admin or a data migration
    # could; access to a child must still come only from an allocation. Given both directly and
    # through a group.
    user = request.getfixturevalue(role_holder)
    codenames = ["view_youngperson", "change_youngperson", "view_access_log"]
    model_perms = Permission.objects.filter(content_type__app_label="cases", codename__in=codenames)
    assert model_perms.count() == 3
    user.user_permissions.add(*model_perms)
    group = Group.objects.create(name="everything-on-young-people")
    group.permissions.add(*model_perms)
    user.groups.add(group)
    user = User.objects.get(pk=user.pk)  # drop Django's cached permission sets
    assert user.has_perm(permissions.VIEW)  # the model-level grant is really there

    assert visible_pks(user) == set()
    assert client_for(user).get(detail_url(young_person)).status_code == 404
    for perm in (permissions.VIEW, permissions.CHANGE, permissions.VIEW_ACCESS_LOG):
        assert not permissions.user_has_perm(user, perm, young_person), perm
