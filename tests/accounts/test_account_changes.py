"""Each change of an account writes its own event and is told to the managers of the teams
concerned and, for the roles above practitioner, to every administrator. Nobody changes their
own role, team or switch, and the admin site sets nothing beyond the staff fields."""

from __future__ import annotations

import pytest

from csafe.accounts import services
from csafe.accounts.models import Role, User
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from csafe.notifications.models import Notification, NotificationKind
from tests.accounts.account_support import ADD, add_data, change_data, change_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _told(user=None) -> dict[str, list[str]]:
    """Recipient username -> titles of the account notifications they got."""
    told: dict[str, list[str]] = {}
    for n in Notification.objects.filter(kind=NotificationKind.ACCOUNT_CHANGED).order_by("pk"):
        told.setdefault(n.recipient.username, []).append(n.title)
    return told


def _events(user) -> list[tuple[str, dict]]:
    return list(
        Event.objects.filter(target_id=str(user.pk), kind__startswith="user.")
        .order_by("pk")
        .values_list("kind", "detail")
    )


@pytest.fixture
def second_administrator(db):
    return UserFactory(role=Role.ADMINISTRATOR, username="admin2", first_name="Abe")


def test_a_practitioner_made_is_told_to_their_team_managers_only(
    client_for, administrator, second_administrator, team_manager, other_team_manager, team_a
):
    client_for(administrator).post(ADD, add_data(team=team_a.pk))
    user = User.objects.get(username="newperson")
    assert _told() == {
        team_manager.username: ["Account created for Nova Staffer, practitioner in Team A"]
    }
    created = Event.objects.get(kind=EventKind.USER_CREATED, target_id=str(user.pk))
    assert (created.actor, created.detail) == (
        administrator,
        {"role": "practitioner", "team": team_a.pk},
    )


def test_a_manager_made_is_told_to_every_other_administrator_too(
    client_for, administrator, second_administrator, team_manager, team_a
):
    client_for(administrator).post(ADD, add_data(role=Role.TEAM_MANAGER, team=team_a.pk))
    title = "Account created for Nova Staffer, team manager in Team A"
    # Not to the administrator who made it (they know), but to the other one.
    assert _told() == {team_manager.username: [title], second_administrator.username: [title]}
    link = Notification.objects.get(recipient=second_administrator).url
    assert link == change_url(User.objects.get(username="newperson"))
    assert Notification.objects.get(recipient=team_manager).url == ""


def test_a_role_change_writes_its_event_ends_sessions_and_tells_admins(
    client_for, administrator, second_administrator, practitioner, team_manager
):
    response = client_for(administrator).post(
        change_url(practitioner), change_data(practitioner, role=Role.TEAM_MANAGER)
    )
    assert response.status_code == 302
    assert _events(practitioner)[-3:] == [
        (EventKind.USER_UPDATED, {"email_changed": False}),
        (EventKind.USER_ROLE_CHANGED, {"from": "practitioner", "to": "team_manager"}),
        (EventKind.USER_SESSIONS_ENDED, {"reason": "user.role_changed", "api_tokens_revoked": 0}),
    ]
    title = "Pat Tester: now team manager (was practitioner)"
    assert _told() == {team_manager.username: [title], second_administrator.username: [title]}
    practitioner.refresh_from_db()
    assert practitioner.is_staff is False


def test_a_team_change_tells_the_old_and_the_new_teams_managers(
    administrator, practitioner, team_manager, other_team_manager, team_b
):
    services.user_update(
        actor=administrator, user=practitioner, role=practitioner.role, team=team_b
    )
    title = "Pat Tester: moved to Team B from Team A"
    assert _told() == {team_manager.username: [title], other_team_manager.username: [title]}
    assert _events(practitioner)[-2][:2] == (
        EventKind.USER_TEAM_CHANGED,
        {"from": practitioner.team_id, "to": team_b.pk},
    )


def test_switching_off_and_on_are_events_of_their_own(administrator, practitioner, team_manager):
    for is_active in (False, True):
        services.user_update(
            actor=administrator,
            user=practitioner,
            role=practitioner.role,
            team=practitioner.team,
            is_active=is_active,
        )
    kinds = [kind for kind, _ in _events(practitioner)]
    assert kinds[-4:] == [
        EventKind.USER_DEACTIVATED,
        EventKind.USER_SESSIONS_ENDED,
        EventKind.USER_REACTIVATED,
        EventKind.USER_SESSIONS_ENDED,
    ]
    assert _told() == {
        team_manager.username: [
            "Pat Tester: account switched off",
            "Pat Tester: account switched back on",
        ]
    }


def test_saving_with_no_change_writes_no_change_event(administrator, practitioner, team_manager):
    services.user_update(
        actor=administrator, user=practitioner, role=practitioner.role, team=practitioner.team
    )
    assert not [k for k, _ in _events(practitioner) if k != EventKind.USER_CREATED]
    assert _told() == {}


def test_an_email_change_is_told_as_it_redirects_the_next_link(
    client_for, administrator, practitioner, team_manager
):
    client_for(administrator).post(
        change_url(practitioner), change_data(practitioner, email="elsewhere@csafe.invalid")
    )
    assert _told() == {team_manager.username: ["E-mail address changed for Pat Tester"]}
    assert _events(practitioner)[-1] == (EventKind.USER_UPDATED, {"email_changed": True})


# --- Nobody changes their own ------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"role": Role.SERVICE_MANAGER},
        {"role": Role.TEAM_MANAGER, "team": "team_a"},
        {"is_active": False},
    ],
)
def test_the_service_refuses_an_administrators_change_to_themselves(administrator, team_a, change):
    fields = {"role": administrator.role, "team": None, "is_active": True, **change}
    if fields["team"] == "team_a":
        fields["team"] = team_a
    with pytest.raises(ApplicationError) as refused:
        services.user_update(actor=administrator, user=administrator, **fields)
    assert refused.value.message == (
        "You cannot change your own role or team, or switch off your own account. "
        "Ask another administrator"
    )
    administrator.refresh_from_db()
    assert (administrator.role, administrator.team, administrator.is_active) == (
        Role.ADMINISTRATOR,
        None,
        True,
    )
    assert not Event.objects.filter(kind=EventKind.USER_ROLE_CHANGED).exists()


def test_the_admin_form_will_not_change_ones_own_role(client_for, administrator, team_a):
    client = client_for(administrator)
    form = client.get(change_url(administrator)).context["adminform"].form
    assert not {"role", "team", "is_active"} & set(form.fields)
    response = client.post(
        change_url(administrator),
        change_data(administrator, role=Role.TEAM_MANAGER, team=team_a.pk),
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert (administrator.role, administrator.team_id) == (Role.ADMINISTRATOR, None)


def test_another_administrator_may_change_an_administrators_role(
    administrator, second_administrator
):
    services.user_update(
        actor=second_administrator, user=administrator, role=Role.SERVICE_MANAGER, team=None
    )
    administrator.refresh_from_db()
    assert (administrator.role, administrator.is_staff) == (Role.SERVICE_MANAGER, False)


# --- The admin sets nothing beyond the staff fields ---------------------------------------------


def test_the_change_form_cannot_set_superuser_groups_permissions_or_password(
    client_for, administrator, practitioner
):
    from django.contrib.auth.models import Group, Permission

    client = client_for(administrator)
    form = client.get(change_url(practitioner)).context["adminform"].form
    assert set(form.fields) == {
        "first_name",
        "last_name",
        "email",
        "job_title",
        "phone",
        "role",
        "team",
        "is_active",
    }
    group = Group.objects.create(name="anything")
    permission = Permission.objects.get(codename="view_youngperson")
    before = practitioner.password
    client.post(
        change_url(practitioner),
        {
            **change_data(practitioner),
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "user_permissions": [permission.pk],
            "password": "chosen-by-the-administrator-1",
        },
    )
    practitioner.refresh_from_db()
    assert (practitioner.is_superuser, practitioner.is_staff) == (False, False)
    assert not practitioner.groups.filter(pk=group.pk).exists()
    assert not practitioner.user_permissions.exists()
    assert practitioner.password == before


def test_is_staff_follows_the_role(administrator, service_manager):
    services.user_update(
        actor=administrator, user=service_manager, role=Role.ADMINISTRATOR, team=None
    )
    service_manager.refresh_from_db()
    assert service_manager.is_staff is True


def test_the_admin_has_no_page_to_set_someone_elses_password(
    client_for, administrator, practitioner
):
    response = client_for(administrator).get(f"{change_url(practitioner)}password/")
    # The change page's own URL pattern takes the rest as an unknown object: not a form.
    assert response.status_code in {302, 404}
    assert b'name="password1"' not in response.content
