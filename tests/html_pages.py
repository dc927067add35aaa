"""Readers of rendered pages, shared by the page tests: the text of a fragment, the GOV.UK error
summary and the messages beside fields, the notification banners, and a part of the page marked
with ``data-testid``, with the rows of the summary list or the table in it.

Each reader takes the response or the page's HTML. A support module: imported by test files,
it imports none (its companion for forms is tests/html_forms.py).
"""

from __future__ import annotations

import re
from html import unescape

_SUMMARY = re.compile(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', re.S)
_FIELD_ERROR = re.compile(r'<p id="([^"]+)-error" class="govuk-error-message">(.*?)</p>', re.S)
_BANNER = re.compile(r'<p class="govuk-notification-banner__heading">(.*?)</p>', re.S)
_SUMMARY_ROW = re.compile(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", re.S)
_TAG = re.compile(r"<[^>]+>")


def page_of(response) -> str:
    return response.content.decode()


def _html(page) -> str:
    return page if isinstance(page, str) else page_of(page)


def text_of(fragment: str) -> str:
    """The text a reader sees: tags dropped, entities read, white space collapsed."""
    return " ".join(unescape(_TAG.sub(" ", fragment)).split())


def error_summary(page) -> list[str]:
    """The messages in the GOV.UK error summary, in order; [] when the page has none."""
    match = _SUMMARY.search(_html(page))
    if match is None:
        return []
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def field_errors(page) -> dict[str, str]:
    """{field id: message} for the error messages shown beside fields."""
    return {
        field_id: text_of(body).removeprefix("Error: ")
        for field_id, body in _FIELD_ERROR.findall(_html(page))
    }


def banners(page) -> list[str]:
    """The headings of the notification banners (the messages after a change), in order."""
    return [text_of(body) for body in _BANNER.findall(_html(page))]


def section(page, testid: str, end: str) -> str:
    """The markup from the element marked ``testid`` to the first ``end`` after it."""
    html = _html(page)
    assert f'data-testid="{testid}"' in html, f"no {testid} on the page"
    return html.split(f'data-testid="{testid}"', 1)[1].split(end, 1)[0]


def summary_rows(page, testid: str) -> dict[str, str]:
    """{key: value} of the summary list marked ``testid``."""
    body = section(page, testid, "</dl>")
    return {text_of(key): text_of(value) for key, value in _SUMMARY_ROW.findall(body)}


def table_rows(page, testid: str) -> list[list[str]]:
    """The text of each cell of each body row of the table marked ``testid``."""
    body = section(page, testid, "</table>").split("<tbody", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
