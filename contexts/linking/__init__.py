"""The young person's side of links between young people and contexts: linking a young person
to a context, ending the link, tying a referral's location of harm to a location context, and
reading a young person's own contexts for their record and caseload row.

Everything here starts from a young person already fetched through ``cases.selectors`` and checked
with ``cases.permissions``. Nothing context-facing may import this package: the import contract
"Thematic context code holds no young person" in pyproject.toml (``lint-imports``) forbids it.
Context-facing code reads links only through ``contexts.linked_professionals``.
"""
