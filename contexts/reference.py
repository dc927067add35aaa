"""The vocabulary of context records: the word for a peer group, a context's status, the sides
of the assessment triangle. The kinds of context themselves are shared with the young person's
pathway and live in ``csafe.core.vocabulary``."""

from __future__ import annotations

from django.db import models

from csafe.core.vocabulary import ContextKind


class PeerGroupTerm(models.TextChoices):
    """The word a council uses for a peer group; some avoid "group" because of how it reads to
    young people and families."""

    GROUP = "group", "Group"
    ASSOCIATION = "association", "Association"
    NETWORK = "network", "Network"
    CONNECTION = "connection", "Non-familial connection"


class ContextStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class TriangleSide(models.TextChoices):
    """The three sides of the context assessment triangle. What each side is called depends on
    the kind of context: see ``triangle_headings``."""

    FUNCTIONING = "functioning", "Functioning"
    GUARDIANSHIP = "guardianship", "Guardianship"
    ENVIRONMENT = "environment", "Environment"


# The headings of the assessment triangle for each kind of context, from the Contextual
# Safeguarding framework's context assessment triangle (peer group; neighbourhood and location;
# school). Online spaces and other contexts use the neighbourhood wording.
_TRIANGLE = {
    ContextKind.PEER_GROUP: {
        TriangleSide.FUNCTIONING: "Group functioning",
        TriangleSide.GUARDIANSHIP: "Guardianship capacity",
        TriangleSide.ENVIRONMENT: "Environmental and family factors",
    },
    ContextKind.LOCATION: {
        TriangleSide.FUNCTIONING: "Strengths and needs of young people collectively",
        TriangleSide.GUARDIANSHIP: "Availability of guardianship",
        TriangleSide.ENVIRONMENT: "Resources, physical environment and policy",
    },
    ContextKind.SCHOOL: {
        TriangleSide.FUNCTIONING: "Strengths and needs of students collectively",
        TriangleSide.GUARDIANSHIP: "Guardianship by staff and school policy",
        TriangleSide.ENVIRONMENT: "School environment and routes to and from school",
    },
}


def triangle_headings(kind: str) -> dict[str, str]:
    """{side: heading} for a kind of context."""
    return dict(_TRIANGLE.get(kind, _TRIANGLE[ContextKind.LOCATION]))


class ContextRecordKind(models.TextChoices):
    ASSESSMENT = "assessment", "Context assessment"
    MEETING = "meeting", "Meeting note"


class LinkEndRule(models.TextChoices):
    """What happens to the links of young people when a context closes."""

    END = "end", "End every link, with the closure as the reason"
    KEEP = "keep", "Keep the links, so they are there if the context reopens"
