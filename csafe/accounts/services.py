"""Writes to staff accounts and teams.

Team managers hold object permissions on their team's young people through the team's managers
group, so every change of role or team goes through ``user_update`` which keeps that group's
membership in step in the same transaction.

Nobody sets another person's password. A new account has none: the person is sent a
single-use, expiring link (``user_invite``) and chooses it themselves (``user_password_set``);
a forgotten password is the same with ``user_password_reset_send``. Creating an account and
each change of role, team or being switched on or off writes its own event, and tells the
managers of the teams concerned and, for the roles above practitioner, every administrator,
so that an account made or changed by an administrator for their own use is seen by others.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from csafe.audit.models import Event, EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create

from . import permissions
from .models import Role, Team, User
from .sessions import user_sessions_end
from .tasks import account_link_send

NEEDS_TEAM = "Practitioners and team managers must belong to a team"
NOT_YOURSELF = (
    "You cannot change your own role or team, or switch off your own account. "
    "Ask another administrator"
)


@transaction.atomic
def team_create(*, actor: User | None, name: str, description: str = "") -> Team:
    """Create a team and the group its managers act through."""
    name = name.strip()
    if Team.objects.filter(name__iexact=name).exists():
        raise ApplicationError(f"A team called {name} already exists", field="name")
    group = Group.objects.create(name=f"team-managers:{name}")
    team = Team(name=name, description=description, managers_group=group)
    team._history_user = actor
    team.full_clean()
    team.save()
    event_record(actor=actor, kind=EventKind.TEAM_CREATED, target=team)
    return team


# What the apps above accounts do, in the same transaction, when a person's role, team or being
# switched on is saved: cases ends the allocations that give access the person no longer has.
# Each registers from its AppConfig.ready, so accounts imports none of them.
AccessChangeHandler = Callable[..., object]
_access_change_handlers: list[AccessChangeHandler] = []


def on_access_change(handler: AccessChangeHandler) -> AccessChangeHandler:
    """Register ``handler(*, actor, user)`` to run inside every ``user_update``, after the
    change is saved and before its events are written. Registering the same handler twice
    changes nothing."""
    if handler not in _access_change_handlers:
        _access_change_handlers.append(handler)
    return handler


def _sync_manager_group(user: User) -> None:
    """Make the user a member of exactly their own team's managers group, if they manage one."""
    manager_groups = Group.objects.filter(managed_team__isnull=False)
    user.groups.remove(*manager_groups.filter(user=user))
    if permissions.manages_a_team(user):
        user.groups.add(user.team.managers_group)


def _role_label(role: str) -> str:
    return Role(role).label.lower()


def _account_change_tell(
    *, actor: User | None, user: User, event: Event, summary: str, teams, roles
) -> int:
    """In-app notifications (each also e-mailed, on commit, by csafe.notifications) about a
    change to ``user``'s account: to the active team managers of ``teams`` and, if any of
    ``roles`` is privileged, to every active administrator; never to the actor, who knows, nor
    to the person changed. Staff names only: no child is named. Returns how many were made.

    Only a change made by a person is told: with no actor (the demo and scale loaders, the
    first administrator's command) the event alone records it, so loading thousands of
    accounts sends no mail."""
    if actor is None:
        return 0
    team_ids = {team.pk for team in teams if team is not None}
    recipients = {
        manager.pk: manager
        for manager in User.objects.filter(
            role=Role.TEAM_MANAGER, team_id__in=team_ids, is_active=True
        )
    }
    # Every administrator hears about the accounts that reach beyond a practitioner's caseload.
    if permissions.PRIVILEGED_ROLES & set(roles):
        recipients.update(
            (admin.pk, admin)
            for admin in User.objects.filter(role=Role.ADMINISTRATOR, is_active=True)
        )
    recipients.pop(actor.pk, None)
    recipients.pop(user.pk, None)  # the person themselves hears by e-mail or at sign-in
    for recipient in recipients.values():
        url = (
            reverse("admin:accounts_user_change", args=[user.pk])
            if permissions.can_configure(recipient)
            else ""
        )
        notification_create(
            recipient=recipient,
            kind=NotificationKind.ACCOUNT_CHANGED,
            title=summary[:200],
            body=f"Changed by {actor or settings.SERVICE_NAME}.",
            url=url,
            dedupe_key=f"account:{event.pk}:{recipient.pk}",
        )
    return len(recipients)


def _check_team(role: str, team: Team | None) -> None:
    if permissions.role_needs_team(role) and team is None:
        raise ApplicationError(NEEDS_TEAM, field="team")


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None = None,
    job_title: str = "",
    phone: str = "",
) -> User:
    """Create a staff account with no usable password (``user_invite`` sends the person a link
    to choose one). Administrators get Django admin access for configuration only."""
    _check_team(role, team)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
        job_title=job_title,
        phone=phone,
        is_staff=role == Role.ADMINISTRATOR,
    )
    user.set_unusable_password()
    user._history_user = actor
    user.full_clean()
    user.save()
    _sync_manager_group(user)
    event = event_record(
        actor=actor,
        kind=EventKind.USER_CREATED,
        target=user,
        detail={"role": role, "team": team.pk if team else None},
    )
    where = f" in {team.name}" if team else ""
    _account_change_tell(
        actor=actor,
        user=user,
        event=event,
        summary=f"Account created for {user}, {_role_label(role)}{where}",
        teams=[team],
        roles=[role],
    )
    return user


def _link_send_on_commit(user: User, purpose: str) -> None:
    user_id = user.pk
    transaction.on_commit(lambda: account_link_send.delay(user_id, purpose))


@transaction.atomic
def user_invite(*, actor: User | None, user: User) -> None:
    """E-mail the person a single-use link to choose their password, valid for
    CSAFE_INVITATION_DAYS. The link is made when the e-mail is sent and never stored."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ApplicationError(f"{user}'s account is switched off")
    if not user.email:
        raise ApplicationError(f"{user} has no e-mail address", field="email")
    event_record(actor=actor, kind=EventKind.USER_INVITED, target=user)
    _link_send_on_commit(user, "invitation")


@transaction.atomic
def user_password_reset_send(*, actor: User | None, user: User) -> bool:
    """E-mail the person a single-use link to choose a new password (``actor`` None: they
    asked for it themselves). Does nothing, and says so by returning False, for an account
    switched off or without an e-mail address; the public page shows the same answer either
    way, so it never tells whether an address has an account."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or not user.email:
        return False
    event_record(
        actor=actor,
        kind=EventKind.USER_PASSWORD_RESET_SENT,
        target=user,
        detail={"asked_by": "self" if actor is None else "administrator"},
    )
    _link_send_on_commit(user, "reset")
    return True


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """The person's own new password, from a link they were sent (checked by the view) or, for
    the first administrator, typed at the console. Spends every link sent before."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="new_password1") from exc
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    event_record(actor=user, kind=EventKind.USER_PASSWORD_SET, target=user)
    return user


@transaction.atomic
def user_demo_password_set(*, user: User, password: str) -> None:
    """For invented demo and test accounts only (``make demo``'s printed logins, the test
    factories, scale data): a known password, refused unless CSAFE_DEMO_DATA is on. The admin
    site has no way to reach it."""
    if not settings.DEMO_DATA:
        raise ApplicationError("Demo passwords can only be set on a demo installation")
    user.set_password(password)
    User.objects.filter(pk=user.pk).update(password=user.password)


@transaction.atomic
def user_details_update(
    *,
    actor: User | None,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str = "",
    phone: str = "",
) -> User:
    """A person's name, e-mail address and contact details. A new e-mail address is where the
    next link goes, so it is told to the same people as a change of role."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.job_title, user.phone = job_title, phone
    user._history_user = actor
    user.full_clean()
    user.save()
    changed_email = old_email.lower() != email.lower()
    event = event_record(
        actor=actor,
        kind=EventKind.USER_UPDATED,
        target=user,
        detail={"email_changed": changed_email},
    )
    if changed_email:
        _account_change_tell(
            actor=actor,
            user=user,
            event=event,
            summary=f"E-mail address changed for {user}",
            teams=[user.team],
            roles=[user.role],
        )
    return user


@transaction.atomic
def user_update(
    *,
    actor: User | None,
    user: User,
    role: str,
    team: Team | None,
    is_active: bool | None = None,
) -> User:
    """Change a person's role or team, or switch their account off or on (``is_active`` None:
    unchanged), keeping their team-manager group membership in step and running the handlers
    registered with ``on_access_change`` (cases ends the allocations outside the new team or
    role). Each change writes its own event, is told to the managers of the old and new team
    (and administrators, for the privileged roles), and ends all the person's sessions and API
    tokens: what they may reach has changed, so they sign in again. Nobody may change their
    own."""
    original = user
    user = User.objects.select_for_update(of=("self",)).select_related("team").get(pk=user.pk)
    _check_team(role, team)
    if is_active is None:
        is_active = user.is_active
    old_role, old_team, was_active = user.role, user.team, user.is_active
    new_team_id = team.pk if team else None
    changes = []
    if role != old_role:
        changes.append((EventKind.USER_ROLE_CHANGED, {"from": old_role, "to": role}))
    if new_team_id != user.team_id:
        changes.append((EventKind.USER_TEAM_CHANGED, {"from": user.team_id, "to": new_team_id}))
    if is_active != was_active:
        kind = EventKind.USER_REACTIVATED if is_active else EventKind.USER_DEACTIVATED
        changes.append((kind, {}))
    if changes and actor is not None and actor.pk == user.pk:
        raise ApplicationError(NOT_YOURSELF)
    user.role = role
    user.team = team
    user.is_active = is_active
    user.is_staff = role == Role.ADMINISTRATOR
    user._history_user = actor
    user.full_clean()
    user.save()
    _sync_manager_group(user)
    for handler in _access_change_handlers:
        handler(actor=actor, user=user)
    events = [
        event_record(actor=actor, kind=kind, target=user, detail=detail) for kind, detail in changes
    ]
    if events:
        user_sessions_end(actor=actor, user=user, reason=events[0].kind)
        original.session_epoch = user.session_epoch
        _account_change_tell(
            actor=actor,
            user=user,
            event=events[0],
            summary=_change_summary(user, old_role, old_team, was_active),
            teams=[old_team, team],
            roles=[old_role, role],
        )
    return user


def _change_summary(user: User, old_role: str, old_team: Team | None, was_active: bool) -> str:
    parts = []
    if user.role != old_role:
        parts.append(f"now {_role_label(user.role)} (was {_role_label(old_role)})")
    if user.team_id != (old_team.pk if old_team else None):
        before = old_team.name if old_team else "no team"
        parts.append(f"moved to {user.team.name if user.team else 'no team'} from {before}")
    if user.is_active != was_active:
        parts.append("account switched back on" if user.is_active else "account switched off")
    return f"{user}: " + "; ".join(parts)
