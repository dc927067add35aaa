"""Reads of plans. Callers have fetched the young person through ``young_person_get_for_user``,
which checked access.

A plan answers the contextual factors of the assessment it was made from. Each factor is
*answered* when an action on the plan that has not been stopped names it, *not addressed* when
the plan records a reason for leaving it, and otherwise *open*. ``plan_factor_status`` works this
out for one plan and ``plan_factor_status_many`` for a list, each in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from ..models import (
    Assessment,
    ContextualFactor,
    Plan,
    PlanAction,
    PlanFactorGap,
    PlanReview,
    PlanSignOffRule,
    YoungPerson,
)
from ..reference import ActionProgress, PlanKind


@dataclass(frozen=True)
class FactorStatus:
    """One contextual factor as a plan stands towards it."""

    factor: ContextualFactor
    # Actions on this plan naming the factor and not stopped: these answer it.
    actions: tuple[PlanAction, ...]
    # Actions that named the factor but were stopped: shown, but they no longer answer it.
    stopped_actions: tuple[PlanAction, ...]
    # The current "not addressed" record, if the plan leaves the factor open on purpose.
    gap: PlanFactorGap | None

    @property
    def is_open(self) -> bool:
        return not self.actions and self.gap is None

    @property
    def is_done(self) -> bool:
        """An action answering the factor is done. A factor is *planned for* ("answered") as soon
        as an action names it, whatever its progress; done only once one of them is."""
        return any(action.progress == ActionProgress.DONE for action in self.actions)

    @property
    def state(self) -> str:
        if self.actions:
            return "answered"
        if self.gap is not None:
            return "not_addressed"
        return "open"


def plans_for_young_person(*, young_person: YoungPerson) -> QuerySet[Plan]:
    """Newest first, for the record page and the API list."""
    return Plan.objects.filter(young_person=young_person)


def _actions_prefetch() -> Prefetch:
    # Undated actions last on every database (SQLite would put NULLs first).
    return Prefetch(
        "actions",
        queryset=PlanAction.objects.select_related("factor").order_by(
            F("due_date").asc(nulls_last=True), "pk"
        ),
    )


def _reviews_prefetch() -> Prefetch:
    return Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewed_by"))


def _detailed(queryset: QuerySet[Plan]) -> QuerySet[Plan]:
    return queryset.select_related(
        "finalised_by",
        "created_by",
        "assessment",
        "submitted_by",
        "signed_off_by",
        "returned_by",
    ).prefetch_related(_actions_prefetch(), _reviews_prefetch())


def attach_factor_status(plans: list[Plan]) -> list[Plan]:
    """Set ``factor_status`` on each plan (see ``plan_factor_status_many``) and return them."""
    statuses = plan_factor_status_many(plans)
    for plan in plans:
        plan.factor_status = statuses[plan.pk]
    return plans


def _with_details(queryset: QuerySet[Plan]) -> list[Plan]:
    """Plans with their actions, reviews and people, and ``factor_status`` set on each: five
    queries whatever the number of plans, actions and factors (plans; actions with the factor
    each answers; reviews with reviewer; contextual factors; current gaps with recorder), three
    when no plan was made from an assessment."""
    return attach_factor_status(list(_detailed(queryset)))


def plans_with_details_for_young_person(*, young_person: YoungPerson) -> list[Plan]:
    """Every plan of the young person, newest first, as the plans page shows them."""
    return _with_details(Plan.objects.filter(young_person=young_person))


def plans_with_details_queryset(*, young_person: YoungPerson) -> QuerySet[Plan]:
    """The young person's plans, newest first, with their actions, reviews and people to come
    in two prefetch queries once evaluated, for a caller that takes a page of them; then
    ``attach_factor_status`` on the page (two or three queries more). For the API list."""
    return _detailed(Plan.objects.filter(young_person=young_person))


def plan_get_for_young_person(*, young_person: YoungPerson, pk: int) -> Plan:
    """One plan of the young person with its details (see ``_with_details``), or 404."""
    plans = _with_details(Plan.objects.filter(young_person=young_person, pk=pk))
    if not plans:
        raise Http404("No plan found")
    return plans[0]


def plan_find_for_young_person(*, young_person: YoungPerson, pk: int) -> Plan | None:
    """One plan of the young person, without its details, or None. For input naming a plan:
    the caller refuses every other id with one message, so trying ids tells nothing of other
    records."""
    return Plan.objects.filter(pk=pk, young_person=young_person).first()


def plan_action_get_for_plan(*, plan: Plan, pk: int) -> PlanAction:
    """One action of the plan, or 404."""
    action = PlanAction.objects.filter(plan=plan, pk=pk).select_related("factor").first()
    if action is None:
        raise Http404("No action found")
    action.plan = plan
    return action


def plan_factor_get_for_plan(*, plan: Plan, pk: int) -> ContextualFactor:
    """One current contextual factor of the assessment the plan answers, or 404."""
    factor = None
    if plan.assessment_id is not None:
        factor = ContextualFactor.objects.filter(
            pk=pk, assessment_id=plan.assessment_id, withdrawn_at__isnull=True
        ).first()
    if factor is None:
        raise Http404("No contextual factor found")
    return factor


def _latest_authorised(young_person_id: int) -> Assessment | None:
    return (
        Assessment.objects.filter(young_person_id=young_person_id, authorised_on__isnull=False)
        .order_by("-authorised_on", "-pk")
        .first()
    )


def latest_authorised_assessment(*, young_person: YoungPerson) -> Assessment | None:
    """The assessment a plan must answer: the one most recently authorised (the later made,
    of two authorised on the same day)."""
    return _latest_authorised(young_person.pk)


def newer_assessment(plan: Plan) -> Assessment | None:
    """The young person's latest authorised assessment when it is not the one ``plan`` answers
    (an assessment authorised since the plan was made), else None. One query."""
    latest = _latest_authorised(plan.young_person_id)
    if latest is None or latest.pk == plan.assessment_id:
        return None
    return latest


def current_factor_count(*, assessment: Assessment | None) -> int:
    if assessment is None:
        return 0
    return ContextualFactor.objects.filter(assessment=assessment, withdrawn_at__isnull=True).count()


def plan_factor_status_many(plans: Iterable[Plan]) -> dict[int, list[FactorStatus]]:
    """{plan pk: the status of each current factor of its assessment, oldest factor first}.

    Three queries for any number of plans (factors, actions naming them, current gaps), two
    when every plan's actions were prefetched as ``actions``, none when no plan has an
    assessment."""
    plans = list(plans)
    result: dict[int, list[FactorStatus]] = {plan.pk: [] for plan in plans}
    answering = [plan for plan in plans if plan.assessment_id is not None]
    if not answering:
        return result
    factors_by_assessment: dict[int, list[ContextualFactor]] = defaultdict(list)
    for factor in ContextualFactor.objects.filter(
        assessment_id__in={plan.assessment_id for plan in answering}, withdrawn_at__isnull=True
    ).order_by("pk"):
        factors_by_assessment[factor.assessment_id].append(factor)

    actions_by_plan: dict[int, list[PlanAction]] = defaultdict(list)
    unfetched = []
    for plan in answering:
        if "actions" in getattr(plan, "_prefetched_objects_cache", {}):
            actions_by_plan[plan.pk].extend(a for a in plan.actions.all() if a.factor_id)
        else:
            unfetched.append(plan)
    if unfetched:
        naming_a_factor = PlanAction.objects.filter(plan__in=unfetched, factor__isnull=False)
        for action in naming_a_factor.order_by("pk"):
            actions_by_plan[action.plan_id].append(action)

    gaps: dict[tuple[int, int], PlanFactorGap] = {
        (gap.plan_id, gap.factor_id): gap
        for gap in PlanFactorGap.objects.filter(
            plan__in=answering, withdrawn_at__isnull=True
        ).select_related("recorded_by")
    }

    for plan in answering:
        naming: dict[int, list[PlanAction]] = defaultdict(list)
        for action in actions_by_plan[plan.pk]:
            naming[action.factor_id].append(action)
        result[plan.pk] = [
            FactorStatus(
                factor=factor,
                actions=tuple(a for a in naming[factor.pk] if a.progress != ActionProgress.STOPPED),
                stopped_actions=tuple(
                    a for a in naming[factor.pk] if a.progress == ActionProgress.STOPPED
                ),
                gap=gaps.get((plan.pk, factor.pk)),
            )
            for factor in factors_by_assessment[plan.assessment_id]
        ]
    return result


def plan_factor_status(plan: Plan) -> list[FactorStatus]:
    """The status of each current factor of the plan's assessment (see the module docstring).
    Uses ``plan.factor_status`` when ``plan_get_for_young_person`` has already worked it out."""
    if hasattr(plan, "factor_status"):
        return plan.factor_status
    return plan_factor_status_many([plan])[plan.pk]


def open_factors(plan: Plan) -> list[ContextualFactor]:
    """The factors the plan neither answers nor marks as not addressed."""
    return [status.factor for status in plan_factor_status(plan) if status.is_open]


def action_is_overdue(action: PlanAction, today: date) -> bool:
    """Due before today and neither done nor stopped."""
    return action.is_open and action.due_date is not None and action.due_date < today


# --- Sign-off ----------------------------------------------------------------------------------


def plan_kind_needs_sign_off(kind: str) -> bool:
    """Whether a plan of ``kind`` goes into force only when a team manager signs it off (the
    administrator's rule; a kind without a rule row needs none)."""
    return PlanSignOffRule.objects.filter(kind=kind, needs_sign_off=True).exists()


def plan_kinds_needing_sign_off() -> set[str]:
    """The kinds of plan an administrator has marked as needing sign-off, in one query."""
    return set(PlanSignOffRule.objects.filter(needs_sign_off=True).values_list("kind", flat=True))


def plan_sign_off_rules() -> list[tuple[str, str, bool]]:
    """(kind, label, needs sign-off) for every kind of plan, in the order the kinds are listed."""
    needing = plan_kinds_needing_sign_off()
    return [(kind, label, kind in needing) for kind, label in PlanKind.choices]
