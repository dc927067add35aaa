"""What the recogniser is told from the database: the young people a writer can already see,
one young person, and the names of staff."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ..models import YoungPerson
from ..permissions import young_people_visible_to
from .recognise import Identity

# The fields of a young person that identify them, read in one query. A field added later
# (an NHS number, a UPN, the main system's identifier) joins IDENTIFIER_FIELDS and is matched.
IDENTIFIER_FIELDS = ("local_identifier",)
_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "address_line_1",
    *IDENTIFIER_FIELDS,
)


def _identity(row: dict) -> Identity:
    return Identity(
        first_name=row["first_name"],
        last_name=row["last_name"],
        preferred_name=row["preferred_name"],
        identifiers=tuple(row[f] for f in IDENTIFIER_FIELDS if row[f]),
        date_of_birth=row["date_of_birth"],
        address=row["address_line_1"],
    )


def identity_of(young_person: YoungPerson) -> Identity:
    return _identity({f: getattr(young_person, f) for f in _FIELDS})


def identities_visible_to(user) -> list[Identity]:
    """The young people ``user`` may open (their caseload, a manager's team): one query. Only
    these, never the authority's, so a refusal tells the writer nothing they could not read."""
    return [_identity(row) for row in young_people_visible_to(user).values(*_FIELDS)]


def staff_names() -> frozenset[tuple[str, str]]:
    """(first, last) names of active staff accounts: one query."""
    rows = get_user_model().objects.filter(is_active=True).values_list("first_name", "last_name")
    return frozenset((first, last) for first, last in rows if first and last)
