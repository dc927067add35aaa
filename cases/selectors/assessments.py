"""Reads of assessments. Callers have fetched the young person through
``young_person_get_for_user``, which checked access."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from csafe.audit.models import Event, EventKind

from ..models import Assessment, AssessmentFactor, ContextualFactor, Document, YoungPerson
from ..reference import DocumentKind

MAP_KINDS = (DocumentKind.PEER_MAP, DocumentKind.SAFETY_MAP)


def assessments_for_young_person(*, young_person: YoungPerson) -> QuerySet[Assessment]:
    """Newest first, with who recorded and who authorised each and ``current_factor_count`` (the
    contextual factors not withdrawn): one query for the record page and the list page."""
    return (
        Assessment.objects.filter(young_person=young_person)
        .select_related("authorised_by", "recorded_by", "returned_by")
        .annotate(
            current_factor_count=Count(
                "contextual_factors", filter=Q(contextual_factors__withdrawn_at__isnull=True)
            )
        )
        # Stated again: Meta.ordering is not applied to a query with GROUP BY.
        .order_by("-started_on", "-pk")
    )


def _details() -> tuple[Prefetch, ...]:
    """Everything an assessment shows, one query each: its contextual factors (withdrawn ones
    too, with who recorded and withdrew them), its current CIN factors as
    ``current_cin_factors`` and its peer and safety maps as ``maps``, oldest first."""
    return (
        Prefetch(
            "contextual_factors",
            queryset=ContextualFactor.objects.select_related("recorded_by", "withdrawn_by"),
        ),
        Prefetch(
            "cin_factors",
            queryset=AssessmentFactor.objects.filter(withdrawn_at__isnull=True),
            to_attr="current_cin_factors",
        ),
        Prefetch(
            "documents",
            queryset=Document.objects.filter(kind__in=MAP_KINDS)
            .select_related("uploaded_by")
            .order_by("uploaded_at", "pk"),
            to_attr="maps",
        ),
    )


def assessments_with_details_for_young_person(*, young_person: YoungPerson) -> QuerySet[Assessment]:
    """Newest first, each with its factors, current CIN factors and maps: four queries
    whatever the number of assessments. For the API list."""
    return (
        Assessment.objects.filter(young_person=young_person)
        .select_related("authorised_by", "recorded_by", "returned_by", "referral")
        .prefetch_related(*_details())
    )


def assessment_get_for_young_person(*, young_person: YoungPerson, pk: int) -> Assessment:
    """One of the young person's assessments with everything it shows; Http404 for an
    assessment of anyone else, so ids do not leak across records."""
    return get_object_or_404(
        assessments_with_details_for_young_person(young_person=young_person), pk=pk
    )


def contextual_factor_get_for_assessment(*, assessment: Assessment, pk: int) -> ContextualFactor:
    """One of the assessment's contextual factors; Http404 for any other."""
    return get_object_or_404(
        ContextualFactor.objects.select_related("assessment", "young_person"),
        pk=pk,
        assessment=assessment,
    )


def contextual_factor_find_for_young_person(
    *, young_person: YoungPerson, pk: int
) -> ContextualFactor | None:
    """One of the young person's contextual factors (of any of their assessments), or None. For
    input naming a factor: the caller refuses every other id with one message, so trying ids
    tells nothing of other records."""
    return ContextualFactor.objects.filter(pk=pk, young_person=young_person).first()


def assessment_last_return(*, assessment: Assessment) -> Event | None:
    """The audit event of the most recent time a team manager sent the assessment back for more
    work, with its actor (who), or None. The date and the reason are on the assessment
    (``returned_on``, ``return_reason``): the event holds no free text."""
    return (
        Event.objects.filter(
            kind=EventKind.ASSESSMENT_RETURNED,
            target_type=ContentType.objects.get_for_model(Assessment),
            target_id=str(assessment.pk),
        )
        .select_related("actor")
        .order_by("-occurred_at", "-pk")
        .first()
    )
