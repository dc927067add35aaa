"""Reading output for a child's identity in any rendering, and filling forms in wrongly.

A support module for the privacy tests (tests/contexts/test_privacy.py, tests/security): it is
imported by test files and imports none. ``renderings_of(young_person)`` gives every way a
canary child's identity could appear in a page, an API body, a CSV, a notification or an e-mail;
``assert_no_rendering(text, children)`` fails naming the rendering found and the text around it.

Looking only for the stored strings misses the renderings a template or serializer makes of
them: initials, "LAST, First", a birth year beside a name, a date of birth in another format, a
link to the record, and each of those HTML- or JSON-escaped. Canary children are given names
whose parts and initials are strings that appear nowhere by chance ("Quillon", "Xandrel", "QX"),
so that each part can be looked for on its own.

The second half reads the ``<form method="post">`` of a page and fills it in as a person would,
then wrongly (a date in the future, a date that does not exist, required text left blank, a bad
postcode), so that error pages and 400 bodies are read too. Every person here is invented.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import quote, quote_plus

import pytest
from django.utils import timezone
from django.utils.html import escape as django_escape

from tests.html_forms import Field
from tests.html_forms import post_forms_of as post_forms_of  # used by the privacy tests
from tests.resolver_routes import routes, view_methods

# --- Renderings of a child ---------------------------------------------------------------------


def date_renderings(born: date) -> list[str]:
    """A date of birth as the app writes it ("j F Y", "j M Y", dd/mm/yyyy, ISO) and as other
    code might."""
    return [
        f"{born.day} {born:%B %Y}",
        f"{born:%d %B %Y}",
        f"{born.day} {born:%b %Y}",
        f"{born:%d %b %Y}",
        f"{born:%d/%m/%Y}",
        born.isoformat(),
        f"{born.day}/{born.month}/{born.year}",
        f"{born:%d-%m-%Y}",
        f"{born:%d.%m.%Y}",
        f"{born:%m/%d/%Y}",
        f"{born:%Y%m%d}",
        f"{born:%B} {born.day}, {born.year}",
        f"{born:%b}. {born.day}, {born.year}",
        f"born {born:%B %Y}",
    ]


def _initial(name: str) -> str:
    return _ascii(name)[:1].upper()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _parts(name: str) -> list[str]:
    """The words of a name of several ("Xandrel-Ombridge", "O'Vrey"), long enough to be
    distinctive on their own."""
    words = [w for w in re.split(r"[\s\-'’]+", name) if len(w) >= 5]
    return words if len(words) > 1 else []


@functools.cache
def _record_url_prefixes() -> tuple[str, ...]:
    """Every URL of the resolver with a young person's pk in it, cut after the pk and written
    with "{pk}": "/young-people/{pk}", "/api/v1/young-people/{pk}",
    "/contexts/young-people/{pk}"... A young person is the parameter named young_person_pk (or
    _id), or the pk or id right after a "young-people" segment."""
    found = []
    for pattern in (route.pattern for route in routes()):
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
        text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
        for noise in ("^", "$", "\\", "?"):
            text = text.replace(noise, "")
        segments = [s for s in text.split("/") if s]
        for index, segment in enumerate(segments):
            parameter = re.fullmatch(r"(.*){(\w+)}(.*)", segment)
            if parameter is None:
                continue
            before = segments[index - 1] if index else ""
            name = parameter.group(2)
            if name in ("young_person_pk", "young_person_id") or (
                name in ("pk", "id") and before == "young-people"
            ):
                prefix = "/" + "/".join([*segments[:index], f"{parameter.group(1)}{{pk}}"])
                found.append(prefix)
            # Another parameter before the young person's cannot be filled: stop at it.
            break
    return tuple(sorted(set(found), key=lambda p: (-len(p), p)))


def _base_renderings(person) -> list[str]:
    """Most specific first, so that a leak is named by the fullest rendering found."""
    first, last, preferred = person.first_name, person.last_name, person.preferred_name
    year = person.date_of_birth.year
    f, ell = _initial(first), _initial(last)
    found: list[str] = []
    for given in [first, preferred] if preferred else [first]:
        g = _initial(given)
        found += [
            f"{given} {last} ({year})",
            f"{given} {last}, born {year}",
            f"{given} {last}",
            f"{last}, {given}",
            f"{last.upper()}, {given}",
            f"{last.upper()} {given}",
            f"{given} {last.upper()}",
            f"{last} {given}",
            f"{given} {ell}.",
            f"{g}. {last}",
            f"{g} {last}",
            f"{g}.{last}",
            f"{last}, {g}.",
            f"{last} {g}",
        ]
    found += [
        f"{f}.{ell}. ({year})",
        f"{f}{ell} ({year})",
        f"{f}.{ell}.",
        f"{f}. {ell}.",
        f"{f}.{ell}",
        f"{f}{ell}",
        f"born {year}",
        f"b. {year}",
        *date_renderings(person.date_of_birth),
        person.local_identifier,
        first,
        *([preferred] if preferred else []),
        last,
        *_parts(first),
        *_parts(last),
    ]
    pk = person.pk
    found += [prefix.format(pk=pk) for prefix in _record_url_prefixes()]
    found += [
        f"young_person={pk}",
        f"young_person_pk={pk}",
        f"young_person_id={pk}",
        f'"young_person": {pk}',
        f'"young_person":{pk}',
        f'"young_person_id": {pk}',
        f'"young_person_id":{pk}',
    ]
    return found


def _variants(rendering: str) -> list[str]:
    """The rendering as templates, JSON, URLs and other code may write it."""
    found = [
        rendering,
        django_escape(rendering),  # ' as &#x27;
        html.escape(rendering),
        rendering.replace("'", "&#39;"),
        rendering.replace("'", "&apos;"),
        rendering.replace("'", "’"),
        json.dumps(rendering)[1:-1],  # non-ASCII as \\u00eb
        json.dumps(rendering)[1:-1].replace("/", "\\/"),
        quote(rendering),
        quote(rendering, safe=""),
        quote_plus(rendering),
        unicodedata.normalize("NFD", rendering),
        _ascii(rendering),
    ]
    return [v for v in dict.fromkeys(found) if v]


def renderings_of(young_person) -> list[str]:
    """Every rendering of the child's identity that could appear in output, each with its HTML-,
    JSON- and URL-escaped variants, most specific first: full names in the usual orders and
    cases, initial and surname, initials (only distinctive for a canary), names with the birth
    year, the first name, preferred name and surname alone (and the words of a surname of
    several), the date of birth in the app's formats and others, the local identifier, and every
    URL with the child's pk where a young person goes."""
    return list(_renderings(_Identity.of(young_person)))


@dataclass(frozen=True)
class _Identity:
    pk: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    local_identifier: str

    @classmethod
    def of(cls, person) -> _Identity:
        return cls(
            person.pk,
            person.first_name,
            person.last_name,
            person.preferred_name,
            person.date_of_birth,
            person.local_identifier,
        )


@functools.cache
def _renderings(identity: _Identity) -> tuple[str, ...]:
    found = []
    for rendering in _base_renderings(identity):
        found += _variants(rendering)
    return tuple(dict.fromkeys(found))


# --- Finding them ------------------------------------------------------------------------------

# Around initials ("QX", "Q.X."), nothing that could make them part of a word or a token.
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-]")


def _initials(rendering: str) -> bool:
    letters = re.sub(r"[.\s]", "", rendering)
    return len(letters) <= 3 and letters.isalpha() and letters.isupper()


@dataclass(frozen=True)
class Found:
    rendering: str
    child: int  # the young person's pk
    start: int
    end: int
    snippet: str

    def __str__(self) -> str:
        return f"{self.rendering!r} (young person {self.child}) at {self.start}: {self.snippet}"


def _occurrences(text: str, lowered: str, rendering: str) -> Iterable[int]:
    exact = _initials(rendering)
    haystack, needle = (text, rendering) if exact else (lowered, rendering.lower())
    start = haystack.find(needle)
    while start != -1:
        end = start + len(needle)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if exact:
            ok = not (before and _TOKEN.match(before)) and not (after and _TOKEN.match(after))
        else:
            # "/young-people/12" is not in "/young-people/123", nor "9 May" in "19 May".
            ok = not (rendering[-1].isdigit() and after.isdigit()) and not (
                rendering[0].isdigit() and before.isdigit()
            )
        if ok:
            yield start
        start = haystack.find(needle, start + 1)


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    around = text[max(start - width, 0) : end + width]
    return repr(" ".join(around.split()))


def renderings_found(text: str, children: Iterable, *, also: Iterable[str] = ()) -> list[Found]:
    """Each place in ``text`` where a rendering of one of ``children`` (or one of the ``also``
    strings, such as the reason for a link) appears, named by the fullest rendering there."""
    lowered = text.lower()
    hits = []
    for child in children:
        for rendering in [*renderings_of(child), *also]:
            for start in _occurrences(text, lowered, rendering):
                hits.append((start, start + len(rendering), rendering, child.pk))
    # A hit inside a longer one ("Quillon" inside "Quillon Xandrel") is the same leak.
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple] = []
    for hit in hits:
        if kept and hit[0] >= kept[-1][0] and hit[1] <= kept[-1][1]:
            continue
        kept.append(hit)
    return [Found(r, pk, s, e, _snippet(text, s, e)) for s, e, r, pk in kept]


def assert_no_rendering(text: str, children: Iterable, *, where: str = "", also=()) -> None:
    """Fail, naming each rendering of a child found in ``text`` and the text around it."""
    found = renderings_found(text, children, also=also)
    if found:
        heading = f"{where}: " if where else ""
        pytest.fail(
            f"{heading}a child's identity is shown:\n" + "\n".join(f"  {f}" for f in found),
            pytrace=False,
        )


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def email_texts(message) -> str:
    """Everything a recipient of ``message`` reads: subject, body, HTML alternatives and
    attachments that are text."""
    parts = [message.subject, message.body]
    parts += [content for content, _type in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload()
        parts.append(content.decode(errors="replace") if isinstance(content, bytes) else content)
    return "\n".join(str(p) for p in parts)


# --- Forms filled in wrongly -------------------------------------------------------------------


_DATE_PARTS = ("_day", "_month", "_year")
THEMATIC_TEXT = "Seen near the shops after school"
GOOD_POSTCODE = "NB7 3QT"
BAD_POSTCODE = "NOT A POSTCODE"


def _date_groups(fields: dict[str, Field]) -> list[str]:
    return sorted({n.rsplit("_", 1)[0] for n in fields if n.endswith(_DATE_PARTS)})


def filled_in(fields: dict[str, Field]) -> dict:
    """The form as a person fills it in: what the page offers, a plausible date, thematic text."""
    data: dict = {}
    for name, found in fields.items():
        if found.kind in {"hidden", "submit", "button"}:
            if found.value:
                data[name] = found.value
            continue
        if found.options:
            options = [o for o in found.options if o] or [""]
            data[name] = found.value or (options[:1] if found.many else options[0])
        elif found.value.strip():
            data[name] = found.value.strip()
        elif "postcode" in name:
            data[name] = GOOD_POSTCODE
        elif not name.endswith(_DATE_PARTS):
            data[name] = THEMATIC_TEXT
    past = timezone.localdate() - timedelta(days=7)
    for group in _date_groups(fields):
        if not data.get(f"{group}_day"):
            data |= _date(group, past)
    return data


def _date(group: str, on: date | tuple) -> dict:
    day, month, year = (on.day, on.month, on.year) if isinstance(on, date) else on
    return {f"{group}_day": str(day), f"{group}_month": str(month), f"{group}_year": str(year)}


def invalid_postings(fields: dict[str, Field]) -> dict[str, dict]:
    """{what is wrong: the posting}: the form filled in, then one thing wrong in each way the
    form allows (a date in the future, a date that does not exist, required text left blank, a
    bad postcode)."""
    good = filled_in(fields)
    dates = _date_groups(fields)
    texts = [n for n, f in fields.items() if f.kind in {"text", "textarea"} and n not in dates]
    texts = [n for n in texts if not n.endswith(_DATE_PARTS)]
    future = timezone.localdate() + timedelta(days=3 * 365)
    postings = {}
    if dates:
        postings["a date in the future"] = good | {
            k: v for g in dates for k, v in _date(g, future).items()
        }
        postings["a date that does not exist"] = good | {
            k: v for g in dates for k, v in _date(g, (31, 2, future.year - 3)).items()
        }
        postings["a date left blank"] = good | {f"{g}{p}": "" for g in dates for p in _DATE_PARTS}
    if texts:
        postings["the text left blank"] = good | {n: "" for n in texts}
    postcodes = [n for n in fields if "postcode" in n]
    if postcodes:
        postings["a bad postcode"] = good | {n: BAD_POSTCODE for n in postcodes}
    choices = [n for n, f in fields.items() if f.options and f.kind != "hidden"]
    if choices:
        postings["a choice that is not offered"] = good | {n: "not-a-choice" for n in choices}
    postings["nothing at all"] = {n: v for n, v in good.items() if fields[n].kind == "hidden"}
    return postings


def as_json(posting: dict) -> dict:
    """A page's posting as the API takes it: dates from their day, month and year boxes as ISO
    (or as typed, when they make no date), the rest as posted."""
    data = {k: v for k, v in posting.items() if not k.endswith(_DATE_PARTS)}
    for group in {k.rsplit("_", 1)[0] for k in posting if k.endswith(_DATE_PARTS)}:
        day, month, year = (posting.get(f"{group}{p}", "") for p in _DATE_PARTS)
        if not (day or month or year):
            data[group] = ""
            continue
        try:
            data[group] = date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            data[group] = f"{year}-{month:0>2}-{day:0>2}"
    return data


def refused(response) -> bool:
    """An error page or body: an error status, or the page again with the GOV.UK error summary."""
    if response.status_code >= 400:
        return True
    return response.status_code == 200 and "govuk-error-summary" in body_of(response)


# --- Routes ------------------------------------------------------------------------------------


WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def writing_methods(view) -> set[str]:
    """The methods other than GET a view takes: a DRF viewset's actions, a class view's
    handlers, or a function view's ``require_http_methods`` (all, when it says nothing)."""
    methods = view_methods(view)
    return WRITES if methods is None else methods & WRITES


def context_writes() -> dict[str, tuple[str, tuple[str, ...], set[str]]]:
    """{route name: (pattern, parameters, methods)} of every context page and API route that
    takes a write, but the young person's side (which takes young_person_pk and belongs to the
    child's record)."""
    found = {}
    for route in routes():
        plain = route.pattern.replace("^", "").replace("\\", "")
        if not plain.startswith(("contexts/", "api/v1/context")):
            continue
        if "young_person_pk" in route.parameters:
            continue
        if methods := writing_methods(route.view):
            found[route.name] = (route.pattern, route.parameters, methods)
    return found


# The page form behind each context API operation that writes, so that the API is sent the same
# postings as the page (as JSON).
API_FORMS = {
    ("context-list", "POST"): "contexts:new",
    ("context-detail", "PATCH"): "contexts:edit",
    ("context-close", "POST"): "contexts:close",
    ("context-reopen", "POST"): "contexts:reopen",
    ("context-records", "POST"): "contexts:record_new",
    ("context-actions", "POST"): "contexts:action_new",
    ("context-action-progress", "POST"): "contexts:action_progress",
    ("context-plan-review", "POST"): "contexts:plan_review_date",
    ("context-naming", "PUT"): "contexts:convention_edit",
    # Correcting, withdrawing and redacting a record's, an action's or a status change's text.
    **{
        (f"context-{segment}-{verb}", "POST"): f"contexts:{part}_{verb}"
        for part, segment in (
            ("record", "record"),
            ("action", "action"),
            ("status_change", "status-change"),
        )
        for verb in ("correct", "withdraw", "redact")
    },
}


def rolled_back(send):
    """The answer to a request whose writes, if it makes any, are undone before the next."""
    from django.db import transaction

    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response
