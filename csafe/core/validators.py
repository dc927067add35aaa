"""Validators for UK data formats used across csafe."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# The general shape of a UK postcode (outward code, space, inward code), including GIR 0AA.
# Format only: it does not prove the postcode exists.
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][0-9][0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW] ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY] ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(value: str) -> str:
    """Upper-case with exactly one space before the inward code: ``nb1 2aa`` -> ``NB1 2AA``."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_uk_postcode(value: str) -> None:
    if value and not _POSTCODE.match(normalise_postcode(value)):
        raise ValidationError(
            "Enter a real postcode, like NB1 2AA", code="invalid_postcode", params={"value": value}
        )


def postcode_sector(value: str) -> str:
    """The outward code and the first character of the inward code (``NB1 2AA`` -> ``NB1 2``):
    a few thousand addresses rather than about fifteen."""
    normalised = normalise_postcode(value)
    return normalised[:-2] if " " in normalised else normalised


def postcode_district(value: str) -> str:
    """The outward code of a postcode (``NB1 2AA`` -> ``NB1``), used for reporting."""
    normalised = normalise_postcode(value)
    return normalised.split(" ")[0] if normalised else ""
