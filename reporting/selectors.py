"""Authority-wide aggregates for managers. Counts only: nothing here returns a young person."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from cases.models import CaseStatus, YoungPerson
from harms.models import FlagStatus, HarmFlag, Nature


@dataclass(frozen=True)
class AuthoritySummary:
    open_young_people: int
    open_with_extra_familial_flags: int
    open_with_both_natures: int


def authority_summary() -> AuthoritySummary:
    """Young people open to the service, and how many carry current extra-familial flags (and
    both extra- and intra-familial ones at once): one aggregate query."""
    current = HarmFlag.objects.filter(young_person=OuterRef("pk"), status=FlagStatus.ACTIVE)
    counts = (
        YoungPerson.objects.filter(status=CaseStatus.OPEN)
        .annotate(
            extra=Exists(current.filter(nature=Nature.EXTRA_FAMILIAL)),
            intra=Exists(current.filter(nature=Nature.INTRA_FAMILIAL)),
        )
        .aggregate(
            open_young_people=Count("pk"),
            open_with_extra_familial_flags=Count("pk", filter=Q(extra=True)),
            open_with_both_natures=Count("pk", filter=Q(extra=True, intra=True)),
        )
    )
    return AuthoritySummary(**counts)
