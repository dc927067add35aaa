"""Browser tests: a real Chromium, driven through Playwright's sync API, against pytest-django's
``live_server``.

* One browser per session (launching Chromium is the slow part). Journeys get a fresh context
  per test through ``page``, so no cookie or storage leaks from one to the next.
* Every test here gets ``pytest.mark.browser`` and a transactional database, because the live
  server answers from other threads and must see the rows the test commits.
* ``page`` records browser console errors, uncaught page errors, Content Security Policy
  violations and failed sub-resources (a script or stylesheet that did not load); the test fails
  if any were seen. The app's CSP has no ``unsafe-inline``, so an inline script or style slipped
  into a template shows up here.
* ``axe_page`` is one page, kept for the session and signed out before each test, in a context
  with ``bypass_csp=True``: axe-core injects its own script, which the CSP would otherwise
  (rightly) refuse.
* ``sign_in(user)`` uses the real sign-in form; ``log_in(context, user)`` sets a session cookie,
  for tests about what a page shows rather than how one signs in.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

from tests.browser.browser_support import TIMEOUT_MS, sign_in_through_form
from tests.two_factor import verify_client

# Playwright's sync API keeps an asyncio event loop running in the main thread, so Django's
# async-safety check would refuse every ORM call the test (or a fixture) makes from that thread.
# Nothing here is really async: the ORM runs in the main thread and the live server's threads.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CSAFE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so limit it to the tests in this folder.
    for item in items:
        if _HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            # First in the list, so it wins over any plain django_db mark on the test.
            item.add_marker(pytest.mark.django_db(transaction=True), append=False)


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after (so stopped before) the test database.

    The server answers each browser connection in its own thread and, with HTTP keep-alive, that
    thread lives as long as the browser holds the connection open. With CONN_MAX_AGE above 0
    (as settings give PostgreSQL) each such thread would keep a database session, and dropping
    the test database at the end would fail with "being accessed by other users". With 0, every
    request closes its connection when it finishes. The settings dict is shared by every
    thread's connection, so changing it here reaches the server's threads too.
    """
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = 0
    return live_server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"No Chromium at {CHROMIUM} (set CSAFE_CHROMIUM)"
        # As for the integration tests: where CI demands the real services, a gap is a failure.
        if os.environ.get("CSAFE_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class BrowserProblems:
    """What the browser complained about while a test ran."""

    problems: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def assert_none(self) -> None:
        assert not self.problems, "The browser reported problems:\n" + "\n".join(self.problems)

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.add(f"uncaught error: {error.error}"))
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_request_failed)
        # Chromium logs CSP refusals to the console too; the event also names the directive.
        context.expose_function("__csafeReportCspViolation", self._on_csp_violation)
        context.add_init_script(
            """
            document.addEventListener("securitypolicyviolation", (event) => {
              window.__csafeReportCspViolation(
                `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
                ` at ${event.sourceFile}:${event.lineNumber}`
              );
            });
            """
        )

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # A 400 or 404 page is an expected answer, which Chromium still logs as "Failed to load
        # resource"; failed sub-resources are caught by _on_response instead.
        if message.text.startswith("Failed to load resource"):
            return
        self.add(f"console error: {message.text} ({message.location.get('url')})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.add(f"{response.status} for {response.request.resource_type} {response.url}")

    def _on_request_failed(self, request) -> None:
        # A navigation that replaces a page still loading is aborted, not failed.
        if request.failure == "net::ERR_ABORTED" and request.resource_type == "document":
            return
        self.add(f"request failed: {request.resource_type} {request.url} ({request.failure})")

    def _on_csp_violation(self, description: str) -> None:
        self.add(f"Content Security Policy violation: {description}")


def _new_context(browser: Browser, base_url: str, **options) -> BrowserContext:
    context = browser.new_context(base_url=base_url, locale="en-GB", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def context(browser: Browser, live_server, browser_problems: BrowserProblems):
    context = _new_context(browser, live_server.url)
    browser_problems.watch(context)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, browser_problems: BrowserProblems) -> Iterator[Page]:
    page = context.new_page()
    yield page
    # Also checked here so a test cannot forget; journeys assert it themselves as well.
    browser_problems.assert_none()


@pytest.fixture(scope="session")
def _axe_session(browser: Browser, live_server) -> Iterator[tuple[Page, BrowserProblems]]:
    # One page for every axe check: opening a page starts a renderer process, which costs more
    # than most checks. Each test starts signed out, with its own problem list.
    context = _new_context(browser, live_server.url, bypass_csp=True)
    problems = BrowserProblems()
    problems.watch(context)
    yield context.new_page(), problems
    context.close()


@pytest.fixture
def axe_page(_axe_session: tuple[Page, BrowserProblems]) -> Iterator[Page]:
    """A page whose context ignores the CSP, so axe-core can inject its script. Script errors and
    missing files are still caught; CSP violations cannot be, so those are left to ``page``."""
    page, problems = _axe_session
    page.context.clear_cookies()
    problems.problems.clear()
    yield page
    problems.assert_none()


SignIn = Callable[..., Page]


@pytest.fixture
def sign_in(page: Page, live_server, password: str) -> SignIn:
    """``sign_in(user)`` signs in through the real form on ``page`` and returns the page."""

    def _sign_in(user) -> Page:
        sign_in_through_form(page, user.username, password)
        # The view redirects to the home page; anything else means the sign-in was refused.
        if page.url != f"{live_server.url}/":
            raise AssertionError(f"Sign-in as {user.username} ended on {page.url}")
        return page

    return _sign_in


@pytest.fixture
def log_in(live_server) -> Callable[[BrowserContext, object], None]:
    """``log_in(context, user)`` gives the context a signed-in session without the form: quicker,
    for tests about what a page shows rather than how one gets there."""

    def _log_in(context: BrowserContext, user) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        verify_client(client, user)  # past two-factor sign-in, as after the code page
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
        )

    return _log_in
