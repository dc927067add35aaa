"""What the browser tests share: axe-core over a page, finding, filling and pressing things in
the page's <main>, signing in through the real form, and how long to wait for anything."""

from __future__ import annotations

from datetime import date

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

from csafe.accounts.models import User
from csafe.accounts.permissions import requires_two_factor
from tests.two_factor import app_for, fresh_code_for

AXE = Axe()
# The WCAG 2.0 and 2.1 A and AA rules and axe's best-practice rules (landmarks, heading order,
# one <h1>...), named so that a change in axe's defaults cannot quietly drop them, and the rule
# that links with the same accessible name go to the same place (WCAG 2.4.9), off by default:
# "Change" or "See who" links must say which row they are for. Not wcag22aa: its one rule,
# target-size, would ask for 24-pixel targets that GOV.UK's inline text links do not have.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "rules": {"identical-links-same-purpose": {"enabled": True}},
}


def assert_accessible(page: Page, what: str) -> None:
    """axe-core over the page as it is now (AXE_OPTIONS); ``what`` names it in the failure."""
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, (
        f"{what} ({page.url}) has accessibility violations:\n{results.generate_report()}"
    )


def main(page: Page) -> Locator:
    # The header holds a "Sign out" button, so everything pressed here is looked up in <main>.
    return page.locator("main")


def press(page: Page, button: str) -> None:
    main(page).get_by_role("button", name=button, exact=True).click()


def fill_date(page: Page, legend: str, value: date) -> None:
    group = main(page).get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def error_summary(page: Page) -> Locator:
    return page.locator(".govuk-error-summary")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


SIGN_IN_PATH = "/accounts/sign-in/"
VERIFY_PATH = "/accounts/two-factor/code/"
# Playwright's default of 30 s hides a hang for too long; nothing in these pages takes a second.
TIMEOUT_MS = 10_000


def sign_in_through_form(page: Page, username: str, password: str) -> None:
    """The sign-in form and, for a manager or anyone with an authenticator app, the code page
    after it, with the code the app would show (tests/two_factor.py). A manager is given an app
    first, as if they had set it up on an earlier visit."""
    user = User.objects.filter(username=username).first()
    if user is not None and requires_two_factor(user):
        app_for(user)
    page.goto(SIGN_IN_PATH)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    # The answer may come back to the same address (a refusal), so wait for the navigation
    # itself rather than for a URL.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    if user is not None and VERIFY_PATH in page.url:
        page.locator("#id_code").fill(fresh_code_for(app_for(user)))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue", exact=True).click()
