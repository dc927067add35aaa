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


# The legal hold rule csafe starts with. The Independent Inquiry into Child Sexual Abuse (IICSA):
# by the Chair's letter of 2 July 2015 to local authorities and other institutions, it asked them
# not to destroy records that could be relevant to its work. Its harm types are found by their
# children in need census codes (harms/reference.py), which do not change when an administrator
# renames a type: child sexual exploitation (11A) and sexual abuse, child on child (19B) and
# adult on child (19C).
HOLD_CITATION = "IICSA instruction, 2 July 2015"
HOLD_POLICY_NOTE = (
    "The Independent Inquiry into Child Sexual Abuse asked local authorities and others, by the "
    "Chair's letter of 2 July 2015, not to destroy records relevant to its work: records touching "
    "child sexual abuse or exploitation are kept. Ask your information governance lead before "
    "changing this rule."
)
HOLD_CIN_CODES = ("11A", "19B", "19C")


def load_default_hold_rule(LegalHoldRule, HarmType) -> None:
    """Create the legal hold rule with its default harm types if it does not exist yet; an
    existing rule is left as administrators set it. Run after the harm taxonomy is loaded."""
    rule, created = LegalHoldRule.objects.get_or_create(
        pk=1, defaults={"citation": HOLD_CITATION, "policy_note": HOLD_POLICY_NOTE}
    )
    if created:
        rule.harm_types.set(HarmType.objects.filter(cin_code__in=HOLD_CIN_CODES))
