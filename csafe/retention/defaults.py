"""The retention rules a new installation starts with.

These are common starting points in English children's social care, not advice: many councils
keep a child's case until the young person's 25th birthday, and the case of a child who was
looked after far longer (often until the 75th birthday). Each council sets its own retention
schedule, and an administrator should change these rules to match it before anyone relies on
the retention review page.
"""

from __future__ import annotations

STARTING_POINT = (
    "A starting point only, not legal advice: set this to your council's own retention schedule."
)

DEFAULT_RULES = [
    {"kind": "young_person", "basis": "until_age", "years": 25},
    {"kind": "looked_after", "basis": "until_age", "years": 75},
    {"kind": "context", "basis": "after_closure", "years": 10},
]


def load_default_rules(RetentionRule) -> None:
    """Create any default rule that does not exist yet; existing rules are left as they are."""
    for rule in DEFAULT_RULES:
        RetentionRule.objects.get_or_create(
            kind=rule["kind"],
            defaults={
                "basis": rule["basis"],
                "years": rule["years"],
                "policy_note": STARTING_POINT,
            },
        )
