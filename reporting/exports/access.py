"""Whether a reader may still hold the young people of a file written earlier: the ``may_hold``
of reporting's export sources. Which young people a reader may see is cases.permissions' to say."""

from __future__ import annotations

from cases.permissions import young_people_visible_to


def sees_every_young_person(user, young_person_ids: set[int]) -> bool:
    """Whether every one of ``young_person_ids`` is a young person ``user`` may see now."""
    visible = young_people_visible_to(user).filter(pk__in=young_person_ids).count()
    return visible == len(young_person_ids)
