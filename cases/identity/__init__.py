"""Recognising a young person's identity in free text: the one place that does it.

Everything written on a context record (a group, school, place or online space) is checked here
before it is saved (``contexts.guard``), because everyone working on contexts can read it and a
context must never say which children are linked to it.

The check has two parts.

* **Generic rules**, which depend on nothing csafe holds, so that a refusal tells the writer
  nothing about which young people csafe knows (the guard is no oracle): anything that reads as a
  person's name (a given name from a names list beside a surname, in any order and form), a date
  written as a date of birth, an identifier in the shape of the council's identifiers or an NHS
  number, and a link to a young person's record.
* **Known identities**: the young people the writer can already see (their caseload) and, when a
  young person is linked to a context, that young person. These are matched in every rendering,
  surname alone and identifiers and address included. Nobody else's: checking every young person in
  the authority would tell a practitioner which children another team works with.

Names of csafe's own staff are allowed: a context shows the professionals working with it.

``find_identity`` is pure (no database); ``identities_visible_to`` and ``staff_names`` read the
database. The README's privacy section says what is recognised and what no guard can catch.
"""

from __future__ import annotations

from .recognise import Finding, FindingKind, Identity, find_identity
from .sources import identities_visible_to, identity_of, staff_names

__all__ = [
    "Finding",
    "FindingKind",
    "Identity",
    "find_identity",
    "identities_visible_to",
    "identity_of",
    "staff_names",
]
