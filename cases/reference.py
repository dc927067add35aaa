"""Reference codes for cases, from the DfE children in need (CIN) census.

Source: DfE, *Children in need census 2024 to 2025: business and technical specification*, the
"source of referral" code set. Codes as published; labels shortened for forms.
"""

from __future__ import annotations

from django.db import models


class ReferralSource(models.TextChoices):
    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and friends)"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    HEALTH_GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health services: school nurse"
    HEALTH_OTHER_PRIMARY = "3D", "Health services: other primary health services"
    HEALTH_A_AND_E = "3E", "Health services: A&E (emergency department)"
    HEALTH_OTHER = "3F", "Health services: other"
    HOUSING = "4", "Housing (local authority or housing association)"
    LA_SOCIAL_CARE = "5A", "Local authority services: social care"
    LA_OTHER_INTERNAL = "5B", "Local authority services: other internal department"
    LA_OTHER_EXTERNAL = "5C", "Local authority services: another local authority"
    LA_EARLY_HELP = "5D", "Local authority services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class NatureOfHarm(models.TextChoices):
    """The referral and assessment marker the research asks for, so the rate of extra-familial
    harm can be counted without reading files."""

    EXTRA_FAMILIAL = "extra_familial", "Extra-familial"
    INTRA_FAMILIAL = "intra_familial", "Intra-familial"
    BOTH = "both", "Both"
    NOT_YET_KNOWN = "not_known", "Not yet known"


class ReferralDecision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    ADVICE = "advice", "Advice or signposting"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Child and family assessment"
    STRATEGY = "strategy", "Strategy discussion / section 47 enquiry"
