"""Audit: domain events and the record access log.

Field-level change history comes from django-simple-history on each model. These two tables add
what history cannot: *what happened* as a typed event naming who did it (one row per state change,
written in the same transaction), and *who looked* at a young person's record, in any channel.
Neither table is ever updated or deleted by the application.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class EventKind(models.TextChoices):
    """Every kind of state change the service records. Add new kinds here, never free text."""

    TEAM_CREATED = "team.created", "Team created"
    USER_CREATED = "user.created", "Staff account created"
    USER_UPDATED = "user.updated", "Staff account role or team changed"
    TWO_FACTOR_ENROLLED = "two_factor.enrolled", "Authenticator app set up for two-factor sign-in"
    TWO_FACTOR_VERIFIED = "two_factor.verified", "Two-factor sign-in code accepted"
    TWO_FACTOR_FAILED = "two_factor.failed", "Two-factor sign-in code refused"
    TWO_FACTOR_RECOVERY_CODE_USED = "two_factor.recovery_code_used", "Recovery code used to sign in"
    TWO_FACTOR_RECOVERY_CODES_REGENERATED = (
        "two_factor.recovery_codes_regenerated",
        "New recovery codes made",
    )
    TWO_FACTOR_REMOVED = "two_factor.removed", "Two-factor sign-in switched off"
    API_TOKEN_ISSUED = "api_token.issued", "API token issued"
    # Account lifecycle: nobody but the person sets their password (an invitation or reset link),
    # and each change of role, team or being switched on or off is an event of its own.
    USER_INVITED = "user.invited", "Invitation to set a password sent"
    USER_PASSWORD_RESET_SENT = "user.password_reset_sent", "Password reset link sent"
    USER_PASSWORD_SET = "user.password_set", "Password set from an invitation or reset link"
    USER_ROLE_CHANGED = "user.role_changed", "Staff account role changed"
    USER_TEAM_CHANGED = "user.team_changed", "Staff account team changed"
    USER_DEACTIVATED = "user.deactivated", "Staff account switched off"
    USER_REACTIVATED = "user.reactivated", "Staff account switched back on"
    USER_SESSIONS_ENDED = "user.sessions_ended", "Signed out everywhere and API tokens revoked"
    API_TOKEN_REVOKED = "api_token.revoked", "API token revoked"
    NOTIFICATION_SETTINGS_CHANGED = (
        "notification_settings.changed",
        "E-mail setting for notifications changed",
    )
    YOUNG_PERSON_CREATED = "young_person.created", "Young person record created"
    YOUNG_PERSON_UPDATED = "young_person.updated", "Young person details updated"
    YOUNG_PERSON_STATUS_CHANGED = "young_person.status_changed", "Open or closed to the service"
    WORKER_ALLOCATED = "allocation.worker_allocated", "Worker allocated"
    WORKER_DEALLOCATED = "allocation.worker_deallocated", "Worker allocation ended"
    TEAM_ALLOCATED = "allocation.team_allocated", "Team allocated"
    TEAM_DEALLOCATED = "allocation.team_deallocated", "Team allocation ended"
    REFERRAL_RECORDED = "referral.recorded", "Referral recorded"
    DUPLICATE_CHECK_MATCHED_UNSEEN = (
        "duplicate_check.matched_unseen",
        "Duplicate check matched a record the user may not see",
    )
    ASSESSMENT_STARTED = "assessment.started", "Assessment started"
    ASSESSMENT_UPDATED = "assessment.updated", "Assessment updated"
    ASSESSMENT_COMPLETED = "assessment.completed", "Assessment completed"
    ASSESSMENT_RETURNED = "assessment.returned", "Assessment returned for more work"
    ASSESSMENT_AUTHORISED = "assessment.authorised", "Assessment authorised"
    CONTEXTUAL_FACTOR_ADDED = "contextual_factor.added", "Contextual factor identified"
    CONTEXTUAL_FACTOR_WITHDRAWN = "contextual_factor.withdrawn", "Contextual factor withdrawn"
    PLAN_CREATED = "plan.created", "Plan drafted"
    PLAN_UPDATED = "plan.updated", "Plan updated"
    PLAN_FINALISED = "plan.finalised", "Plan finalised"
    PLAN_REVIEWED = "plan.reviewed", "Plan reviewed"
    PLAN_ENDED = "plan.ended", "Plan ended"
    PLAN_ACTION_ADDED = "plan_action.added", "Plan action added"
    PLAN_ACTION_PROGRESS = "plan_action.progress", "Plan action progress updated"
    PLAN_FACTOR_NOT_ADDRESSED = "plan.factor_not_addressed", "Contextual factor left open"
    PLAN_SUBMITTED = "plan.submitted", "Plan submitted for sign-off"
    PLAN_SIGNED_OFF = "plan.signed_off", "Plan signed off and in force"
    PLAN_RETURNED = "plan.returned", "Plan returned for more work"
    PLAN_SIGN_OFF_RULES_CHANGED = "plan_sign_off_rules.changed", "Plan sign-off rules changed"
    RELOCATION_RECORDED = "relocation.recorded", "Relocation recorded"
    OVERSIGHT_NOTE_RECORDED = "oversight_note.recorded", "Management oversight recorded"
    CASE_NOTE_ADDED = "case_note.added", "Case note added"
    DOCUMENT_UPLOADED = "document.uploaded", "Document uploaded"
    CONTEXT_OPENED = "context.opened", "Context record opened"
    CONTEXT_UPDATED = "context.updated", "Context record updated"
    CONTEXT_CLOSED = "context.closed", "Context record closed"
    CONTEXT_REOPENED = "context.reopened", "Context record reopened"
    CONTEXT_RECORD_ADDED = "context.record_added", "Context assessment or meeting note recorded"
    CONTEXT_ACTION_ADDED = "context.action_added", "Context plan action added"
    CONTEXT_ACTION_PROGRESS = "context.action_progress", "Context plan action progress updated"
    CONTEXT_PLAN_REVIEW_SET = "context.plan_review_set", "Context plan review date set"
    # Corrections, withdrawals and redactions of a context row's text: the detail names the row
    # and the fields, never the text nor the reason (the reason is kept on the row, guarded).
    CONTEXT_TEXT_CORRECTED = "context.text_corrected", "Context text corrected"
    CONTEXT_TEXT_WITHDRAWN = "context.text_withdrawn", "Context text withdrawn"
    CONTEXT_TEXT_REDACTED = "context.text_redacted", "Passage redacted from context text"
    # Written by contexts.guard when it refuses text, or refuses to check it (throttled). The
    # detail says which context, field and rule: never the text.
    CONTEXT_TEXT_REFUSED = "context.text_refused", "Context text refused by the privacy check"
    CONTEXT_TEXT_THROTTLED = "context.text_throttled", "Context text checks paused after refusals"
    CONTEXT_LINKED = "context.linked", "Young person linked to a context"
    CONTEXT_LINK_ENDED = "context.link_ended", "Young person's link to a context ended"
    LOCATION_LINKED_TO_CONTEXT = (
        "location_of_harm.context_linked",
        "Place of harm linked to a context",
    )
    NAMING_CONVENTION_CHANGED = "naming_convention.changed", "Context naming convention changed"
    CONTEXT_CONFIGURATION_CHANGED = "context_configuration.changed", "Context settings changed"
    HARM_TYPE_CREATED = "harm_type.created", "Harm type added"
    HARM_TYPE_UPDATED = "harm_type.updated", "Harm type changed"
    HARM_TYPE_RETIRED = "harm_type.retired", "Harm type retired"
    HARM_TYPE_REACTIVATED = "harm_type.reactivated", "Harm type brought back into use"
    FLAG_RAISED = "harm_flag.raised", "Harm flag raised"
    FLAG_ARCHIVED = "harm_flag.archived", "Harm flag archived"
    FLAG_REINSTATED = "harm_flag.reinstated", "Harm flag reinstated"
    FLAG_REVIEW_DATE_CHANGED = "harm_flag.review_date_changed", "Harm flag reviewed"
    RETENTION_RULE_CHANGED = "retention_rule.changed", "Retention rule changed"
    RETENTION_RECORD_KEPT = "retention.kept", "Record kept after retention review"
    RETENTION_RECORD_ERASED = "retention.erased", "Record erased after retention review"
    # Legal holds: a held record is never due for erasure and cannot be erased.
    LEGAL_HOLD_PLACED = "legal_hold.placed", "Legal hold placed on a record"
    LEGAL_HOLD_LIFTED = "legal_hold.lifted", "Legal hold lifted"
    LEGAL_HOLD_RULE_CHANGED = "legal_hold_rule.changed", "Legal hold rule changed"
    SUBJECT_ACCESS_REQUESTED = "subject_access.requested", "Subject access export asked for"
    SUBJECT_ACCESS_DOWNLOADED = "subject_access.downloaded", "Subject access export downloaded"


class Event(models.Model):
    # Validated against EventKind by audit.services.event_record. Not a field with choices, so
    # that adding a kind (as each feature does) needs no migration of this large table.
    kind = models.CharField(max_length=60, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=40)
    # Set when the event belongs on a young person's chronology.
    young_person = models.ForeignKey(
        "cases.YoungPerson", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    detail = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["young_person", "-occurred_at"], name="audit_event_yp_time"),
            models.Index(fields=["target_type", "target_id"], name="audit_event_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} at {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        return EventKind(self.kind).label if self.kind in EventKind.values else self.kind


class AccessChannel(models.TextChoices):
    PAGE = "page", "Web page"
    API = "api", "API"
    EXPORT = "export", "Export"
    DOWNLOAD = "download", "Document download"
    # Shown as one row of a search, a filtered caseload, a drill-down or a review queue
    # (csafe.audit.services.record_list_access): the name, identifier and date of birth were
    # on screen, the record itself was not opened.
    LIST = "list", "Listed in a search or list"


class RecordAccess(models.Model):
    """One row each time someone views a young person's record."""

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=AccessChannel.choices)
    # What was looked at (the path of the page or endpoint), never query strings with search text.
    resource = models.CharField(max_length=200)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        indexes = [
            models.Index(fields=["young_person", "-accessed_at"], name="audit_access_yp_time"),
            models.Index(fields=["user", "-accessed_at"], name="audit_access_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.young_person_id} by {self.channel}"
