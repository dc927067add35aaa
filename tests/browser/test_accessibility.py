"""axe-core over every page that exists so far, as each role that sees it.

One test per role (one database and one sign-in each: on PostgreSQL, emptying the database between
tests costs more than checking a page), with one subtest per page, so a failure names the role and
the page and prints axe's report for that page. Error states are reached through the real
buttons, so they are the pages the server actually renders; signing in is done with a session
cookie (the journeys cover the form). Pages that are not ours are left out: Django's admin site
and the Swagger UI of the API documentation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from cases.models import Allocation, YoungPerson
from tests.browser.conftest import sign_in_through_form

AXE = Axe()


@dataclass(frozen=True)
class Records:
    young_person: YoungPerson
    other_young_person: YoungPerson
    practitioner_allocation: Allocation


Visit = Callable[[Page, pytest.FixtureRequest], None]


@dataclass(frozen=True)
class Case:
    id: str
    visit: Visit
    heading: str  # the page's <h1>, to prove the page is the one we meant to check


def _records(request: pytest.FixtureRequest) -> Records:
    return request.getfixturevalue("records")


def _go(path: str) -> Visit:
    def visit(page: Page, request: pytest.FixtureRequest) -> None:
        page.goto(path.format(r=_records(request)))

    return visit


def _sign_in_empty(page: Page, request: pytest.FixtureRequest) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _locked_out(page: Page, request: pytest.FixtureRequest) -> None:
    # One failure locks the account here, rather than five page loads to reach the usual limit.
    request.getfixturevalue("settings").AXES_FAILURE_LIMIT = 1
    sign_in_through_form(page, request.getfixturevalue("practitioner").username, "not-it")


def _allocate_empty(page: Page, request: pytest.FixtureRequest) -> None:
    page.goto(f"/young-people/{_records(request).young_person.pk}/")
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def _end_allocation_empty(page: Page, request: pytest.FixtureRequest) -> None:
    records = _records(request)
    allocation = records.practitioner_allocation
    page.goto(f"/young-people/{records.young_person.pk}/allocations/{allocation.pk}/end/")
    page.get_by_role("button", name="End allocation").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()


RECORD = "/young-people/{r.young_person.pk}/"
END_ALLOCATION = RECORD + "allocations/{r.practitioner_allocation.pk}/end/"

# Pages by who is signed in (None: nobody). Pages in one role share a database, so none of them
# may change what a later one shows; the lock-out comes last for that reason.
PAGES_BY_ROLE: dict[str | None, list[Case]] = {
    None: [
        Case("sign-in", _go("/accounts/sign-in/"), "Sign in"),
        Case("sign-in-with-errors", _sign_in_empty, "Sign in"),
        Case("sign-in-locked-out", _locked_out, "You cannot sign in at the moment"),
    ],
    "practitioner": [
        Case("home", _go("/"), "Welcome, Pat"),
        Case("caseload", _go("/young-people/"), "Caseload"),
        Case(
            "caseload-no-results",
            _go("/young-people/?q=nobody-by-this-name&status=closed&mine=on"),
            "Caseload",
        ),
        Case("record", _go(RECORD), "Zephyrine Quillfeather"),
        Case(
            "not-found-other-teams-record",
            _go("/young-people/{r.other_young_person.pk}/"),
            "Page not found",
        ),
    ],
    "team_manager": [
        Case("home", _go("/"), "Welcome, Mona"),
        Case("caseload", _go("/young-people/"), "Caseload"),
        Case("record-with-allocation-form-and-access-log", _go(RECORD), "Zephyrine Quillfeather"),
        Case("access-log", _go(RECORD + "access-log/"), "Zephyrine Quillfeather"),
        Case("allocate-with-errors", _allocate_empty, "Zephyrine Quillfeather"),
        Case("end-allocation", _go(END_ALLOCATION), "Zephyrine Quillfeather"),
        Case("end-allocation-with-errors", _end_allocation_empty, "Zephyrine Quillfeather"),
    ],
    "service_manager": [Case("home", _go("/"), "Welcome, Sid")],
    "administrator": [Case("home", _go("/"), "Welcome, Ada")],
}


@pytest.fixture
def records(young_person, other_young_person, practitioner) -> Records:
    return Records(
        young_person=young_person,
        other_young_person=other_young_person,
        practitioner_allocation=young_person.allocations.get(
            worker=practitioner, ended_at__isnull=True
        ),
    )


@pytest.mark.parametrize(
    "role", PAGES_BY_ROLE, ids=[role or "signed-out" for role in PAGES_BY_ROLE]
)
def test_pages_have_no_axe_violations(role, request, subtests, axe_page: Page, log_in):
    if role:
        log_in(axe_page.context, request.getfixturevalue(role))
    for case in PAGES_BY_ROLE[role]:
        with subtests.test(msg=case.id):
            case.visit(axe_page, request)
            expect(axe_page.get_by_role("heading", level=1)).to_have_text(case.heading)

            results = AXE.run(axe_page)

            assert results.violations_count == 0, (
                f"{case.id} as {role or 'nobody'} ({axe_page.url}) has accessibility "
                f"violations:\n{results.generate_report()}"
            )
