"""The browser harness itself: a net that catches nothing would let every journey pass."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_harness_reports_csp_violations_script_errors_and_missing_files(
    page: Page, browser_problems
):
    page.goto("/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    browser_problems.assert_none()

    # An inline script, as a careless template would add: the policy has no 'unsafe-inline'.
    page.evaluate(
        "const script = document.createElement('script');"
        "script.textContent = 'window.inlineRan = true;';"
        "document.head.append(script);"
    )
    page.evaluate("setTimeout(() => { throw new Error('boom from the page'); })")
    page.evaluate(
        "new Promise((resolve) => {"
        "  const link = document.createElement('link');"
        "  link.rel = 'stylesheet'; link.href = '/static/css/missing.css';"
        "  link.onerror = resolve; document.head.append(link);"
        "})"
    )
    page.wait_for_timeout(100)  # let the thrown error and the violation report arrive

    assert page.evaluate("window.inlineRan") is None
    reported = "\n".join(browser_problems.problems)
    assert "Content Security Policy violation: script-src-elem blocked inline" in reported
    assert "boom from the page" in reported
    assert "404 for stylesheet" in reported and "missing.css" in reported
    # Handled: the page fixture would otherwise fail this test on the way out.
    browser_problems.problems.clear()
