"""The young person's record: one module per part of the pathway, imported here so that the rest
of csafe says ``from cases.models import ...``."""

from .assessments import Assessment, AssessmentFactor, AssessmentStatus, ContextualFactor
from .core import (
    Allocation,
    AllocationKind,
    CaseStatus,
    Ethnicity,
    LocationOfHarm,
    LocationType,
    Referral,
    Sex,
    YoungPerson,
    YoungPersonGroupObjectPermission,
    YoungPersonUserObjectPermission,
)
from .oversight import OversightNote
from .plans import Plan, PlanAction, PlanFactorGap, PlanReview, PlanSignOffRule
from .records import CaseNote, Document, Relocation

__all__ = [
    "Allocation",
    "AllocationKind",
    "Assessment",
    "AssessmentFactor",
    "AssessmentStatus",
    "CaseNote",
    "CaseStatus",
    "ContextualFactor",
    "Document",
    "Ethnicity",
    "LocationOfHarm",
    "LocationType",
    "OversightNote",
    "Plan",
    "PlanAction",
    "PlanFactorGap",
    "PlanReview",
    "PlanSignOffRule",
    "Referral",
    "Relocation",
    "Sex",
    "YoungPerson",
    "YoungPersonGroupObjectPermission",
    "YoungPersonUserObjectPermission",
]
