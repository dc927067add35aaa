"""Context records: peer groups, schools, locations and online spaces as the subject of the work.

A context never carries a child's identity. Young people are attached to it only through
``ContextLink``, which is written and ended by contexts.services after checking the acting user's
object permission on that young person, and which context-facing selectors never return.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from cases.reference import ActionProgress, PartnerAgency
from csafe.core.validators import validate_uk_postcode

from .reference import (
    ContextKind,
    ContextRecordKind,
    ContextStatus,
    PeerGroupTerm,
    TriangleSide,
)


class ContextConfiguration(models.Model):
    """Settings for context records, one row, configured by administrators."""

    peer_group_term = models.CharField(
        "word shown for a peer group",
        max_length=20,
        choices=PeerGroupTerm.choices,
        default=PeerGroupTerm.GROUP,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return "Context configuration"


class NamingConvention(models.Model):
    """How contexts of one kind are named: a template over the context's fields, for example
    ``{location_type} – {postcode}`` or ``Group – {area} – {opened:%Y-%m}``."""

    kind = models.CharField(max_length=20, choices=ContextKind.choices, unique=True)
    template = models.CharField(max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.template}"


class CorrectableText(models.Model):
    """Who corrected, withdrew or redacted the text of a context row, when and why
    (contexts.services.corrections). The reasons go through the thematic-text guard; the old
    text is gone from the row and from its history rows, never kept here."""

    corrected_at = models.DateTimeField(null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    redacted_at = models.DateTimeField(null=True, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redaction_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Context(models.Model):
    kind = models.CharField(max_length=20, choices=ContextKind.choices)
    name = models.CharField(max_length=200)
    # Lower case, punctuation and spacing removed: what duplicate checks compare.
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)
    label = models.CharField(
        "name of the place, school or platform",
        max_length=120,
        blank=True,
        help_text="For example the school's name or the online platform",
    )
    area = models.CharField(
        max_length=100, blank=True, help_text="Neighbourhood, estate or ward, not an address"
    )
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_uk_postcode])
    postcode_district = models.CharField(max_length=4, blank=True, db_index=True)
    location_type = models.ForeignKey(
        "cases.LocationType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contexts",
    )
    opened_on = models.DateField(
        "date opened", help_text="For a group, the date of the incident it was opened around"
    )
    incident = models.TextField(
        "what it was opened around", blank=True, help_text="The incident or concern, thematically"
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ContextStatus.choices, default=ContextStatus.OPEN, db_index=True
    )
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_contexts"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="contexts")
    harm_types = models.ManyToManyField("harms.HarmType", blank=True, related_name="contexts")
    plan_review_date = models.DateField("plan review date", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[harm_types])

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["kind", "status"], name="contexts_kind_status"),
            models.Index(fields=["status", "opened_on"], name="contexts_status_opened"),
            # The context list's order (open first, then by name): its first page is read from
            # this index instead of sorting every context (docs/benchmarks/explain-records.md).
            models.Index(F("status").desc(), "name", "id", name="contexts_list_order"),
        ]

    def __str__(self) -> str:
        return self.name


class ContextStatusChange(CorrectableText):
    """A closure or a reopening. Closing records, under the triangle headings, how functioning,
    guardianship and the environment changed (safety increased, not "risk eradicated")."""

    class Action(models.TextChoices):
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    context = models.ForeignKey(Context, on_delete=models.PROTECT, related_name="status_changes")
    action = models.CharField(max_length=10, choices=Action.choices)
    on = models.DateField()
    reason = models.TextField()
    functioning_change = models.TextField(blank=True)
    guardianship_change = models.TextField(blank=True)
    environment_change = models.TextField(blank=True)
    links_rule = models.CharField(max_length=10, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(name="status_change_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="closure_records_the_change",
                condition=Q(action="reopened")
                | (
                    ~Q(functioning_change="")
                    & ~Q(guardianship_change="")
                    & ~Q(environment_change="")
                ),
            ),
        ]
        # The dashboards count contexts closed in a period.
        indexes = [models.Index(fields=["action", "on"], name="contexts_status_action_on")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.on:%d %b %Y}"


class ContextRecord(CorrectableText):
    """A context assessment or meeting note, under the assessment-triangle headings, with the
    context weighting: which side must change first for safety to increase."""

    context = models.ForeignKey(Context, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=20, choices=ContextRecordKind.choices)
    held_on = models.DateField("date")
    functioning = models.TextField(blank=True)
    guardianship = models.TextField(blank=True)
    environment = models.TextField(blank=True)
    weighting = models.CharField(
        "which must change first", max_length=20, choices=TriangleSide.choices, blank=True
    )
    weighting_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["context", "-held_on"], name="contexts_record_ctx_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.held_on:%d %b %Y}"


class ContextPlanAction(CorrectableText):
    """An action of the context's plan, against one side of the triangle."""

    context = models.ForeignKey(Context, on_delete=models.PROTECT, related_name="plan_actions")
    side = models.CharField(max_length=20, choices=TriangleSide.choices)
    description = models.TextField()
    partner_agency = models.CharField(max_length=30, choices=PartnerAgency.choices)
    owner = models.CharField(max_length=200)
    due_date = models.DateField()
    progress = models.CharField(
        max_length=20, choices=ActionProgress.choices, default=ActionProgress.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    # Who wrote the progress note now shown: they may correct or withdraw the action's text.
    progress_noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
                name="context_action_done_has_date",
                condition=~Q(progress="done") | Q(completed_on__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["progress", "due_date"], name="contexts_action_progress_due"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ContextLink(models.Model):
    """A young person linked to a context: who linked them, when and why; ended with a reason
    when no longer relevant to that child. Never shown on the context's side."""

    context = models.ForeignKey(Context, on_delete=models.PROTECT, related_name="links")
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="context_links"
    )
    reason = models.TextField("why they are linked")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-linked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["context", "young_person"],
                condition=Q(ended_at__isnull=True),
                name="one_active_link_per_child_and_context",
            ),
            models.CheckConstraint(
                name="ended_link_has_reason",
                condition=Q(ended_at__isnull=True)
                | (Q(ended_at__gte=F("linked_at")) & ~Q(end_reason="")),
            ),
        ]
        indexes = [
            models.Index(
                fields=["context"],
                condition=Q(ended_at__isnull=True),
                name="contexts_link_active_ctx",
            ),
            models.Index(fields=["young_person", "ended_at"], name="contexts_link_yp"),
        ]

    def __str__(self) -> str:
        return f"Link to context {self.context_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
