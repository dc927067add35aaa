"""The young person's pathway in a real browser, from referral to a plan in force.

A practitioner records a referral for someone new (two harm types, two locations of harm),
starts an assessment from it, adds a contextual factor and a safety map, and completes it. The
team manager, signed in in a browser of their own, first gives a date of authorisation before
the date of completion (the error summary, whose link focuses the date), then authorises it.
The practitioner drafts a plan, answers the factor with a contextual action and submits the
plan for sign-off; the team manager signs it off with their reasoning, which puts it in force,
and the chronology shows every step. axe-core checks every page on the way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from cases.models import Assessment, Document, LocationOfHarm, Plan, YoungPerson
from cases.reference import DocumentKind, PlanStatus
from harms.models import HarmFlag
from tests.browser.browser_support import TIMEOUT_MS, assert_accessible, sign_in_through_form
from tests.harms.helpers import days_ago, today

CCE = "Child criminal exploitation, including county lines"
GOING_MISSING = "Going missing"
FACTOR = "Meets older men at the Quarry Lane underpass after school"
MAP_TITLE = "Safety map drawn with Oriel"
ACTION = "Detached youth work at the Quarry Lane underpass on weekday evenings"
# Small and invented; the upload is recognised as a PDF by its first bytes.
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def main(page: Page) -> Locator:
    # The header holds a "Sign out" button, so everything pressed here is looked up in <main>.
    return page.locator("main")


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def fill_date(page: Page, legend: str, value: date) -> None:
    group = main(page).get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def press(page: Page, button: str) -> None:
    main(page).get_by_role("button", name=button, exact=True).click()


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to this test's own folder. The live server runs in this process, so it reads
    the changed setting."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def manager_context(browser: Browser, live_server, browser_problems) -> Iterator[BrowserContext]:
    """The team manager's own browser: a second context, so no cookie is shared."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    browser_problems.watch(context)
    yield context
    context.close()


def record_referral_for_someone_new(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload").click()
    main(page).get_by_role("link", name="Referral for someone new").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Referral for a young person new to the service"
    )
    assert_accessible(page, "new-person referral")
    form = main(page)
    form.get_by_label("First name", exact=True).fill("Oriel")
    form.get_by_label("Last name", exact=True).fill("Brackenridge")
    fill_date(page, "Date of birth", date(2011, 2, 14))
    fill_date(page, "Date received", days_ago(10))
    form.get_by_label("Source of referral").select_option(label="Schools")
    form.get_by_label("Reason for referral").fill(
        "Missing from home twice this month; seen getting into cars near the underpass."
    )
    form.get_by_role("group", name="Nature of harm").get_by_label(
        "Extra-familial", exact=True
    ).check()
    harms = form.get_by_role("group", name="Harm flags to raise (optional)")
    harms.get_by_label(f"Exploitation › {CCE}", exact=True).check()
    harms.get_by_label(GOING_MISSING, exact=True).check()
    form.get_by_role("group", name="Decision").get_by_label(
        "Child and family assessment", exact=True
    ).check()
    # The form offers rows for several places: the first, then another in the next row.
    first = form.get_by_role("group", name="Location 1")
    first.get_by_label("Type of place").select_option(label="Transport hub (station, interchange)")
    first.get_by_label("Place name").fill("Quarry Lane underpass")
    another = form.get_by_role("group", name="Location 2")
    another.get_by_label("Type of place").select_option(label="Park or open space")
    another.get_by_label("Postcode", exact=True).fill("NB2 3DE")
    press(page, "Record referral")


def add_contextual_factor(page: Page) -> None:
    main(page).get_by_role("link", name="Add a contextual factor").click()
    expect(
        main(page).get_by_role("heading", level=2, name="Add a contextual factor", exact=True)
    ).to_be_visible()
    assert_accessible(page, "add a contextual factor")
    main(page).get_by_role("group", name="Which context is this factor in?").get_by_label(
        "Neighbourhood or location"
    ).check()
    main(page).get_by_label("Describe the factor").fill(FACTOR)
    press(page, "Add factor")
    expect(success_banner(page)).to_contain_text(
        "Contextual factor added: Neighbourhood or location"
    )


def add_safety_map(page: Page) -> None:
    main(page).get_by_role("link", name="Add a peer or safety map").click()
    expect(
        main(page).get_by_role("heading", level=2, name="Add a peer or safety map", exact=True)
    ).to_be_visible()
    assert_accessible(page, "add a map")
    main(page).get_by_role("group", name="What kind of map is it?").get_by_label(
        "Safety map"
    ).check()
    main(page).get_by_label("Title").fill(MAP_TITLE)
    main(page).get_by_label("Upload a file").set_input_files(
        files=[{"name": "safety-map.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    main(page).get_by_label("How did this map shape the assessment's conclusion?").fill(
        "The underpass is where Oriel feels least safe, so the plan must start there."
    )
    press(page, "Upload map")
    expect(success_banner(page)).to_contain_text("Safety map added")


def complete_assessment(page: Page, completed_on: date) -> None:
    main(page).get_by_role("link", name="Complete assessment").click()
    expect(
        main(page).get_by_role("heading", level=2, name="Complete the assessment")
    ).to_be_visible()
    expect(page.get_by_test_id("factors-to-confirm")).to_have_text(
        f"Neighbourhood or location: {FACTOR}"
    )
    # The CIN census factors come ticked from the two flags the referral raised.
    cin = main(page).get_by_role(
        "group", name="Factors identified at the end of assessment (children in need census)"
    )
    expect(cin.get_by_label("Going or being missing (10A)")).to_be_checked()
    expect(cin.get_by_label("Child criminal exploitation (24A)")).to_be_checked()
    assert_accessible(page, "complete the assessment")
    fill_date(page, "Date completed", completed_on)
    main(page).get_by_label("Conclusion", exact=True).fill(
        "Harm comes from adults Oriel meets at the underpass, not from home."
    )
    main(page).get_by_role("group", name="Nature of the harm found").get_by_label(
        "Extra-familial", exact=True
    ).check()
    main(page).get_by_role("group", name="Decision").get_by_label("Child in need plan").check()
    press(page, "Complete assessment")
    expect(success_banner(page)).to_contain_text(
        "Assessment completed: it now needs a team manager's authorisation"
    )


def authorise_as_team_manager(
    page: Page, assessment_url: str, manager, password: str, completed_on: date
) -> None:
    sign_in_through_form(page, manager.username, password)
    page.goto(assessment_url)
    expect(page.get_by_test_id("assessment-status")).to_have_text("Awaiting authorisation")
    assert_accessible(page, "assessment awaiting authorisation, as the team manager")
    main(page).get_by_role("link", name="Authorise assessment").click()
    expect(
        main(page).get_by_role("heading", level=2, name="Authorise the assessment")
    ).to_be_visible()
    assert_accessible(page, "authorise the assessment")

    # A date before the assessment was completed: refused, with the summary linking to the date.
    fill_date(page, "Date authorised", completed_on - timedelta(days=1))
    press(page, "Authorise assessment")
    expect(page).to_have_title(re.compile(r"^Error: Authorise assessment"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    message = (
        "The date authorised must be the same as or after the date completed "
        f"({long_date(completed_on)})"
    )
    link = summary.get_by_role("link", name=message)
    expect(link).to_have_attribute("href", "#id_authorised_on_0")
    expect(page.locator("#id_authorised_on-error")).to_have_text(f"Error: {message}")
    date_group = main(page).get_by_role("group", name="Date authorised")
    expect(date_group).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_authorised_on-error\b")
    )
    day = date_group.get_by_label("Day")
    expect(day).to_have_attribute("aria-invalid", "true")
    # The service's error marks the boxes red, as a form's own error does.
    expect(day).to_have_class(re.compile(r"\bgovuk-input--error\b"))
    assert_accessible(page, "authorise the assessment, with an error")
    link.click()
    expect(day).to_be_focused()
    assert Assessment.objects.get().authorised_on is None

    fill_date(page, "Date authorised", today())
    main(page).get_by_label("Your reasoning").fill(
        "The contextual factors are well evidenced and the child in need plan follows from them."
    )
    press(page, "Authorise assessment")
    expect(success_banner(page)).to_contain_text("Assessment authorised")
    expect(page.get_by_test_id("assessment-status")).to_have_text("Authorised")
    assert_accessible(page, "authorised assessment, as the team manager")


def draft_plan_answering_the_factor(page: Page) -> None:
    main(page).get_by_role("link", name="Draft a plan").click()
    expect(page.get_by_test_id("plan-assessment")).to_contain_text(
        "which identified 1 contextual factor."
    )
    assert_accessible(page, "draft a plan")
    main(page).get_by_role("group", name="Kind of plan").get_by_label("Child in need").check()
    fill_date(page, "Start date", today())
    fill_date(page, "Next review date", today() + timedelta(days=28))
    main(page).get_by_label("What the plan is for (optional)").fill(
        "Make the underpass and the routes home from school safer for Oriel."
    )
    press(page, "Draft plan")
    expect(success_banner(page)).to_contain_text("Child in need plan drafted")
    row = page.get_by_test_id("factor-row")
    expect(row).to_have_count(1)
    expect(row.locator(".govuk-tag")).to_have_text("Open")
    expect(page.get_by_test_id("open-count")).to_have_text("1 of 1 extra-familial factor is open.")
    assert_accessible(page, "draft plan with an open factor")

    # The factor is named in visually hidden text, which makes its own run of the name.
    answer = re.compile(rf"^Answer with an action\s*: {re.escape(FACTOR)}$")
    row.get_by_role("link", name=answer).click()
    # Reached from the factor: a contextual action answering it is already chosen.
    form = main(page)
    expect(
        form.get_by_role("group", name="What kind of action is it?").get_by_label(
            "A contextual action"
        )
    ).to_be_checked()
    expect(
        form.get_by_role(
            "group", name="Contextual factor this action answers (optional)"
        ).get_by_label(re.compile(re.escape(FACTOR)))
    ).to_be_checked()
    assert_accessible(page, "add an action")
    form.get_by_label("Action", exact=True).fill(ACTION)
    form.get_by_label("Who is responsible").fill("Youth worker, Northbrook Youth Hub")
    fill_date(page, "Due date (optional)", today() + timedelta(days=14))
    form.get_by_label("Context the action targets").select_option(label="Neighbourhood or location")
    form.get_by_label("Partner agency").select_option(label="Youth service")
    press(page, "Add action")
    expect(success_banner(page)).to_contain_text("Action added")
    expect(row.locator(".govuk-tag")).to_have_text("Planned for")
    expect(page.get_by_test_id("open-count")).to_have_text(
        "Every extra-familial factor is planned for or marked as not addressed."
    )
    expect(page.get_by_test_id("action-row")).to_contain_text(
        "Contextual: Neighbourhood or location, with Youth service"
    )

    # A child in need plan goes into force when a team manager signs it off.
    main(page).get_by_role("link", name="Submit for sign-off").click()
    expect(page.get_by_test_id("open-factors-warning")).to_have_count(0)
    assert_accessible(page, "submit the plan for sign-off")
    press(page, "Submit for sign-off")
    expect(success_banner(page)).to_contain_text("Plan submitted for sign-off")
    expect(
        main(page).get_by_role(
            "heading", level=2, name="Child in need plan Awaiting sign-off", exact=True
        )
    ).to_be_visible()
    expect(page.get_by_test_id("sign-off-state")).to_contain_text("Awaiting sign-off since")
    assert_accessible(page, "plan awaiting sign-off")


SIGN_OFF_REASONING = "The youth work answers the factor the assessment found; safe to start."


def sign_off_as_team_manager(page: Page, plan_url: str) -> None:
    """The manager, already signed in, opens the plan and signs it off with their reasoning."""
    page.goto(plan_url)
    main(page).get_by_role("link", name="Sign off plan").click()
    assert_accessible(page, "sign off the plan")
    press(page, "Sign off plan")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter your reasoning for signing off the plan"
    )
    main(page).get_by_label("Your reasoning").fill(SIGN_OFF_REASONING)
    press(page, "Sign off plan")
    expect(success_banner(page)).to_contain_text("Plan signed off: it is now in force")
    expect(
        main(page).get_by_role("heading", level=2, name="Child in need plan In force", exact=True)
    ).to_be_visible()
    expect(page.get_by_test_id("sign-off-state")).to_contain_text(
        f"Signed off by Mona Tester on {long_date(today())}: {SIGN_OFF_REASONING}"
    )
    assert_accessible(page, "plan in force")


def test_referral_to_a_plan_in_force_for_someone_new(
    page: Page,
    sign_in,
    browser_problems,
    live_server,
    media_root,
    manager_context: BrowserContext,
    password,
    practitioner,
    team_manager,
):
    completed_on = days_ago(2)
    sign_in(practitioner)
    assert_accessible(page, "home")

    # The referral opens the record, raises both flags and keeps both places.
    record_referral_for_someone_new(page)
    young_person = YoungPerson.objects.get(first_name="Oriel", last_name="Brackenridge")
    record_url = f"{live_server.url}/young-people/{young_person.pk}/"
    expect(page).to_have_url(record_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Oriel Brackenridge")
    expect(success_banner(page)).to_contain_text(
        f"Referral recorded; flags raised: {CCE}, {GOING_MISSING}"
    )
    expect(page.get_by_test_id("current-flag")).to_have_count(2)
    assert sorted(
        LocationOfHarm.objects.filter(young_person=young_person).values_list(
            "location_type__name", "place_name", "postcode"
        )
    ) == [
        ("Park or open space", "", "NB2 3DE"),
        ("Transport hub (station, interchange)", "Quarry Lane underpass", ""),
    ]
    assert_accessible(page, "record after the referral")
    browser_problems.assert_none()

    # The assessment, started from the referral.
    main(page).get_by_role("link", name="Start an assessment").click()
    expect(page).to_have_url(f"{record_url}assessments/new/")
    assert_accessible(page, "start an assessment")
    fill_date(page, "Date started", days_ago(8))
    main(page).get_by_label("Referral that led to this assessment (optional)").select_option(
        label=f"Received {long_date(days_ago(10))}: Schools"
    )
    main(page).get_by_label("Peers and friendships (optional)").fill(
        "Few friends of her own age; spends time with adults she met online."
    )
    press(page, "Start assessment")
    expect(success_banner(page)).to_contain_text("Assessment started")
    assessment = Assessment.objects.get(young_person=young_person)
    assessment_url = f"{record_url}assessments/{assessment.pk}/"
    expect(page).to_have_url(assessment_url)
    expect(page.get_by_test_id("assessment-status")).to_have_text("In progress")
    assert_accessible(page, "assessment in progress")

    add_contextual_factor(page)
    expect(page.get_by_test_id("contextual-factor")).to_contain_text(FACTOR)
    add_safety_map(page)
    map_row = page.get_by_test_id("map")
    expect(map_row).to_contain_text(f"Safety map: {MAP_TITLE}")
    # The file comes back as uploaded, through the permission-checked download.
    download = page.request.get(
        map_row.get_by_role("link", name=f"{MAP_TITLE} (download)").get_attribute("href")
    )
    assert download.ok
    assert download.body() == PDF
    assert_accessible(page, "assessment with a factor and a map")
    browser_problems.assert_none()

    complete_assessment(page, completed_on)
    expect(page.get_by_test_id("assessment-status")).to_have_text("Awaiting authorisation")
    expect(page.get_by_test_id("awaiting-note")).to_have_text(
        "A team manager of Team A needs to authorise this assessment."
    )
    expect(page.get_by_test_id("cin-factors").locator("li")).to_have_count(2)
    assert_accessible(page, "assessment awaiting authorisation")
    browser_problems.assert_none()

    # The team manager, in a browser of their own.
    manager_page = manager_context.new_page()
    authorise_as_team_manager(manager_page, assessment_url, team_manager, password, completed_on)
    browser_problems.assert_none()

    # Back with the practitioner: a plan that answers the assessment's factor.
    page.goto(record_url)
    draft_plan_answering_the_factor(page)
    browser_problems.assert_none()

    plan = Plan.objects.get(young_person=young_person)
    assert (plan.status, plan.submitted_by) == (PlanStatus.SUBMITTED, practitioner)
    sign_off_as_team_manager(manager_page, f"{record_url}plans/{plan.pk}/")
    browser_problems.assert_none()
    plan.refresh_from_db()
    assert (plan.status, plan.assessment_id, plan.finalised_by, plan.sign_off_reason) == (
        PlanStatus.ACTIVE,
        assessment.pk,
        team_manager,
        SIGN_OFF_REASONING,
    )
    assessment.refresh_from_db()
    assert (assessment.completed_on, assessment.authorised_on, assessment.authorised_by) == (
        completed_on,
        today(),
        team_manager,
    )
    assert Document.objects.get(young_person=young_person).kind == DocumentKind.SAFETY_MAP
    assert HarmFlag.objects.filter(young_person=young_person).count() == 2

    # The chronology: every step, newest first (by the date each happened, then when recorded).
    main(page).get_by_role("navigation", name="Parts of this record").get_by_role(
        "link", name="Chronology"
    ).click()
    expect(page).to_have_url(f"{record_url}chronology/")
    chronology = page.get_by_test_id("chronology")
    expect(chronology.locator(".moj-timeline__title")).to_have_text(
        [
            "Child in need plan signed off",
            "Contextual action added",
            "Child in need plan starts",
            "Assessment authorised",
            f"Safety map added: {MAP_TITLE}",
            "Worker allocated: Pat Tester",
            "Team allocated: Team A",
            "Assessment completed",
            "Assessment started",
            f"Harm flag raised: {GOING_MISSING}",
            f"Harm flag raised: {CCE}",
            "Referral received",
        ]
    )
    authorised = chronology.locator(".moj-timeline__item", has_text="Assessment authorised")
    expect(authorised.locator(".moj-timeline__byline")).to_have_text("by Mona Tester")
    expect(authorised.locator("time")).to_have_text(long_date(today()))
    expect(
        chronology.locator(".moj-timeline__item", has_text="Contextual action added")
    ).to_contain_text(f"Neighbourhood or location, with Youth service: {ACTION}")
    expect(
        chronology.locator(".moj-timeline__item", has_text="Referral received").locator("time")
    ).to_have_text(long_date(days_ago(10)))
    assert_accessible(page, "chronology")

    # Filtered to the assessment: its three steps only.
    page.get_by_test_id("chronology-filter").get_by_label("Assessments").check()
    page.get_by_role("button", name="Apply filter").click()
    expect(page).to_have_url(f"{record_url}chronology/?kind=assessment")
    expect(chronology.locator(".moj-timeline__title")).to_have_text(
        ["Assessment authorised", "Assessment completed", "Assessment started"]
    )
    expect(page.get_by_test_id("chronology-count")).to_have_text(
        "3 entries shown by the filter, newest first."
    )
    assert_accessible(page, "chronology, filtered")
    browser_problems.assert_none()
