"""Work for you, in a real browser: a practitioner completes an assessment; the team manager,
in a browser of their own, sees "Work for you (1)" in the header, finds the assessment there,
opens it from the row and authorises it with their reasoning, and it leaves the tray. The
practitioner submits a child in need plan for sign-off; it reaches the manager's tray, and the
manager signs it off from there. axe-core checks the worktray with rows and empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from cases.models import Assessment, Plan
from cases.reference import PlanStatus
from cases.services import assessments as assessment_services
from cases.services import plans as plan_services
from tests.browser.browser_support import (
    TIMEOUT_MS,
    assert_accessible,
    fill_date,
    main,
    press,
    sign_in_through_form,
)
from tests.harms.helpers import days_ago, today

AUTHORISATION_REASONING = "The analysis of the group at the rec supports a child in need plan."
SIGN_OFF_REASONING = "Youth work at the rec answers what the assessment found; safe to start."


@pytest.fixture
def manager_page(browser: Browser, live_server, browser_problems) -> Iterator[Page]:
    """The team manager's own browser: a second context, so no cookie is shared."""
    context: BrowserContext = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    browser_problems.watch(context)
    yield context.new_page()
    context.close()


def success_banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def menu(page: Page):
    return page.get_by_role("navigation", name="Menu")


def open_worktray(page: Page, count: int) -> None:
    link = menu(page).get_by_role("link", name=re.compile(r"^Work for you"))
    expect(link).to_have_text(f"Work for you ({count})")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work for you")


def test_a_manager_finds_work_in_their_tray_and_signs_it_off(
    page: Page,
    sign_in,
    manager_page: Page,
    browser_problems,
    live_server,
    password,
    practitioner,
    team_manager,
    young_person,
):
    assessment_services.assessment_start(
        actor=practitioner,
        young_person=young_person,
        started_on=days_ago(10),
        peers="Spends evenings with an older group at the Millbrook rec",
    )

    # The practitioner completes the assessment.
    sign_in(practitioner)
    assessment = Assessment.objects.get()
    page.goto(f"/young-people/{young_person.pk}/assessments/{assessment.pk}/")
    main(page).get_by_role("link", name="Complete assessment").click()
    fill_date(page, "Date completed", days_ago(1))
    main(page).get_by_label("Conclusion", exact=True).fill(
        "Harm comes from the older group at the rec, not from home."
    )
    main(page).get_by_role("group", name="Nature of the harm found").get_by_label(
        "Extra-familial", exact=True
    ).check()
    main(page).get_by_role("group", name="Decision").get_by_label("Child in need plan").check()
    main(page).get_by_label(re.compile(r"\(24A\)")).check()
    press(page, "Complete assessment")
    expect(success_banner(page)).to_contain_text(
        "Assessment completed: it now needs a team manager's authorisation"
    )

    # The manager sees it waiting, from the header, and opens it from its row.
    sign_in_through_form(manager_page, team_manager.username, password)
    open_worktray(manager_page, 1)
    rows = manager_page.get_by_test_id("work-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Assessments awaiting authorisation")
    expect(rows.first).to_contain_text(str(practitioner))
    assert_accessible(manager_page, "work for you, with an assessment waiting")
    # The worker filter narrows it; choosing someone with no work empties it.
    main(manager_page).get_by_label("Worker").select_option(label=str(team_manager))
    press(manager_page, "Apply filter")
    expect(main(manager_page)).to_contain_text("Nothing is waiting for this worker.")
    main(manager_page).get_by_role("link", name="Clear filter").click()
    main(manager_page).get_by_role("link", name=re.compile(r"^Assessment completed")).click()
    expect(manager_page).to_have_url(
        f"{live_server.url}/young-people/{young_person.pk}/assessments/{assessment.pk}/"
    )

    # ...authorises it with their reasoning, and it leaves the tray.
    main(manager_page).get_by_role("link", name="Authorise assessment").click()
    fill_date(manager_page, "Date authorised", today())
    main(manager_page).get_by_label("Your reasoning").fill(AUTHORISATION_REASONING)
    press(manager_page, "Authorise assessment")
    expect(success_banner(manager_page)).to_contain_text("Assessment authorised")
    assessment.refresh_from_db()
    assert assessment.authorised_on == today()
    assert assessment.authorisation_reason == AUTHORISATION_REASONING
    open_worktray(manager_page, 0)
    expect(main(manager_page)).to_contain_text("Nothing is waiting for you.")
    assert_accessible(manager_page, "work for you, empty")

    # The practitioner drafts a child in need plan and submits it for sign-off.
    plan = plan_services.plan_create(
        actor=practitioner,
        young_person=young_person,
        kind="cin",
        start_date=today(),
        review_date=today() + timedelta(days=28),
        summary="Make the rec and the routes home safer.",
    )
    page.goto(f"/young-people/{young_person.pk}/plans/{plan.pk}/")
    main(page).get_by_role("link", name="Submit for sign-off").click()
    press(page, "Submit for sign-off")
    expect(success_banner(page)).to_contain_text("Plan submitted for sign-off")

    # It waits in the manager's tray, who signs it off from there.
    manager_page.reload()
    open_worktray(manager_page, 1)
    expect(manager_page.get_by_test_id("work-row").first).to_contain_text("Plans awaiting sign-off")
    assert_accessible(manager_page, "work for you, with a plan waiting")
    main(manager_page).get_by_role(
        "link", name=re.compile(r"^Child in need plan submitted")
    ).click()
    main(manager_page).get_by_role("link", name="Sign off plan").click()
    main(manager_page).get_by_label("Your reasoning").fill(SIGN_OFF_REASONING)
    press(manager_page, "Sign off plan")
    expect(success_banner(manager_page)).to_contain_text("Plan signed off: it is now in force")
    plan.refresh_from_db()
    assert (plan.status, plan.sign_off_reason) == (PlanStatus.ACTIVE, SIGN_OFF_REASONING)
    open_worktray(manager_page, 0)
    expect(main(manager_page)).to_contain_text("Nothing is waiting for you.")
    assert Plan.objects.filter(status=PlanStatus.SUBMITTED).count() == 0
    browser_problems.assert_none()
