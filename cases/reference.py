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
    # An assessment that found no harm says so, rather than "not yet known": a referral that
    # was never a concern is counted as such, and its census return expects factor 21 or none.
    NONE_FOUND = "none", "No harm found"


# A referral is marked before anyone has assessed: the harm is alleged or suspected, and
# "not yet known" is the honest answer when unsure. "No harm found" is an assessment's finding,
# so a referral is never marked with it.
REFERRAL_NATURES = [
    (value, label) for value, label in NatureOfHarm.choices if value != NatureOfHarm.NONE_FOUND
]


class ReferralDecision(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    ADVICE = "advice", "Advice or signposting"
    EARLY_HELP = "early_help", "Early help"
    ASSESSMENT = "assessment", "Child and family assessment"
    STRATEGY = "strategy", "Strategy discussion / section 47 enquiry"


class AssessmentDecision(models.TextChoices):
    """What follows a child and family assessment."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    EARLY_HELP = "early_help", "Step down to early help"
    CHILD_IN_NEED = "cin", "Child in need plan"
    STRATEGY = "strategy", "Strategy discussion / section 47 enquiry"
    LOOKED_AFTER = "looked_after", "Accommodation (looked after)"
    CONTINUE = "continue", "Continue existing plan"


class PlanKind(models.TextChoices):
    CHILD_IN_NEED = "cin", "Child in need"
    CHILD_PROTECTION = "cp", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    EARLY_HELP = "early_help", "Early help"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    # A plan of a kind that needs a team manager's sign-off waits here until it is signed off
    # (and goes into force) or returned to draft with the manager's reasons.
    SUBMITTED = "submitted", "Awaiting sign-off"
    ACTIVE = "active", "In force"
    ENDED = "ended", "Ended"


class PartnerAgency(models.TextChoices):
    """Who a contextual action relies on, counted on the dashboards to show commissioning gaps."""

    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    EDUCATION = "education", "School or education"
    HEALTH = "health", "Health"
    YOUTH_SERVICE = "youth_service", "Youth service"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    COMMUNITY_SAFETY = "community_safety", "Community safety"
    HOUSING = "housing", "Housing"
    TRANSPORT = "transport", "Transport operator"
    BUSINESS = "business", "Local business or premises"
    VOLUNTARY = "voluntary", "Voluntary or community sector"
    ONLINE_PLATFORM = "online_platform", "Online platform"
    OTHER = "other", "Other"


class ActionProgress(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


class RelocationKind(models.TextChoices):
    OUT_OF_AREA = "out_of_area", "Out-of-area placement"
    WITHIN_AREA = "within_area", "Move within the area"
    SECURE = "secure", "Secure accommodation"
    OTHER = "other", "Other"


class PlanAddressesFactors(models.TextChoices):
    """Whether the plan in force addresses the contextual factors that led to a relocation."""

    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NO_PLAN = "no_plan", "No plan in force"


class DocumentKind(models.TextChoices):
    GENERAL = "general", "Document"
    PEER_MAP = "peer_map", "Peer map"
    SAFETY_MAP = "safety_map", "Safety map"
