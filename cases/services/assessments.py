"""Child and family assessments: starting, editing, contextual factors, CIN census factors,
completion, return and authorisation.

An assessment is editable while in progress. Completing it fixes its conclusion, outcome marker,
decision and CIN factors; a team manager of the holding team then authorises it, or returns it
for more work (which reopens it). Authorised assessments are read-only.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import check_not_future, long_date
from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.versioning import locked, require_version, versioned_save
from csafe.core.vocabulary import ContextKind
from harms.models import FlagStatus, HarmFlag
from harms.reference import CINFactor

from .. import permissions
from ..models import Assessment, AssessmentFactor, ContextualFactor, Referral, YoungPerson
from ..reference import AssessmentDecision, NatureOfHarm
from .young_people import lock_for_change

# The text fields a practitioner fills in while the assessment is in progress.
EDITABLE_TEXT_FIELDS = (
    "peers",
    "school",
    "neighbourhood",
    "online",
    "capacity_undermining",
    "capacity_boosting",
    "conclusion",
)

# Messages the pages also show before a request reaches the service (for instance on opening a
# form for an action the assessment's state no longer allows), so each is written once.
CONFLICT_MESSAGE = (
    "Someone else changed this assessment after you opened it. Your changes have not been "
    "saved: check the assessment as it is now and make them again."
)
LOCKED_MESSAGE = "This assessment has been completed, so it can no longer be changed"
AUTHORISE_REFUSED_MESSAGE = (
    "Only a team manager of the team holding this case can authorise its assessments"
)
RETURN_REFUSED_MESSAGE = (
    "Only a team manager of the team holding this case can return its assessments"
)
ALREADY_AUTHORISED_MESSAGE = "This assessment has already been authorised"
NOT_COMPLETED_MESSAGE = "The assessment must be completed before it can be authorised"
NOT_AWAITING_MESSAGE = "Only an assessment awaiting authorisation can be returned"
AUTHORISATION_REASON_REQUIRED = "Enter your reasoning for authorising the assessment"
RETURN_REASON_REQUIRED = "Say what more is needed"
NO_HARM_FACTORS_MESSAGE = (
    'When no harm was found, choose "No factors identified" and no other factor'
)
FACTOR_ALREADY_WITHDRAWN_MESSAGE = "This contextual factor has already been withdrawn"


def _require_in_progress(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise ApplicationError(LOCKED_MESSAGE, code="locked")


def _check_started_on(started_on: date, referral: Referral | None) -> None:
    check_not_future(started_on, "started_on", "The date started")
    if referral is not None and started_on < referral.received_on:
        raise ApplicationError(
            "The date started must be the same as or after the date the referral was received "
            f"({long_date(referral.received_on)})",
            field="started_on",
        )


def _clean_text(text: dict[str, str]) -> dict[str, str]:
    unknown = set(text) - set(EDITABLE_TEXT_FIELDS)
    if unknown:
        # A programming error, not a user's: callers pass only the prompts they offer.
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return {name: (value or "").strip() for name, value in text.items()}


@transaction.atomic
def assessment_start(
    *,
    actor: User,
    young_person: YoungPerson,
    started_on: date,
    referral: Referral | None = None,
    **text: str,
) -> Assessment:
    """Start an assessment, optionally from one of the young person's referrals (and not before
    that referral was received). ``text`` holds any of EDITABLE_TEXT_FIELDS."""
    young_person = lock_for_change(actor, young_person)
    if referral is not None and referral.young_person_id != young_person.pk:
        raise ApplicationError("Choose one of this young person's referrals", field="referral")
    _check_started_on(started_on, referral)
    assessment = Assessment(
        young_person=young_person,
        referral=referral,
        started_on=started_on,
        recorded_by=actor,
        **_clean_text(text),
    )
    assessment._history_user = actor
    assessment.full_clean()
    assessment.save()
    event_record(
        actor=actor,
        kind=EventKind.ASSESSMENT_STARTED,
        target=assessment,
        young_person=young_person,
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    assessment: Assessment,
    expected_version: int | None = None,
    started_on: date | None = None,
    **text: str,
) -> Assessment:
    """Change an in-progress assessment's start date and text. ``expected_version`` is the
    version the editor loaded; a mismatch means someone saved in between, and nothing is saved.
    A completed assessment is refused first: that is the more useful thing to be told."""
    young_person = lock_for_change(actor, assessment.young_person)
    assessment = locked(assessment)
    _require_in_progress(assessment)
    require_version(assessment, expected_version, CONFLICT_MESSAGE)
    text = _clean_text(text)
    changed = []
    if started_on is not None and started_on != assessment.started_on:
        _check_started_on(started_on, assessment.referral)
        assessment.started_on = started_on
        changed.append("started_on")
    for name, value in text.items():
        if getattr(assessment, name) != value:
            setattr(assessment, name, value)
            changed.append(name)
    if not changed:
        return assessment
    versioned_save(assessment, actor)
    event_record(
        actor=actor,
        kind=EventKind.ASSESSMENT_UPDATED,
        target=assessment,
        young_person=young_person,
        detail={"fields": changed},
    )
    return assessment


@transaction.atomic
def contextual_factor_add(
    *, actor: User, assessment: Assessment, domain: str, description: str
) -> ContextualFactor:
    """Record a contextual factor on an in-progress assessment."""
    young_person = lock_for_change(actor, assessment.young_person)
    assessment = locked(assessment)
    _require_in_progress(assessment)
    if domain not in ContextKind.values:
        raise ApplicationError("Choose the context the factor sits in", field="domain")
    description = (description or "").strip()
    if not description:
        raise ApplicationError("Describe the contextual factor", field="description")
    factor = ContextualFactor(
        assessment=assessment,
        young_person=young_person,
        domain=domain,
        description=description,
        recorded_by=actor,
    )
    factor._history_user = actor
    factor.full_clean()
    factor.save()
    # A factor changes what the assessment says, as a change of its text does.
    versioned_save(assessment, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.CONTEXTUAL_FACTOR_ADDED,
        target=factor,
        young_person=young_person,
        detail={"domain": domain, "assessment": assessment.pk},
    )
    return factor


@transaction.atomic
def contextual_factor_withdraw(*, actor: User, factor: ContextualFactor) -> ContextualFactor:
    """Withdraw a factor recorded in error, while its assessment is in progress. The row stays."""
    young_person = lock_for_change(actor, factor.young_person)
    assessment = locked(factor.assessment)
    _require_in_progress(assessment)
    factor = locked(factor)
    if factor.withdrawn_at is not None:
        raise ApplicationError(FACTOR_ALREADY_WITHDRAWN_MESSAGE)
    factor.withdrawn_at = timezone.now()
    factor.withdrawn_by = actor
    factor._history_user = actor
    factor.full_clean()
    factor.save()
    # A factor changes what the assessment says, as a change of its text does.
    versioned_save(assessment, actor, only=())
    event_record(
        actor=actor,
        kind=EventKind.CONTEXTUAL_FACTOR_WITHDRAWN,
        target=factor,
        young_person=young_person,
        detail={"assessment": assessment.pk},
    )
    return factor


def cin_factor_suggestions(*, young_person: YoungPerson, outcome_nature: str = "") -> list[str]:
    """CIN census factor codes suggested by the young person's current (active) harm flags,
    through the code the taxonomy gives each harm type; a type without a code suggests nothing.
    In the census's order. One query; the caller has checked access. An assessment that found
    no harm (``outcome_nature``) is suggested "No factors identified" (21) alone, as the census
    expects, whatever the flags say."""
    if outcome_nature == NatureOfHarm.NONE_FOUND:
        return [CINFactor.NO_FACTORS.value]
    codes = (
        HarmFlag.objects.filter(young_person=young_person, status=FlagStatus.ACTIVE)
        .exclude(harm_type__cin_code="")
        .values_list("harm_type__cin_code", flat=True)
        .distinct()
    )
    order = CINFactor.values
    return sorted({code for code in codes if code in order}, key=order.index)


@transaction.atomic
def assessment_complete(
    *,
    actor: User,
    assessment: Assessment,
    completed_on: date,
    conclusion: str,
    outcome_nature: str,
    decision: str,
    cin_factor_codes: list[str],
    expected_version: int | None = None,
) -> Assessment:
    """Complete the assessment: its conclusion, outcome nature-of-harm marker, decision and CIN
    census factors (at least one; "21" means no factors and stands alone). An assessment that
    found no harm carries 21 alone (given, or recorded when no factor is given). Then it waits
    for a team manager's authorisation, who is told after commit. Every rule is checked before
    anything is written."""
    young_person = lock_for_change(actor, assessment.young_person)
    assessment = locked(assessment)
    _require_in_progress(assessment)
    require_version(assessment, expected_version, CONFLICT_MESSAGE)
    if completed_on < assessment.started_on:
        raise ApplicationError(
            "The date completed must be the same as or after the date started "
            f"({long_date(assessment.started_on)})",
            field="completed_on",
        )
    check_not_future(completed_on, "completed_on", "The date completed")
    conclusion = (conclusion or "").strip()
    if not conclusion:
        raise ApplicationError("Enter the conclusion of the assessment", field="conclusion")
    if outcome_nature not in NatureOfHarm.values:
        raise ApplicationError("Choose the nature of the harm found", field="outcome_nature")
    if decision not in AssessmentDecision.values:
        raise ApplicationError("Choose the decision", field="decision")
    codes = list(dict.fromkeys(cin_factor_codes))
    unknown = [c for c in codes if c not in CINFactor.values]
    if unknown:
        raise ApplicationError(
            f"Not a CIN census factor code: {', '.join(unknown)}", field="cin_factors"
        )
    if not codes and outcome_nature == NatureOfHarm.NONE_FOUND:
        codes = [CINFactor.NO_FACTORS.value]
    if not codes:
        raise ApplicationError(
            'Choose the factors identified, or "No factors identified"', field="cin_factors"
        )
    if CINFactor.NO_FACTORS in codes and len(codes) > 1:
        raise ApplicationError(
            '"No factors identified" cannot be chosen with other factors', field="cin_factors"
        )
    if outcome_nature == NatureOfHarm.NONE_FOUND and codes != [CINFactor.NO_FACTORS]:
        raise ApplicationError(NO_HARM_FACTORS_MESSAGE, field="cin_factors")
    assessment.completed_on = completed_on
    assessment.conclusion = conclusion
    assessment.outcome_nature = outcome_nature
    assessment.decision = decision
    versioned_save(assessment, actor)
    # Codes kept from an earlier completion stay as they were; codes no longer chosen are
    # withdrawn (never deleted), so the census history of a returned assessment survives.
    now = timezone.now()
    kept = set()
    for row in assessment.cin_factors.select_for_update().filter(withdrawn_at__isnull=True):
        if row.code in codes:
            kept.add(row.code)
        else:
            row.withdrawn_at = now
            row._history_user = actor
            row.save()
    for code in codes:
        if code not in kept:
            row = AssessmentFactor(assessment=assessment, code=code)
            row._history_user = actor
            row.full_clean()
            row.save()
    event_record(
        actor=actor,
        kind=EventKind.ASSESSMENT_COMPLETED,
        target=assessment,
        young_person=young_person,
        detail={"outcome_nature": outcome_nature, "decision": decision, "cin_factors": codes},
    )
    version = assessment.version
    transaction.on_commit(lambda: _notify("assessment_awaiting_notify", assessment.pk, version))
    return assessment


def authorised_before_completion_message(completed_on) -> str:
    """The refusal of an authorisation dated before completion: the page's form checks it too,
    so it comes with every other error of the form at once."""
    return (
        "The date authorised must be the same as or after the date completed "
        f"({long_date(completed_on)})"
    )


@transaction.atomic
def assessment_authorise(
    *, actor: User, assessment: Assessment, authorised_on: date, reason: str
) -> Assessment:
    """A team manager of the holding team signs off a completed assessment, with their
    reasoning (part of the management oversight on the child's file); no other role may.
    The caller has checked the actor may view the record; the role is checked here. The
    reasoning is kept on the assessment (``authorisation_reason``), not in the audit event."""
    young_person = locked(assessment.young_person)
    assessment = locked(assessment)
    if not permissions.can_authorise_assessment(actor, young_person):
        raise ForbiddenError(AUTHORISE_REFUSED_MESSAGE)
    if assessment.authorised_on is not None:
        raise ApplicationError(ALREADY_AUTHORISED_MESSAGE)
    if assessment.completed_on is None:
        raise ApplicationError(NOT_COMPLETED_MESSAGE)
    if authorised_on < assessment.completed_on:
        raise ApplicationError(
            authorised_before_completion_message(assessment.completed_on), field="authorised_on"
        )
    check_not_future(authorised_on, "authorised_on", "The date authorised")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(AUTHORISATION_REASON_REQUIRED, field="reason")
    assessment.authorised_on = authorised_on
    assessment.authorised_by = actor
    assessment.authorisation_reason = reason
    versioned_save(assessment, actor)
    event_record(
        actor=actor,
        kind=EventKind.ASSESSMENT_AUTHORISED,
        target=assessment,
        young_person=young_person,
        detail={"outcome_nature": assessment.outcome_nature},
    )
    return assessment


@transaction.atomic
def assessment_return(*, actor: User, assessment: Assessment, reason: str) -> Assessment:
    """A team manager of the holding team sends a completed assessment back for more work: it is
    in progress again, keeping what was written (and its CIN factors until it is completed
    again). The date, the manager and the reason are kept on the assessment (``returned_on``,
    ``returned_by``, ``return_reason``; earlier returns in its history), not in the audit
    event, which names only the assessment. After commit, whoever completed it is told."""
    young_person = locked(assessment.young_person)
    assessment = locked(assessment)
    if not permissions.can_authorise_assessment(actor, young_person):
        raise ForbiddenError(RETURN_REFUSED_MESSAGE)
    if assessment.completed_on is None or assessment.authorised_on is not None:
        raise ApplicationError(NOT_AWAITING_MESSAGE)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(RETURN_REASON_REQUIRED, field="reason")
    assessment.completed_on = None
    assessment.returned_on = timezone.localdate()
    assessment.returned_by = actor
    assessment.return_reason = reason
    versioned_save(assessment, actor)
    event_record(
        actor=actor,
        kind=EventKind.ASSESSMENT_RETURNED,
        target=assessment,
        young_person=young_person,
    )
    version = assessment.version
    transaction.on_commit(lambda: _notify("assessment_returned_notify", assessment.pk, version))
    return assessment


def _notify(task_name: str, assessment_id: int, version: int) -> None:
    """Queue the task that tells people about this version of the assessment. Imported here:
    the task module imports the services."""
    from .. import tasks

    getattr(tasks, task_name).delay(assessment_id, version)
