"""Management oversight recorded on a young person's record: what a team manager decided on
reviewing the case, why, and when they will look again. Ofsted looks for it on every child's
file; it shows in the chronology and the subject access export."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class OversightNote(models.Model):
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="oversight_notes"
    )
    recorded_on = models.DateField("date of the oversight")
    decision = models.TextField("what was decided")
    reasons = models.TextField("the manager's reasons")
    next_review_on = models.DateField("next oversight due", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [
            models.Index(fields=["young_person", "-recorded_on"], name="cases_oversight_yp_date"),
            models.Index(fields=["next_review_on"], name="cases_oversight_next"),
        ]

    def __str__(self) -> str:
        return f"Management oversight on {self.recorded_on:%d %b %Y}"
