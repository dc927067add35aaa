"""Background work for cases. Tasks load by id and are safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from csafe.core.dates import long_date
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create
from harms.models import FlagStatus, HarmFlag

from .models import Allocation, AllocationKind


# SMTP down (OSError): retried after about 1, 2, 4, 8 and 16 minutes (jittered), then given up
# and logged by Celery with the allocation id only.
@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def allocation_notify_worker(self, allocation_id: int) -> bool:
    """E-mail a worker that a case has been allocated to them.

    E-mail leaves the council's systems, so it carries the record's local identifier and a link,
    never the young person's name. Returns False when there is nothing to send (the allocation
    ended before the task ran, or the worker has no address).
    """
    allocation = (
        Allocation.objects.select_related("worker", "young_person")
        .filter(pk=allocation_id, ended_at__isnull=True)
        .first()
    )
    if allocation is None or not allocation.worker or not allocation.worker.email:
        return False
    path = reverse("cases:detail", args=[allocation.young_person_id])
    base = getattr(settings, "CSAFE_BASE_URL", "").rstrip("/")
    send_mail(
        subject=f"{settings.SERVICE_NAME}: a case has been allocated to you",
        message=(
            f"Hello {allocation.worker.first_name},\n\n"
            f"The case with local identifier {allocation.young_person.local_identifier} "
            f"has been allocated to you.\n\nSign in to see it: {base}{path}\n"
        ),
        from_email=None,
        recipient_list=[allocation.worker.email],
    )
    return True


@shared_task
def document_orphans_remove() -> int:
    """Remove stored files no document row names (left when an upload's transaction rolled back
    after the bytes were written). Run nightly by beat; idempotent."""
    from .services.documents import document_orphans_remove as remove

    return remove()


@shared_task
def flag_review_reminders() -> int:
    """Tell each allocated worker about flags past their review date (run daily by beat).

    Idempotent: the dedupe key names the flag, its review date and the worker, so running twice
    on a day, or every day until the flag is reviewed, sends one notification per review date.
    Returns how many new notifications were made.
    """
    today = timezone.localdate()
    workers = Prefetch(
        "young_person__allocations",
        queryset=Allocation.objects.filter(
            kind=AllocationKind.WORKER, ended_at__isnull=True
        ).select_related("worker"),
        to_attr="active_worker_allocations",
    )
    overdue = (
        # Closed cases are not worked, so their flags are not chased.
        HarmFlag.objects.filter(
            status=FlagStatus.ACTIVE, review_date__lt=today, young_person__status="open"
        )
        .select_related("harm_type", "young_person")
        .prefetch_related(workers)
        .order_by("pk")
    )
    created = 0
    for flag in overdue.iterator(chunk_size=500):
        record = flag.young_person
        for allocation in record.active_worker_allocations:
            _, was_created = notification_create(
                recipient=allocation.worker,
                kind=NotificationKind.FLAG_REVIEW_DUE,
                # Never the child's name: the local identifier and the harm type only.
                title=f"Harm flag review overdue for {record.local_identifier}",
                body=(
                    f"The {flag.harm_type} flag on {record.local_identifier} was due for review "
                    f"on {flag.review_date:%d %B %Y}."
                ),
                url=reverse("cases:detail", args=[record.pk]),
                dedupe_key=f"flag-review:{flag.pk}:{flag.review_date:%Y-%m-%d}:{allocation.worker_id}",
            )
            created += int(was_created)
    return created


def _assessment_at(assessment_id: int, version: int):
    """The assessment with its record and team, if it is still at ``version``: a task that runs
    after someone has acted on it again (authorised, returned, completed again) tells no one
    about a state that has passed."""
    from .models import Assessment

    return (
        Assessment.objects.select_related("young_person__team")
        .filter(pk=assessment_id, version=version)
        .first()
    )


@shared_task
def assessment_awaiting_notify(assessment_id: int, version: int) -> int:
    """Tell every active team manager of the team holding the case that a completed assessment
    awaits their authorisation, in the app and by e-mail (notification_create sends it).

    Idempotent: the dedupe key names the assessment, the version completion gave it and the
    manager, so a re-delivered task sends nothing more, and completing it again after a return
    (a new version) tells them again. Returns how many new notifications were made."""
    from csafe.accounts.models import User

    assessment = _assessment_at(assessment_id, version)
    if assessment is None or assessment.completed_on is None or assessment.authorised_on:
        return 0
    record = assessment.young_person
    if record.team is None:
        return 0
    # The team's managers group is what grants them the record (cases/permissions.py); a
    # manager who completed it themselves is not told of their own work.
    completer = _last_completer(assessment)
    managers = (
        User.objects.filter(groups=record.team.managers_group, is_active=True)
        .exclude(pk=getattr(completer, "pk", None))
        .order_by("pk")
    )
    created = 0
    for manager in managers:
        _, was_created = notification_create(
            recipient=manager,
            kind=NotificationKind.ASSESSMENT_AWAITING_AUTHORISATION,
            # Never the child's name: the local identifier only.
            title=f"Assessment for {record.local_identifier} awaits your authorisation",
            body=(
                f"The assessment on {record.local_identifier} started on "
                f"{long_date(assessment.started_on)} was completed on "
                f"{long_date(assessment.completed_on)} and needs a team manager's "
                "authorisation."
            ),
            url=reverse("cases:assessment_detail", args=[record.pk, assessment.pk]),
            dedupe_key=f"assessment-awaiting:{assessment.pk}:v{version}:{manager.pk}",
        )
        created += int(was_created)
    return created


def _last_completer(assessment):
    """Who last completed the assessment (the actor of its latest completion event), or None."""
    from csafe.audit.models import Event, EventKind

    event = (
        Event.objects.filter(
            kind=EventKind.ASSESSMENT_COMPLETED,
            young_person_id=assessment.young_person_id,
            target_id=str(assessment.pk),
        )
        .select_related("actor")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    return event.actor if event is not None else None


def _who_completed(assessment) -> list:
    """Whoever last completed the assessment, while they are active and may still see the
    record; otherwise (they left, or the case moved on) the workers allocated to it now."""
    from . import permissions

    completer = _last_completer(assessment)
    record = assessment.young_person
    if (
        completer is not None
        and completer.is_active
        and permissions.user_has_perm(completer, permissions.VIEW, record)
    ):
        return [completer]
    allocations = Allocation.objects.filter(
        young_person=record, kind=AllocationKind.WORKER, ended_at__isnull=True
    ).select_related("worker")
    return [a.worker for a in allocations.order_by("pk") if a.worker.is_active]


@shared_task
def assessment_returned_notify(assessment_id: int, version: int) -> int:
    """Tell the practitioner who completed an assessment that a team manager has returned it
    for more work (``_who_completed`` says who), in the app and by e-mail.

    Idempotent: the dedupe key names the assessment, the version the return gave it and the
    recipient. Returns how many new notifications were made."""
    assessment = _assessment_at(assessment_id, version)
    if assessment is None or assessment.returned_on is None or assessment.completed_on:
        return 0
    record = assessment.young_person
    created = 0
    for recipient in _who_completed(assessment):
        _, was_created = notification_create(
            recipient=recipient,
            kind=NotificationKind.WORK_RETURNED,
            # Never the child's name: the local identifier only.
            title=f"Assessment for {record.local_identifier} returned for more work",
            body=(
                f"A team manager returned the assessment on {record.local_identifier} started "
                f"on {long_date(assessment.started_on)}. It says what more is needed."
            ),
            url=reverse("cases:assessment_detail", args=[record.pk, assessment.pk]),
            dedupe_key=f"assessment-returned:{assessment.pk}:v{version}:{recipient.pk}",
        )
        created += int(was_created)
    return created


def _plan_notice_parts(plan) -> tuple[str, str]:
    """The plan's name for a notice (its kind and the record's local identifier, never the
    child's name) and the link to it."""
    record = plan.young_person
    named = f"{plan.get_kind_display()} plan for {record.local_identifier}"
    return named, reverse("cases:plan_detail", args=[record.pk, plan.pk])


@shared_task
def plan_sign_off_requested_notify(plan_id: int, version: int) -> int:
    """Tell every active team manager of the team holding the case (but the submitter) that a
    plan awaits their sign-off, in the app and by e-mail. Idempotent: the dedupe key names the
    plan, the version the submission saved and the manager, so a task run twice tells each once
    and a later submission (a new version) tells them again. Nothing is sent for a plan no
    longer awaiting sign-off. Returns how many notifications were made."""
    from csafe.accounts.models import User

    from .models import Plan
    from .reference import PlanStatus

    plan = (
        Plan.objects.select_related("young_person__team")
        .filter(pk=plan_id, status=PlanStatus.SUBMITTED)
        .first()
    )
    if plan is None or plan.young_person.team is None:
        return 0
    # The team's managers group is what grants them the record (cases/permissions.py).
    managers = (
        User.objects.filter(groups=plan.young_person.team.managers_group, is_active=True)
        .exclude(pk=plan.submitted_by_id)
        .order_by("pk")
    )
    named, url = _plan_notice_parts(plan)
    created = 0
    for manager in managers:
        _, was_created = notification_create(
            recipient=manager,
            kind=NotificationKind.PLAN_AWAITING_SIGN_OFF,
            title=f"{named} awaits your sign-off",
            body=(
                f"The {named} was submitted for sign-off on {long_date(plan.submitted_on)}. "
                "Sign it off with your reasoning, or return it saying what more is needed."
            ),
            url=url,
            dedupe_key=f"plan-sign-off:{plan.pk}:v{version}:{manager.pk}",
        )
        created += int(was_created)
    return created


@shared_task
def plan_returned_notify(plan_id: int, version: int) -> int:
    """Tell whoever submitted a plan that a team manager returned it for more work, in the app
    and by e-mail. Idempotent (the dedupe key names the plan, the version the return saved and
    the recipient); nothing is sent once the plan has been submitted again or has ended."""
    from .models import Plan
    from .reference import PlanStatus

    plan = (
        Plan.objects.select_related("young_person", "submitted_by")
        .filter(pk=plan_id, status=PlanStatus.DRAFT, returned_on__isnull=False)
        .first()
    )
    if plan is None or plan.submitted_by is None or not plan.submitted_by.is_active:
        return 0
    named, url = _plan_notice_parts(plan)
    _, was_created = notification_create(
        recipient=plan.submitted_by,
        kind=NotificationKind.WORK_RETURNED,
        title=f"{named} returned for more work",
        body=(
            f"A team manager returned the {named} on {long_date(plan.returned_on)}, saying what "
            "more is needed. Read their reasons on the plan."
        ),
        url=url,
        dedupe_key=f"plan-returned:{plan.pk}:v{version}:{plan.submitted_by_id}",
    )
    return int(was_created)
