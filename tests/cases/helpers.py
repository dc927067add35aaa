"""Small readers of rendered pages shared by the cases and API tests."""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse

SIGN_IN = "/accounts/sign-in/"

_SUMMARY = re.compile(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)
_FIELD_ERROR = re.compile(r'<p id="([^"]+)-error" class="govuk-error-message">(.*?)</p>', re.S)
_TAG = re.compile(r"<[^>]+>")


def text_of(fragment: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", fragment)).split())


def error_summary(response) -> list[str]:
    """The messages in the GOV.UK error summary, in order; [] when the page has none."""
    match = _SUMMARY.search(response.content.decode())
    if match is None:
        return []
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def field_errors(response) -> dict[str, str]:
    """{field id: message} for the error messages shown beside fields."""
    return {
        field_id: text_of(body).removeprefix("Error: ")
        for field_id, body in _FIELD_ERROR.findall(response.content.decode())
    }


def sign_in_redirect(path: str) -> str:
    return f"{SIGN_IN}?next={path}"


def detail_url(young_person) -> str:
    return reverse("cases:detail", args=[young_person.pk])


def access_log_url(young_person) -> str:
    return reverse("cases:access_log", args=[young_person.pk])


def allocate_url(young_person) -> str:
    return reverse("cases:allocate", args=[young_person.pk])


def allocation_end_url(young_person, allocation) -> str:
    return reverse("cases:allocation_end", args=[young_person.pk, allocation.pk])


def api_list_url() -> str:
    return reverse("young-person-list")


def api_detail_url(young_person) -> str:
    return reverse("young-person-detail", args=[young_person.pk])
