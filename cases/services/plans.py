"""Plans: drafting, editing, actions and their progress, contextual factors left open on purpose,
finalising, reviewing and ending.

A plan is made from the young person's latest authorised assessment and must answer each of its
contextual factors, with an action or with a reason for leaving it ("not addressed"), before it
can be finalised (draft -> in force) or reviewed. When a newer assessment is authorised, the plan
can be neither until it is made to answer that one (``plan_assessment_update``) and its factors
are answered in turn. A young person has at most one plan of each kind
in draft or in force, which the database also holds (``one_current_plan_per_kind``). An ended
plan is read-only.

A plan of a kind the administrator marks as needing sign-off (``PlanSignOffRule``: child in need
and early help plans by default) is not finalised by the practitioner: it is submitted for
sign-off (draft -> awaiting sign-off, read-only while it waits), and a team manager of the team
holding the case either signs it off with their reasoning, which puts it in force, or returns it
to draft saying what more is needed. A child protection plan is made at a child protection
conference: putting one in force (or submitting it, should its kind need sign-off) records the
conference's date, which may be neither in the future nor after the plan's start date (the plan
starts at or after the conference that made it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import check_not_future, long_date
from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.versioning import locked, require_version, versioned_save
from csafe.core.vocabulary import ContextKind, context_kind_label, peer_group_word

from .. import permissions
from ..models import (
    Assessment,
    ContextualFactor,
    Plan,
    PlanAction,
    PlanFactorGap,
    PlanReview,
    YoungPerson,
)
from ..reference import ActionProgress, PartnerAgency, PlanKind, PlanStatus
from ..selectors import plans as plan_selectors
from .progress import progress_apply
from .young_people import lock_for_change

FACTOR_NOT_ON_PLAN = "Choose one of the contextual factors of the assessment this plan answers"
ALREADY_LATEST = "This plan already answers the latest authorised assessment"
NO_AUTHORISED_ASSESSMENT = "This young person has no authorised assessment for the plan to answer"
# The name of the button (and API action) that makes a plan answer the latest assessment.
ANSWER_LATEST_ACTION = "Answer the latest assessment"
OWNER_MAX_LENGTH = PlanAction._meta.get_field("owner").max_length
OWNER_TOO_LONG = f"Who is responsible must be {OWNER_MAX_LENGTH} characters or fewer"
CONFLICT_MESSAGE = (
    "Someone else changed this plan after you opened it. Your changes have not been saved: "
    "check the plan as it is now and make them again."
)
AWAITING_SIGN_OFF_MESSAGE = (
    "This plan is awaiting sign-off, so it cannot be changed until a team manager signs it off "
    "or returns it"
)
SIGN_OFF_REFUSED_MESSAGE = (
    "Only a team manager of the team holding this case can sign off its plans"
)
RETURN_REFUSED_MESSAGE = "Only a team manager of the team holding this case can return its plans"
NOT_AWAITING_SIGN_OFF_MESSAGE = "Only a plan awaiting sign-off can be signed off or returned"
ONLY_DRAFT_SUBMITTED_MESSAGE = "Only a draft plan can be submitted for sign-off"
ENTER_SIGN_OFF_REASON = "Enter your reasoning for signing off the plan"
ENTER_RETURN_REASON = "Say what more is needed"
ENTER_CONFERENCE_DATE = "Enter the date of the child protection conference"
CONFERENCE_DATE_LABEL = "The date of the child protection conference"


def needs_sign_off_message(kind: str) -> str:
    return (
        f"A {PlanKind(kind).label.lower()} plan goes into force when a team manager of the team "
        "holding the case signs it off: submit it for sign-off"
    )


def no_sign_off_needed_message(kind: str) -> str:
    return (
        f"A {PlanKind(kind).label.lower()} plan does not need sign-off: finalise it to put it in "
        "force"
    )


def _begin(actor: User, plan: Plan) -> Plan:
    """Lock the record, then the plan (always in that order, as every record service does, so
    two writers cannot deadlock), check the actor may change it, and return the fresh plan."""
    young_person = lock_for_change(actor, plan.young_person)
    plan = locked(plan)
    plan.young_person = young_person
    return plan


def _require_not_ended(plan: Plan, message: str) -> None:
    if plan.status == PlanStatus.ENDED:
        raise ApplicationError(message, code="locked")


def _require_not_awaiting_sign_off(plan: Plan) -> None:
    """A plan awaiting sign-off is read-only: the manager signs off what was submitted."""
    if plan.status == PlanStatus.SUBMITTED:
        raise ApplicationError(AWAITING_SIGN_OFF_MESSAGE, code="awaiting_sign_off")


def _require_changeable(plan: Plan, ended_message: str) -> None:
    _require_not_ended(plan, ended_message)
    _require_not_awaiting_sign_off(plan)


def newer_assessment_message(newer: Assessment, doing: str) -> str:
    """ "The plan cannot be <doing> until it answers the latest assessment, authorised on ...",
    saying what to do about it."""
    return (
        f"The plan cannot be {doing} until it answers the latest assessment, authorised on "
        f'{long_date(newer.authorised_on)}. Choose "{ANSWER_LATEST_ACTION}" on the plan, '
        "then answer each of that assessment's contextual factors."
    )


def _require_latest_assessment(plan: Plan, doing: str) -> None:
    newer = plan_selectors.newer_assessment(plan)
    if newer is not None:
        raise ApplicationError(newer_assessment_message(newer, doing), code="newer_assessment")


def _check_review_after_start(start_date: date, review_date: date) -> None:
    if review_date < start_date:
        raise ApplicationError(
            "The next review date must be the same as or after the start date "
            f"({long_date(start_date)})",
            field="review_date",
        )


def _current_plan_of_kind(young_person: YoungPerson, kind: str) -> Plan | None:
    return Plan.objects.filter(
        young_person=young_person,
        kind=kind,
        status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.ACTIVE],
    ).first()


def _one_current_plan_message(kind: str) -> str:
    return (
        f"This young person already has a {PlanKind(kind).label.lower()} plan in draft, awaiting "
        "sign-off or in force. Change that plan, or end it before starting another."
    )


def open_factors_message(factors: Sequence[ContextualFactor], doing: str) -> str:
    """ "The plan cannot be <doing> while 2 contextual factors are open (...)". Names each."""
    count = len(factors)
    noun = "contextual factor is" if count == 1 else "contextual factors are"
    word = peer_group_word()
    named = "; ".join(f"{context_kind_label(f.domain, word)}: {f.description}" for f in factors)
    return (
        f"The plan cannot be {doing} while {count} {noun} open ({named}). Answer each one with "
        "an action, or mark it as not addressed and say why."
    )


@transaction.atomic
def plan_create(
    *,
    actor: User,
    young_person: YoungPerson,
    kind: str,
    start_date: date,
    review_date: date,
    summary: str = "",
) -> Plan:
    """Draft a plan. It answers the young person's latest authorised assessment (none if there
    is none). One plan of each kind may be in draft or in force at a time."""
    young_person = lock_for_change(actor, young_person)
    if kind not in PlanKind.values:
        raise ApplicationError("Choose the kind of plan", field="kind")
    _check_review_after_start(start_date, review_date)
    if _current_plan_of_kind(young_person, kind) is not None:
        raise ApplicationError(_one_current_plan_message(kind), field="kind")
    plan = Plan(
        young_person=young_person,
        assessment=plan_selectors.latest_authorised_assessment(young_person=young_person),
        kind=kind,
        start_date=start_date,
        review_date=review_date,
        summary=summary.strip(),
        created_by=actor,
    )
    plan._history_user = actor
    # The constraints were checked above, each with its own message; the database holds them
    # too, and the one-current-plan rule is answered below if a race reaches it.
    plan.full_clean(validate_constraints=False)
    try:
        # A savepoint, so that a refused insert leaves the outer transaction usable.
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:
        # Another plan of this kind was saved between the check above and this insert. Look
        # again (the savepoint has been rolled back, so the query is allowed) to tell that
        # apart from any other integrity failure, which is a bug and stays one.
        if _current_plan_of_kind(young_person, kind) is None:
            raise
        raise ApplicationError(_one_current_plan_message(kind), field="kind") from error
    event_record(
        actor=actor,
        kind=EventKind.PLAN_CREATED,
        target=plan,
        young_person=young_person,
        detail={"kind": kind, "assessment": plan.assessment_id},
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: Plan,
    expected_version: int | None = None,
    start_date: date | None = None,
    review_date: date | None = None,
    summary: str | None = None,
) -> Plan:
    """Change a draft or in-force plan's dates and summary (its kind is fixed). ``expected_version``
    is the version the editor loaded; a mismatch means someone saved in between, and nothing is
    saved."""
    plan = _begin(actor, plan)
    require_version(plan, expected_version, CONFLICT_MESSAGE)
    _require_changeable(plan, "This plan has ended, so it can no longer be changed")
    new_start = start_date if start_date is not None else plan.start_date
    new_review = review_date if review_date is not None else plan.review_date
    new_summary = summary.strip() if summary is not None else plan.summary
    _check_review_after_start(new_start, new_review)
    changed = [
        name
        for name, value in (
            ("start_date", new_start),
            ("review_date", new_review),
            ("summary", new_summary),
        )
        if getattr(plan, name) != value
    ]
    if not changed:
        return plan
    plan.start_date, plan.review_date, plan.summary = new_start, new_review, new_summary
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_UPDATED,
        target=plan,
        young_person=plan.young_person,
        detail={"fields": changed},
    )
    return plan


@transaction.atomic
def plan_assessment_update(*, actor: User, plan: Plan) -> Plan:
    """Make a draft or in-force plan answer the young person's latest authorised assessment,
    when one was authorised after the plan was made: its contextual factors are then the ones
    the plan must answer (each open until an action answers it or it is marked not addressed)
    before the plan can be finalised or reviewed. Actions and "not addressed" records made for
    the earlier assessment's factors stay on the plan as they were."""
    plan = _begin(actor, plan)
    _require_changeable(plan, "This plan has ended, so it can no longer be changed")
    latest = plan_selectors.latest_authorised_assessment(young_person=plan.young_person)
    if latest is None:
        raise ApplicationError(NO_AUTHORISED_ASSESSMENT)
    if latest.pk == plan.assessment_id:
        raise ApplicationError(ALREADY_LATEST)
    previous = plan.assessment_id
    plan.assessment = latest
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_UPDATED,
        target=plan,
        young_person=plan.young_person,
        detail={"fields": ["assessment"], "assessment": latest.pk, "previous": previous},
    )
    return plan


def _check_factor_on_plan(plan: Plan, factor: ContextualFactor) -> None:
    if (
        plan.assessment_id is None
        or factor.assessment_id != plan.assessment_id
        or factor.withdrawn_at is not None
    ):
        raise ApplicationError(FACTOR_NOT_ON_PLAN, field="factor")


def _withdraw_gap(*, actor: User, plan: Plan, factor_id: int) -> PlanFactorGap | None:
    """Withdraw the plan's current "not addressed" record for the factor, if any: an action now
    answers it."""
    gap = (
        PlanFactorGap.objects.select_for_update()
        .filter(plan=plan, factor_id=factor_id, withdrawn_at__isnull=True)
        .first()
    )
    if gap is not None:
        gap.withdrawn_at = timezone.now()
        gap._history_user = actor
        gap.save(update_fields=["withdrawn_at"])
    return gap


@transaction.atomic
def plan_action_add(
    *,
    actor: User,
    plan: Plan,
    description: str,
    owner: str,
    due_date: date | None = None,
    is_contextual: bool = False,
    target_context_kind: str = "",
    partner_agency: str = "",
    factor: ContextualFactor | None = None,
) -> PlanAction:
    """Add an action to a draft or in-force plan. A contextual action targets a kind of context
    and relies on a partner agency; it may answer one of the contextual factors of the plan's
    assessment, which withdraws any "not addressed" record the plan had for that factor."""
    plan = _begin(actor, plan)
    _require_changeable(plan, "This plan has ended, so actions can no longer be added")
    if not description.strip():
        raise ApplicationError("Describe the action", field="description")
    owner = owner.strip()
    if not owner:
        raise ApplicationError("Enter who is responsible for the action", field="owner")
    if len(owner) > OWNER_MAX_LENGTH:
        raise ApplicationError(OWNER_TOO_LONG, field="owner")
    if is_contextual:
        if target_context_kind not in ContextKind.values:
            raise ApplicationError(
                "Choose the context the action targets", field="target_context_kind"
            )
        if partner_agency not in PartnerAgency.values:
            raise ApplicationError("Choose the partner agency", field="partner_agency")
    else:
        if factor is not None:
            raise ApplicationError(
                "Only a contextual action can answer a contextual factor", field="factor"
            )
        if target_context_kind or partner_agency:
            raise ApplicationError(
                "Only a contextual action has a target context and a partner agency",
                field="is_contextual",
            )
    if factor is not None:
        _check_factor_on_plan(plan, factor)
    action = PlanAction(
        plan=plan,
        young_person=plan.young_person,
        description=description.strip(),
        is_contextual=is_contextual,
        target_context_kind=target_context_kind if is_contextual else "",
        partner_agency=partner_agency if is_contextual else "",
        factor=factor,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    action._history_user = actor
    action.full_clean()
    action.save()
    gap = _withdraw_gap(actor=actor, plan=plan, factor_id=factor.pk) if factor else None
    versioned_save(plan, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.PLAN_ACTION_ADDED,
        target=action,
        young_person=plan.young_person,
        detail={
            "plan": plan.pk,
            "contextual": is_contextual,
            "factor": factor.pk if factor else None,
            "gap_withdrawn": gap.pk if gap else None,
        },
    )
    return action


@transaction.atomic
def plan_action_update_progress(
    *,
    actor: User,
    action: PlanAction,
    progress: str,
    note: str = "",
    completed_on: date | None = None,
) -> PlanAction:
    """Record progress on an action of a draft or in-force plan. A done action needs the date it
    was done. A stopped action no longer answers its factor; restarting one answers it again
    (and withdraws any "not addressed" record made for the factor in between)."""
    plan = _begin(actor, action.plan)
    action = locked(action, plan=plan)
    _require_changeable(plan, "This plan has ended, so its actions can no longer be updated")
    previous = progress_apply(action, progress=progress, note=note, completed_on=completed_on)
    if previous is None:
        return action
    action._history_user = actor
    action.full_clean()
    action.save()
    gap = None
    # Stopping or restarting an action that answers a factor changes what the plan answers.
    if action.factor_id and (previous == ActionProgress.STOPPED) != (
        progress == ActionProgress.STOPPED
    ):
        if progress != ActionProgress.STOPPED:
            gap = _withdraw_gap(actor=actor, plan=plan, factor_id=action.factor_id)
        versioned_save(plan, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.PLAN_ACTION_PROGRESS,
        target=action,
        young_person=plan.young_person,
        detail={
            "plan": plan.pk,
            "from": previous,
            "progress": progress,
            "gap_withdrawn": gap.pk if gap else None,
        },
    )
    return action


@transaction.atomic
def plan_factor_not_addressed(
    *, actor: User, plan: Plan, factor: ContextualFactor, reason: str
) -> PlanFactorGap:
    """Mark a contextual factor as one the plan does not address, with the reason. Marking it
    again replaces the reason (the earlier record is withdrawn, not deleted). A factor an action
    answers cannot be marked."""
    plan = _begin(actor, plan)
    _require_changeable(plan, "This plan has ended, so it can no longer be changed")
    _check_factor_on_plan(plan, factor)
    if not reason.strip():
        raise ApplicationError("Explain why the plan does not address this factor", field="reason")
    answered = (
        PlanAction.objects.filter(plan=plan, factor=factor)
        .exclude(progress=ActionProgress.STOPPED)
        .exists()
    )
    if answered:
        raise ApplicationError(
            "An action on this plan answers this factor, so it cannot be marked as not addressed",
            field="reason",
        )
    previous = _withdraw_gap(actor=actor, plan=plan, factor_id=factor.pk)
    gap = PlanFactorGap(plan=plan, factor=factor, reason=reason.strip(), recorded_by=actor)
    gap._history_user = actor
    gap.full_clean()
    gap.save()
    versioned_save(plan, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.PLAN_FACTOR_NOT_ADDRESSED,
        target=gap,
        young_person=plan.young_person,
        detail={
            "plan": plan.pk,
            "factor": factor.pk,
            "replaces": previous.pk if previous else None,
        },
    )
    return gap


def _check_conference_date(plan: Plan, conference_date: date | None) -> None:
    """A child protection plan records the date of the conference that made it: required, not
    in the future, and not after the plan's start date. Other kinds record none."""
    if plan.kind != PlanKind.CHILD_PROTECTION:
        if conference_date is not None:
            raise ApplicationError(
                "Only a child protection plan records a conference date", field="conference_date"
            )
        return
    if conference_date is None:
        raise ApplicationError(ENTER_CONFERENCE_DATE, field="conference_date")
    check_not_future(conference_date, "conference_date", CONFERENCE_DATE_LABEL)
    if conference_date > plan.start_date:
        raise ApplicationError(
            f"{CONFERENCE_DATE_LABEL} must be the same as or before the plan's start date "
            f"({long_date(plan.start_date)})",
            field="conference_date",
        )


def _require_ready_to_go_into_force(plan: Plan, doing: str) -> None:
    _require_latest_assessment(plan, doing)
    still_open = plan_selectors.open_factors(plan)
    if still_open:
        raise ApplicationError(open_factors_message(still_open, doing), code="open_factors")


@transaction.atomic
def plan_finalise(
    *,
    actor: User,
    plan: Plan,
    finalised_on: date | None = None,
    conference_date: date | None = None,
) -> Plan:
    """Put a draft plan in force, today or on the (past) date it was agreed, when it is being
    recorded afterwards. Refused while a newer authorised assessment than the plan's exists
    (see ``plan_assessment_update``), while any contextual factor is open, and for a kind that
    needs a team manager's sign-off (``plan_submit``). A child protection plan needs the date of
    its conference (``_check_conference_date``)."""
    plan = _begin(actor, plan)
    if plan.status == PlanStatus.ACTIVE:
        raise ApplicationError("This plan is already in force")
    _require_not_ended(plan, "This plan has ended, so it can no longer be finalised")
    _require_not_awaiting_sign_off(plan)
    if plan_selectors.plan_kind_needs_sign_off(plan.kind):
        raise ApplicationError(needs_sign_off_message(plan.kind), code="needs_sign_off")
    _require_ready_to_go_into_force(plan, "finalised")
    _check_conference_date(plan, conference_date)
    if finalised_on is not None:
        check_not_future(finalised_on, "finalised_on", "The date the plan was agreed")
    if conference_date is not None:
        plan.conference_date = conference_date
    plan.status = PlanStatus.ACTIVE
    plan.finalised_on = finalised_on or timezone.localdate()
    plan.finalised_by = actor
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_FINALISED,
        target=plan,
        young_person=plan.young_person,
        detail={"finalised_on": plan.finalised_on.isoformat()},
    )
    return plan


@transaction.atomic
def plan_review(
    *,
    actor: User,
    plan: Plan,
    reviewed_on: date,
    next_review_date: date,
    summary: str,
) -> PlanReview:
    """Record a review of a plan in force and set its next review date. Refused while a newer
    authorised assessment than the plan's exists (see ``plan_assessment_update``) and while any
    contextual factor is open (one whose only actions have been stopped, for example)."""
    plan = _begin(actor, plan)
    _require_not_ended(plan, "This plan has ended, so it can no longer be reviewed")
    if plan.status != PlanStatus.ACTIVE:
        raise ApplicationError("Finalise the plan before reviewing it")
    if reviewed_on < plan.start_date:
        raise ApplicationError(
            "The date of the review must be the same as or after the plan's start date "
            f"({long_date(plan.start_date)})",
            field="reviewed_on",
        )
    check_not_future(reviewed_on, "reviewed_on", "The date of the review")
    if next_review_date <= reviewed_on:
        raise ApplicationError(
            "The next review date must be after the date of the review", field="next_review_date"
        )
    if not summary.strip():
        raise ApplicationError("Summarise what the review found", field="summary")
    _require_latest_assessment(plan, "reviewed")
    still_open = plan_selectors.open_factors(plan)
    if still_open:
        raise ApplicationError(open_factors_message(still_open, "reviewed"), code="open_factors")
    review = PlanReview(
        plan=plan,
        reviewed_on=reviewed_on,
        next_review_date=next_review_date,
        summary=summary.strip(),
        reviewed_by=actor,
    )
    review._history_user = actor
    review.full_clean()
    review.save()
    plan.review_date = next_review_date
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_REVIEWED,
        target=plan,
        young_person=plan.young_person,
        detail={
            "review": review.pk,
            "reviewed_on": reviewed_on.isoformat(),
            "next_review_date": next_review_date.isoformat(),
        },
    )
    return review


@transaction.atomic
def plan_end(*, actor: User, plan: Plan, ended_on: date, reason: str) -> Plan:
    """End a draft, awaiting sign-off or in-force plan, with the date and the reason (a plan
    awaiting sign-off may end before a manager reaches it: the case closes, or the child moves
    away). An ended plan is read-only, and another plan of its kind may then be drafted."""
    plan = _begin(actor, plan)
    if plan.status == PlanStatus.ENDED:
        raise ApplicationError("This plan has already ended", code="locked")
    if ended_on < plan.start_date:
        raise ApplicationError(
            "The end date must be the same as or after the plan's start date "
            f"({long_date(plan.start_date)})",
            field="ended_on",
        )
    check_not_future(ended_on, "ended_on", "The end date")
    if not reason.strip():
        raise ApplicationError("Explain why the plan is ending", field="reason")
    previous = plan.status
    plan.status = PlanStatus.ENDED
    plan.ended_on = ended_on
    plan.end_reason = reason.strip()
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_ENDED,
        target=plan,
        young_person=plan.young_person,
        detail={"from": previous, "ended_on": ended_on.isoformat()},
    )
    return plan


# --- Sign-off ----------------------------------------------------------------------------------


def _notify_on_commit(task, plan: Plan) -> None:
    """Queue ``task`` for the plan as saved now, once the transaction commits (a rolled-back
    change tells no one). The version names this submission or return in the dedupe key."""
    from .. import tasks

    plan_id, version = plan.pk, plan.version
    transaction.on_commit(lambda: getattr(tasks, task).delay(plan_id, version))


@transaction.atomic
def plan_submit(
    *,
    actor: User,
    plan: Plan,
    conference_date: date | None = None,
    submitted_on: date | None = None,
) -> Plan:
    """Submit a draft plan of a kind that needs sign-off to the holding team's managers: it
    awaits sign-off, read-only, until one of them signs it off or returns it. Refused as
    finalising is (a newer assessment, an open factor; a child protection plan without its
    conference date). ``submitted_on`` (today unless given) is for a plan recorded afterwards.
    The team's managers are told, in the app and by e-mail, once the submission is saved."""
    plan = _begin(actor, plan)
    _require_not_ended(plan, "This plan has ended, so it can no longer be submitted for sign-off")
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(ONLY_DRAFT_SUBMITTED_MESSAGE)
    if not plan_selectors.plan_kind_needs_sign_off(plan.kind):
        raise ApplicationError(no_sign_off_needed_message(plan.kind), code="no_sign_off_needed")
    _require_ready_to_go_into_force(plan, "submitted for sign-off")
    _check_conference_date(plan, conference_date)
    if submitted_on is not None:
        check_not_future(submitted_on, "submitted_on", "The date submitted")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_on = submitted_on or timezone.localdate()
    plan.submitted_by = actor
    plan.conference_date = conference_date
    # What the last return asked for is answered by this submission (its history keeps it).
    plan.returned_on, plan.returned_by, plan.return_reason = None, None, ""
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_SUBMITTED,
        target=plan,
        young_person=plan.young_person,
        detail={"submitted_on": plan.submitted_on.isoformat()},
    )
    _notify_on_commit("plan_sign_off_requested_notify", plan)
    return plan


def _begin_as_manager(actor: User, plan: Plan, refused: str, expected_version: int | None):
    young_person = locked(plan.young_person)
    plan = locked(plan)
    plan.young_person = young_person
    if not permissions.can_sign_off_plan(actor, young_person):
        raise ForbiddenError(refused)
    require_version(plan, expected_version, CONFLICT_MESSAGE)
    if plan.status != PlanStatus.SUBMITTED:
        raise ApplicationError(NOT_AWAITING_SIGN_OFF_MESSAGE)
    return plan


@transaction.atomic
def plan_sign_off(
    *,
    actor: User,
    plan: Plan,
    reason: str,
    signed_off_on: date | None = None,
    expected_version: int | None = None,
) -> Plan:
    """A team manager of the holding team signs off a plan awaiting sign-off, with their
    reasoning: it is in force from the date signed off (today unless given, for a sign-off
    recorded afterwards), finalised by the manager. Refused to anyone else (ForbiddenError),
    and while an assessment authorised since the submission is not yet answered.
    ``expected_version`` is the version the manager read: a plan returned and submitted again
    in between is a ConflictError, so a manager signs off only what they have read."""
    plan = _begin_as_manager(actor, plan, SIGN_OFF_REFUSED_MESSAGE, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(ENTER_SIGN_OFF_REASON, field="reason")
    if signed_off_on is not None:
        if signed_off_on < plan.submitted_on:
            raise ApplicationError(
                "The date signed off must be the same as or after the date the plan was "
                f"submitted ({long_date(plan.submitted_on)})",
                field="signed_off_on",
            )
        check_not_future(signed_off_on, "signed_off_on", "The date signed off")
    _require_ready_to_go_into_force(plan, "signed off")
    if plan.kind == PlanKind.CHILD_PROTECTION and plan.conference_date is None:
        raise ApplicationError(ENTER_CONFERENCE_DATE, field="conference_date")
    day = signed_off_on or timezone.localdate()
    plan.signed_off_on, plan.signed_off_by, plan.sign_off_reason = day, actor, reason
    plan.status, plan.finalised_on, plan.finalised_by = PlanStatus.ACTIVE, day, actor
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_SIGNED_OFF,
        target=plan,
        young_person=plan.young_person,
        detail={"finalised_on": day.isoformat()},
    )
    return plan


@transaction.atomic
def plan_return(
    *, actor: User, plan: Plan, reason: str, expected_version: int | None = None
) -> Plan:
    """A team manager of the holding team returns a plan awaiting sign-off to draft, saying what
    more is needed (kept on the plan, and shown there, until it is submitted again). Whoever
    submitted it is told once the return is saved. The audit event names only the plan."""
    plan = _begin_as_manager(actor, plan, RETURN_REFUSED_MESSAGE, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(ENTER_RETURN_REASON, field="reason")
    plan.status = PlanStatus.DRAFT
    plan.returned_on, plan.returned_by, plan.return_reason = timezone.localdate(), actor, reason
    versioned_save(plan, actor)
    event_record(
        actor=actor,
        kind=EventKind.PLAN_RETURNED,
        target=plan,
        young_person=plan.young_person,
    )
    _notify_on_commit("plan_returned_notify", plan)
    return plan
