"""The fields of a page's ``<form method="post">``, read as a browser would read them.

A support module for the tests that fill in or fuzz csafe's forms (tests/privacy_canary.py,
tests/security/test_form_fuzz.py): it is imported by test files and imports none.
``post_forms_of(page, page_url)`` gives {path the form posts to: {field name: Field}}; what a
field offers (its options, its pre-filled value) is read from the page, so that a test posts
what a person could.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "select" / "textarea"
    options: list = field(default_factory=list)  # a select's options, checkbox or radio values
    value: str = ""  # the pre-filled value: an input's value, a textarea's text
    many: bool = False  # more than one value may be posted: checkboxes, <select multiple>


class _PostForms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, Field]]] = []  # (action, fields) in page order
        self._fields: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = {} if a.get("method", "").lower() == "post" else None
            if self._fields is not None:
                self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None or tag not in {"input", "select", "option", "textarea"}:
            return
        if tag == "option":
            if self._select:
                self._fields[self._select].options.append(a.get("value", ""))
            return
        name = a.get("name")
        if not name or name == "csrfmiddlewaretoken":
            return
        kind = a.get("type", "text").lower() if tag == "input" else tag
        found = self._fields.setdefault(name, Field(name=name, kind=kind))
        if kind in {"checkbox", "radio"}:
            found.options.append(a.get("value", "on"))
            found.many = found.many or kind == "checkbox"
        elif tag == "input" and a.get("value"):
            found.value = a["value"]
        if tag == "select":
            self._select = name
            found.many = "multiple" in a
        elif tag == "textarea":
            self._textarea = name

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea].value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms_of(page: str, page_url: str) -> dict[str, dict[str, Field]]:
    """{path the form posts to: its fields} for each ``<form method="post">`` of the page, its
    action resolved against ``page_url`` (no action posts to the page itself). When two forms
    post to one path, the last on the page is kept."""
    parser = _PostForms()
    parser.feed(page)
    return {urlsplit(urljoin(page_url, action)).path: fields for action, fields in parser.forms}


def date_fields(name: str, value: date) -> dict[str, str]:
    """What a GOV.UK date input named ``name`` posts for ``value``."""
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }
