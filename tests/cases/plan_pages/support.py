"""URLs, readers and form data shared by the tests of the plan pages."""

from __future__ import annotations

from django.urls import reverse

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = ["teammate", "other_team_practitioner", "administrator"]


def url(name: str, young_person, *args) -> str:
    return reverse(f"cases:{name}", args=[young_person.pk, *[a.pk for a in args]])
