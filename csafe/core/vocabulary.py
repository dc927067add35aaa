"""Words several domain apps share, so that none of them imports another only for a word.

The kinds of context csafe works with are named by the young person's pathway (contextual
factors and actions name a kind before a context record exists) and by context records
themselves. The four named contexts follow Working Together to Safeguard Children 2023 (school
and other educational settings, peer groups, community and public spaces, online).
"""

from __future__ import annotations

from django.db import models


class ContextKind(models.TextChoices):
    PEER_GROUP = "peer_group", "Peer group"
    SCHOOL = "school", "School or education setting"
    LOCATION = "location", "Neighbourhood or location"
    ONLINE = "online", "Online space"
    OTHER = "other", "Other"
