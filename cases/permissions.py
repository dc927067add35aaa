"""The only code that decides who may see or change a young person's record.

* A worker allocated to a young person holds ``view`` and ``change`` on that record as guardian
  user-object permissions.
* The team holding the case grants ``view``, ``change`` and ``view_access_log`` to its managers
  through the team's managers group (guardian group-object permissions).
* Nobody holds these as global (model-level) permissions: every check passes
  ``accept_global_perms=False`` and superusers get no bypass, so an administrator sees no child.

Grants and revocations are made only by the allocation services in cases/services/young_people.py.
"""

from __future__ import annotations

from django.db.models import QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm

from csafe.accounts import permissions as role_permissions

from .models import YoungPerson, YoungPersonGroupObjectPermission, YoungPersonUserObjectPermission

VIEW = "cases.view_youngperson"
CHANGE = "cases.change_youngperson"
VIEW_ACCESS_LOG = "cases.view_access_log"

WORKER_PERMS = (VIEW, CHANGE)
TEAM_MANAGER_PERMS = (VIEW, CHANGE, VIEW_ACCESS_LOG)


def young_people_visible_to(user, perm: str = VIEW) -> QuerySet[YoungPerson]:
    """Young people on which ``user`` holds ``perm`` through an allocation, and no others.

    The rows guardian's ``get_objects_for_user`` would read (the user's own object permissions
    and their groups'), but as one ``id IN (... UNION ALL ...)``: guardian writes
    ``id IN (...) OR id IN (...)``, which PostgreSQL can only answer by scanning every young
    person (108 ms for a caseload of 17 among 200,000; 0.5 ms this way; docs/benchmarks.md).
    """
    if not user.is_authenticated or not user.is_active:
        return YoungPerson.objects.none()
    app_label, codename = perm.split(".")
    permission = {
        "permission__codename": codename,
        "permission__content_type__app_label": app_label,
    }
    own = YoungPersonUserObjectPermission.objects.filter(user=user, **permission)
    teams = YoungPersonGroupObjectPermission.objects.filter(group__user=user, **permission)
    granted = own.values("content_object_id").union(teams.values("content_object_id"), all=True)
    return YoungPerson.objects.filter(pk__in=granted)


def perms_held(user, young_person: YoungPerson) -> set[str]:
    """Every permission (as "cases.codename") ``user`` holds on one record, read in two queries,
    for pages that need several answers about the same record."""
    if not user.is_authenticated or not user.is_active:
        return set()
    # Not ``checker.get_perms`` or ``has_perm``: guardian answers those with every permission for
    # a superuser. Only the rows actually assigned to the user and their groups count.
    checker = ObjectPermissionChecker(user)
    assigned = {*checker.get_user_perms(young_person), *checker.get_group_perms(young_person)}
    return {f"cases.{codename}" for codename in assigned}


def user_has_perm(user, perm: str, young_person: YoungPerson) -> bool:
    """Object-level check for one record."""
    return perm in perms_held(user, young_person)


def grant_worker(worker, young_person: YoungPerson) -> None:
    for perm in WORKER_PERMS:
        assign_perm(perm, worker, young_person)


def revoke_worker(worker, young_person: YoungPerson) -> None:
    for perm in WORKER_PERMS:
        remove_perm(perm, worker, young_person)


def grant_team(team, young_person: YoungPerson) -> None:
    for perm in TEAM_MANAGER_PERMS:
        assign_perm(perm, team.managers_group, young_person)


def revoke_team(team, young_person: YoungPerson) -> None:
    for perm in TEAM_MANAGER_PERMS:
        remove_perm(perm, team.managers_group, young_person)


def can_allocate(actor, young_person: YoungPerson) -> bool:
    """Team managers allocate work on the cases their own team holds."""
    return (
        actor is not None
        and role_permissions.manages_a_team(actor)
        and young_person.team_id == actor.team_id
    )


def can_be_allocated(worker, young_person: YoungPerson) -> bool:
    """Only active practitioners and team managers in the team holding the case."""
    return (
        worker.is_active
        and role_permissions.can_use_caseload(worker)
        and worker.team_id is not None
        and worker.team_id == young_person.team_id
    )


def can_open_case(actor) -> bool:
    """Practitioners and team managers open records for their own team."""
    return (
        actor is not None and role_permissions.can_use_caseload(actor) and actor.team_id is not None
    )


def can_authorise_assessment(actor, young_person: YoungPerson) -> bool:
    """Only a team manager of the team holding the case signs off its assessments."""
    return can_allocate(actor, young_person)


def can_record_oversight(user, young_person: YoungPerson) -> bool:
    """Management oversight is recorded by a team manager of the team holding the case, or by a
    service manager who holds access to the record (none does by default: they read aggregates).
    Everyone who may view the record reads its oversight notes; a practitioner records none."""
    if user is None or not user.is_active:
        return False
    if can_allocate(user, young_person):
        return True
    return role_permissions.is_service_manager(user) and user_has_perm(user, VIEW, young_person)


def sees_but_cannot_authorise_assessments(user, young_person_pk: int) -> bool:
    """Whether ``user`` may view record ``young_person_pk`` but may not authorise or return its
    assessments (not a team manager of the holding team). Read without fetching the record
    through the access door, so a caller refused on this answer leaves no access-log row."""
    visible = young_people_visible_to(user).filter(pk=young_person_pk).only("pk", "team_id").first()
    return visible is not None and not can_authorise_assessment(user, visible)


def can_sign_off_plan(user, young_person: YoungPerson) -> bool:
    """Only a team manager of the team holding the case signs off (or returns) a plan of a kind
    that needs sign-off, as for authorising its assessments."""
    return can_authorise_assessment(user, young_person)


def sees_but_cannot_sign_off_plans(user, young_person_pk: int) -> bool:
    """Whether ``user`` may view record ``young_person_pk`` but may not sign off or return its
    plans. Read without fetching the record through the access door, so a caller refused on
    this answer leaves no access-log row."""
    visible = young_people_visible_to(user).filter(pk=young_person_pk).only("pk", "team_id").first()
    return visible is not None and not can_sign_off_plan(user, visible)


def can_configure_plan_sign_off(user) -> bool:
    """Which kinds of plan need a team manager's sign-off is an administrator's configuration."""
    return role_permissions.can_configure(user)


def can_change_flags(user, young_person: YoungPerson) -> bool:
    """Harm flags belong to the young person's record: changing them needs the same object
    permission as changing the record."""
    return user_has_perm(user, CHANGE, young_person)
