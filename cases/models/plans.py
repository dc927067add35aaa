"""Plans, their actions (contextual actions among them), reviews, and the record of contextual
factors a plan leaves open on purpose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from csafe.core.vocabulary import ContextKind

from ..reference import ActionProgress, PartnerAgency, PlanKind, PlanStatus


class Plan(models.Model):
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="plans"
    )
    # The assessment whose contextual factors this plan must answer (the latest authorised one
    # when the plan was made); none for a plan made without an assessment.
    assessment = models.ForeignKey(
        "cases.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    start_date = models.DateField()
    review_date = models.DateField("next review date")
    summary = models.TextField("what the plan is for", blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    finalised_on = models.DateField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    # Sign-off by a team manager of the holding team, for the kinds PlanSignOffRule marks.
    submitted_on = models.DateField("date submitted for sign-off", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_on = models.DateField("date signed off", null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sign_off_reason = models.TextField("the manager's reasoning", blank=True)
    returned_on = models.DateField("date returned for more work", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField("what more is needed", blank=True)
    # A child protection plan is made at an initial child protection conference: the
    # conference's date is its authority, in place of a manager's sign-off.
    conference_date = models.DateField(
        "date of the child protection conference", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_review_after_start", condition=Q(review_date__gte=F("start_date"))
            ),
            models.CheckConstraint(
                name="plan_signed_off_by_someone",
                condition=Q(signed_off_on__isnull=True) | Q(signed_off_by__isnull=False),
            ),
            models.CheckConstraint(
                name="plan_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="plan_status_matches_dates",
                condition=Q(status="draft", finalised_on__isnull=True, ended_on__isnull=True)
                | Q(
                    status="submitted",
                    submitted_on__isnull=False,
                    finalised_on__isnull=True,
                    ended_on__isnull=True,
                )
                | Q(status="active", finalised_on__isnull=False, ended_on__isnull=True)
                | (Q(status="ended", ended_on__isnull=False) & ~Q(end_reason="")),
            ),
            # One plan of each kind in draft or in force at a time.
            models.UniqueConstraint(
                fields=["young_person", "kind"],
                condition=Q(status__in=["draft", "submitted", "active"]),
                name="one_current_plan_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["young_person", "status"], name="cases_plan_yp_status"),
            models.Index(fields=["status", "review_date"], name="cases_plan_status_review"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} plan from {self.start_date:%d %b %Y}"


class PlanSignOffRule(models.Model):
    """Whether a kind of plan needs a team manager's sign-off before it goes into force. One row
    per plan kind, set by an administrator; child in need and early help plans need it by
    default (migration 0012)."""

    kind = models.CharField(max_length=20, choices=PlanKind.choices, unique=True)
    needs_sign_off = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        needs = "needs" if self.needs_sign_off else "does not need"
        return f"{self.get_kind_display()} plan {needs} sign-off"


class PlanAction(models.Model):
    """An action on a plan. A contextual action targets a context (a kind of context until
    context records exist), names a partner agency, and may answer a contextual factor."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="plan_actions"
    )
    description = models.TextField()
    is_contextual = models.BooleanField(default=False)
    target_context_kind = models.CharField(
        "target context", max_length=20, choices=ContextKind.choices, blank=True
    )
    target_context = models.ForeignKey(
        "contexts.Context",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="young_person_actions",
    )
    factor = models.ForeignKey(
        "cases.ContextualFactor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name="contextual factor answered",
    )
    partner_agency = models.CharField(max_length=30, choices=PartnerAgency.choices, blank=True)
    owner = models.CharField(max_length=200, help_text="The person or role responsible")
    due_date = models.DateField(null=True, blank=True)
    progress = models.CharField(
        max_length=20, choices=ActionProgress.choices, default=ActionProgress.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="contextual_action_has_target_and_partner",
                condition=Q(is_contextual=False, factor__isnull=True)
                | (Q(is_contextual=True) & ~Q(target_context_kind="") & ~Q(partner_agency="")),
            ),
            models.CheckConstraint(
                name="done_action_has_completion_date",
                condition=~Q(progress="done") | Q(completed_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["progress", "due_date"], name="cases_action_progress_due"),
            models.Index(fields=["young_person"], name="cases_action_yp"),
            # The dashboards' factors answered by an action not stopped: the set of them read
            # from the index alone (reporting.dashboards.selectors._factors).
            models.Index(
                fields=["factor"],
                include=["plan"],
                condition=Q(factor__isnull=False) & ~Q(progress="stopped"),
                name="cases_action_factor",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.progress in {ActionProgress.NOT_STARTED, ActionProgress.IN_PROGRESS}


class PlanFactorGap(models.Model):
    """A contextual factor this plan deliberately does not address, with the reason. Withdrawn
    (not deleted) when an action later answers the factor."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="factor_gaps")
    factor = models.ForeignKey(
        "cases.ContextualFactor", on_delete=models.PROTECT, related_name="plan_gaps"
    )
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "factor"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_gap_per_plan_factor",
            ),
            models.CheckConstraint(name="factor_gap_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"Not addressed: {self.factor_id}"


class PlanReview(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    next_review_date = models.DateField()
    summary = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_review_next_after_review",
                condition=Q(next_review_date__gt=F("reviewed_on")),
            )
        ]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%d %b %Y}"
