"""The default harm taxonomy every installation starts with; administrators then adapt it.

Sources:
* Working Together to Safeguard Children 2023 (HM Government), chapter 3 "extra-familial harm":
  exploitation by criminal and organised crime groups such as county lines, serious violence,
  modern slavery and trafficking, online harm, sexual exploitation, teenage relationship abuse
  and radicalisation.
* DfE children in need census, factors identified at the end of assessment (harms/reference.py)
  for the codes: 1B, 2B, 3A, 4B, 10A, 11A, 12A, 13A, 16A, 17A, 18B, 18C, 19B, 19C, 24A.
Types with no CIN code (serious youth violence, online harm, radicalisation, teenage relationship
abuse) are local types, as the census has none for them.
"""

from __future__ import annotations

from django.utils import timezone

EXTRA = "extra_familial"
INTRA = "intra_familial"

# (name, nature, CIN code, description, children)
TAXONOMY = [
    (
        "Exploitation",
        EXTRA,
        "",
        "Exploitation of a young person by people outside the family.",
        [
            ("Child sexual exploitation", EXTRA, "11A", "", []),
            ("Child criminal exploitation, including county lines", EXTRA, "24A", "", []),
            ("Trafficking and modern slavery", EXTRA, "12A", "", []),
        ],
    ),
    ("Serious youth violence", EXTRA, "", "Local type: the census has no code for it.", []),
    ("Gangs", EXTRA, "13A", "", []),
    ("Going missing", EXTRA, "10A", "", []),
    (
        "Peer-on-peer abuse",
        EXTRA,
        "",
        "Abuse of a young person by other children.",
        [
            ("Peer-on-peer physical abuse", EXTRA, "18B", "", []),
            ("Peer-on-peer sexual abuse", EXTRA, "19B", "", []),
        ],
    ),
    (
        "Teenage relationship abuse",
        EXTRA,
        "",
        "Abuse within a young person's own intimate relationship. Local type.",
        [],
    ),
    ("Online harm", EXTRA, "", "Local type: the census has no code for online harm.", []),
    ("Radicalisation", EXTRA, "", "Local type: the census has no code for radicalisation.", []),
    ("Domestic abuse in the home", INTRA, "3A", "", []),
    ("Neglect", INTRA, "16A", "", []),
    ("Emotional abuse", INTRA, "17A", "", []),
    ("Physical abuse by an adult", INTRA, "18C", "", []),
    ("Sexual abuse by an adult", INTRA, "19C", "", []),
    ("Parental alcohol misuse", INTRA, "1B", "", []),
    ("Parental drug misuse", INTRA, "2B", "", []),
    ("Parental mental health", INTRA, "4B", "", []),
]


def load_default_taxonomy(harm_type_model, history_model) -> int:
    """Create any missing default types, each with its first history row (so a later rename
    still shows the original name). Idempotent; returns how many types it created. Takes the
    models as arguments so a data migration can pass its historical versions."""
    created = 0
    now = timezone.now()

    def add(entries, parent):
        nonlocal created
        for name, nature, code, description, children in entries:
            harm_type, was_created = harm_type_model.objects.get_or_create(
                name=name,
                parent=parent,
                defaults={"nature": nature, "cin_code": code, "description": description},
            )
            if was_created:
                created += 1
                # Saving the live model (as tests/conftest.py passes it) has already written the
                # first history row through simple_history's signal; the historical model a
                # migration passes has no signals. One first row either way, never two.
                first = history_model.objects.filter(id=harm_type.pk)
                if first.exists():
                    first.update(history_date=now, history_change_reason="Default taxonomy")
                    add(children, harm_type)
                    continue
                history_model.objects.create(
                    id=harm_type.pk,
                    name=harm_type.name,
                    parent_id=harm_type.parent_id,
                    nature=harm_type.nature,
                    cin_code=harm_type.cin_code,
                    description=harm_type.description,
                    is_active=True,
                    created_at=harm_type.created_at,
                    updated_at=harm_type.updated_at,
                    history_date=now,
                    history_type="+",
                    history_change_reason="Default taxonomy",
                )
            add(children, harm_type)

    add(TAXONOMY, None)
    return created
