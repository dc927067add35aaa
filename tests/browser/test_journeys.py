"""Journeys through the pages in a real browser: what a practitioner and a team manager do first."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from cases.models import Allocation, AllocationKind


def test_practitioner_signs_in_opens_their_young_person_and_signs_out(
    page: Page,
    sign_in,
    browser_problems,
    live_server,
    practitioner,
    young_person,
    other_young_person,
):
    sign_in(practitioner)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Pat")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload").click()
    expect(page).to_have_url(f"{live_server.url}/young-people/")
    table = page.get_by_test_id("caseload-table")
    expect(page.get_by_test_id("result-count")).to_have_text("1 young person")
    # Only the practitioner's own young person, never another team's.
    expect(table.get_by_role("link")).to_have_text(["Quillfeather, Zephyrine"])

    table.get_by_role("link", name="Quillfeather, Zephyrine").click()
    record_url = f"{live_server.url}/young-people/{young_person.pk}/"
    expect(page).to_have_url(record_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Zephyrine Quillfeather")
    expect(page.locator(".govuk-caption-l")).to_have_text(young_person.local_identifier)
    # A practitioner neither allocates nor reads the access log.
    expect(page.get_by_label("Worker to allocate")).to_have_count(0)
    expect(page.get_by_test_id("access-log")).to_have_count(0)
    browser_problems.assert_none()

    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_test_id("sign-out")).to_have_count(0)

    page.goto(record_url)
    expect(page).to_have_url(
        f"{live_server.url}/accounts/sign-in/?next=/young-people/{young_person.pk}/"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Zephyrine")).to_have_count(0)
    browser_problems.assert_none()


def test_team_manager_allocates_a_teammate_and_ends_the_allocation(
    page: Page, sign_in, browser_problems, live_server, team_manager, teammate, young_person
):
    sign_in(team_manager)
    page.goto(f"/young-people/{young_person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zephyrine Quillfeather")

    page.get_by_label("Worker to allocate").select_option(label="Tam Tester")
    page.get_by_role("button", name="Allocate", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/young-people/{young_person.pk}/")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_have_attribute("role", "alert")
    expect(banner.get_by_role("heading")).to_have_text("Success")
    expect(banner).to_contain_text("Tam Tester is now allocated")
    end_link = page.get_by_role("link", name="End Tam Tester's allocation")
    expect(end_link).to_be_visible()
    browser_problems.assert_none()

    end_link.click()
    allocation = Allocation.objects.get(
        young_person=young_person, worker=teammate, kind=AllocationKind.WORKER
    )
    end_url = f"{live_server.url}/young-people/{young_person.pk}/allocations/{allocation.pk}/end/"
    expect(page).to_have_url(end_url)
    expect(page.get_by_role("heading", level=2, name="End Tam Tester's allocation")).to_be_visible()

    # Submitted empty: the GOV.UK error summary, focused, linking to the field.
    page.get_by_role("button", name="End allocation").click()
    expect(page).to_have_url(end_url)
    expect(page).to_have_title(re.compile(r"^Error: End allocation"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    summary_link = summary.get_by_role("link", name="Enter why the allocation is ending")
    expect(summary_link).to_have_attribute("href", "#id_reason")
    reason = page.get_by_label("Why is this allocation ending?")
    expect(page.locator("#id_reason-error")).to_have_text(
        "Error: Enter why the allocation is ending"
    )
    expect(reason).to_have_attribute("aria-describedby", re.compile(r"\bid_reason-error\b"))
    expect(reason).to_have_class(re.compile(r"\bgovuk-textarea--error\b"))
    summary_link.click()
    expect(reason).to_be_focused()
    browser_problems.assert_none()

    reason.fill("Moved to the duty team")
    page.get_by_role("button", name="End allocation").click()

    expect(page).to_have_url(f"{live_server.url}/young-people/{young_person.pk}/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Tam Tester's allocation has ended"
    )
    expect(page.get_by_role("link", name="End Tam Tester's allocation")).to_have_count(0)
    expect(page.get_by_role("cell", name=re.compile("Moved to the duty team"))).to_be_visible()
    allocation.refresh_from_db()
    assert allocation.ended_at is not None
    assert allocation.ended_by == team_manager
    assert allocation.end_reason == "Moved to the duty team"
    browser_problems.assert_none()
