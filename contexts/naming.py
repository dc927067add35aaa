"""Naming conventions: a template over a context's fields, rendered into its name.

Templates use Python's format syntax over a fixed set of fields, so an administrator can write
``{location_type} – {postcode}`` or ``Group – {area} – {opened:%Y-%m}`` and nothing else runs.
"""

from __future__ import annotations

import base64
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.crypto import salted_hmac

from csafe.core.errors import ApplicationError
from csafe.core.validators import postcode_sector

FIELDS = {
    "term": "the word for a peer group (Group, Association, Network...)",
    "label": "the name of the place, school or platform",
    "area": "the neighbourhood, estate or ward",
    "postcode": "the full postcode (for someone's home, the postcode sector and a reference)",
    "district": "the postcode district (NB1 of NB1 2AA)",
    "location_type": "the type of location (Park or open space, Bus stop...)",
    "opened": "the date opened; add a format such as {opened:%Y-%m} or {opened:%d %B %Y}",
    "kind": "the kind of context",
}
_LABELS = {
    "term": "the word for a peer group",
    "label": "the name of the place, school or platform",
    "area": "an area",
    "postcode": "a postcode",
    "district": "a postcode",
    "location_type": "the type of location",
    "opened": "the date opened",
    "kind": "the kind",
}


def private_address_postcode(postcode: str) -> str:
    """What a context's name shows of the postcode of someone's home: the postcode sector
    ("NB7 3", a few thousand addresses rather than about fifteen) and a short reference made
    from the whole postcode with the site's secret ("NB7 3 · ref K7QD"). The same home gets the
    same name, so the duplicate checks still find it; different homes in one sector get
    different names; and nobody reading the name can work the postcode back out of it."""
    if not postcode:
        return ""
    digest = salted_hmac("csafe.contexts.private-address", postcode.upper()).digest()
    reference = base64.b32encode(digest).decode()[:4]
    return f"{postcode_sector(postcode)} · ref {reference}"


@dataclass(frozen=True)
class NameParts:
    term: str = ""
    label: str = ""
    area: str = ""
    postcode: str = ""
    district: str = ""
    location_type: str = ""
    opened: date | None = None
    kind: str = ""


# The date codes a name may use after {opened:...}. strftime passes a code it does not know
# through as it is ("%Q" stays "%Q"), and some codes are one C library's only ("%-d"), so only
# these are accepted.
DATE_CODES = {
    "Y": "the year, 2026",
    "y": "the year in two digits, 26",
    "m": "the month as a number, 03",
    "B": "the month, March",
    "b": "the month in short, Mar",
    "d": "the day of the month, 05",
}
_DATE_CODE_LIST = (
    ", ".join(f"%{code}" for code in list(DATE_CODES)[:-1]) + f" or %{list(DATE_CODES)[-1]}"
)


def check_date_format(spec: str) -> None:
    """Refuse a date format with a code outside DATE_CODES, or with no date code at all."""
    index, codes = 0, 0
    while index < len(spec):
        if spec[index] != "%":
            index += 1
            continue
        code = spec[index + 1 : index + 2]
        if code == "%":
            index += 2
            continue
        if code not in DATE_CODES:
            shown = f"%{code}" if code else "A % on its own"
            raise ApplicationError(
                f"{shown} is not a date code a name can use. Use {_DATE_CODE_LIST}",
                field="template",
            )
        codes += 1
        index += 2
    if not codes:
        raise ApplicationError(
            f"The date format after {{opened:}} must use a date code: {_DATE_CODE_LIST}",
            field="template",
        )


def template_fields(template: str) -> list[str]:
    """The field names a template uses, refusing anything that is not a plain known field."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ApplicationError(
            "The template has an unmatched { or }. Use {{ and }} for literal braces.",
            field="template",
        ) from exc
    used = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            known = ", ".join("{" + f + "}" for f in FIELDS)
            raise ApplicationError(
                f"{{{name}}} is not a field a name can use. Use {known}", field="template"
            )
        if conversion:
            raise ApplicationError("Remove the ! conversion from the template", field="template")
        if spec and name != "opened":
            raise ApplicationError(
                f"Only {{opened}} can have a format (after the colon), not {{{name}}}",
                field="template",
            )
        if "{" in (spec or ""):
            raise ApplicationError(
                "A date format cannot hold another field in braces", field="template"
            )
        if spec:
            check_date_format(spec)
        used.append(name)
    if not used:
        raise ApplicationError(
            "The template must use at least one field, such as {area}", field="template"
        )
    return used


def render_name(template: str, parts: NameParts) -> str:
    """The name ``template`` gives a context with ``parts``; refuses when a field the template
    needs is empty, naming it."""
    used = template_fields(template)
    missing = [n for n in dict.fromkeys(used) if not getattr(parts, n)]
    if missing:
        needed = " and ".join(_LABELS[n] for n in missing)
        raise ApplicationError(f"The naming convention needs {needed}", field=missing[0])
    values = {name: getattr(parts, name) for name in FIELDS}
    try:
        name = template.format(**values)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            "The date format in the template is not valid", field="template"
        ) from exc
    name = " ".join(name.split())
    if len(name) > 200:
        raise ApplicationError("The name would be longer than 200 characters", field="label")
    return name


def normalise(name: str) -> str:
    """What duplicate checks compare: accents, case, punctuation and spacing removed."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


# --- Building a convention from its parts -------------------------------------------------------
# Administrators choose the parts of a name in order, and what goes between them; the template
# the service stores is made from those choices, so nobody has to write format strings.

PARTS = [
    ("{term}", "The word for a peer group (Group, Network...)"),
    ("{kind}", "The kind of context"),
    ("{label}", "The name of the place, school or platform"),
    ("{area}", "The area: neighbourhood, estate or ward"),
    ("{location_type}", "The type of location"),
    ("{postcode}", "The postcode (for someone's home, its sector and a reference)"),
    ("{district}", "The postcode district, such as NB1"),
    ("{opened:%Y-%m}", "The month opened, as 2025-03"),
    ("{opened:%B %Y}", "The month opened, as March 2025"),
    ("{opened:%Y}", "The year opened"),
]
SEPARATORS = [
    (" – ", "A dash: Group – Eastfield"),
    (", ", "A comma: Group, Eastfield"),
    (" / ", "A slash: Group / Eastfield"),
    (" ", "A space: Group Eastfield"),
]
BUILDER_PARTS = 5


def build_template(*, words: str, parts: list[str], separator: str) -> str:
    """The template for ``words`` (fixed text at the start, optional), then ``parts`` (values
    of PARTS, in order), joined by ``separator``. Braces in ``words`` are kept as text."""
    pieces = []
    words = " ".join((words or "").split())
    if words:
        pieces.append(words.replace("{", "{{").replace("}", "}}"))
    pieces.extend(part for part in parts if part)
    return separator.join(pieces)


def builder_initial(template: str) -> dict[str, str]:
    """The builder's choices that make ``template`` again, or {} when the template is not one
    the builder can make (it was written by hand): the page then shows it as written."""
    known = {value for value, _ in PARTS}
    for separator, _ in SEPARATORS:
        pieces = template.split(separator)
        words = ""
        if pieces and pieces[0] not in known:
            words, pieces = pieces[0], pieces[1:]
            if "{" in words or "}" in words:
                continue
        if pieces and len(pieces) <= BUILDER_PARTS and all(p in known for p in pieces):
            initial = {"words": words, "separator": separator}
            for index, piece in enumerate(pieces, start=1):
                initial[f"part_{index}"] = piece
            if build_template(words=words, parts=pieces, separator=separator) == template:
                return initial
    return {}
