"""A peer-group context in real browsers, from opening to reopening.

Practitioner A (Team A) opens a group context around an incident, checking the name the naming
convention gives it before saving, and links her young person to it from the young person's
record. Practitioner B (Team B), in a browser of his own, links his young person to it. Each then
sees the other as a professional on the context page, and neither sees any child there: not a
name, a local identifier, a date of birth, a reason for a link or a link to a record. A records
a triangle assessment (the thematic-text guard refuses it first, while it names her young
person); B is told, in the app, and ends his link from his young person's record; the context
stays open. A team manager of Team A closes it (refused first without the closure record), with
the rule to keep the links, and reopens it; the context's chronology shows every step, the links
as counts. axe-core checks every page on the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.models import Context, ContextLink, ContextStatusChange
from contexts.reference import ContextStatus, LinkEndRule
from tests.browser.browser_support import (
    TIMEOUT_MS,
    assert_accessible,
    error_summary,
    fill_date,
    heading,
    main,
    press,
)
from tests.harms.helpers import days_ago, today

AREA = "Larkspur estate"
INCIDENT = "A fight at the Larkspur estate skate park on a Friday evening, about eight young people"
A_REASON = "Reason-canary: she was at the skate park fight and is scared of the older boys"
B_REASON = "Reason-canary: he is said to carry messages for the group"
B_END_REASON = "End-canary: he has moved to a school across the county"
FUNCTIONING = "The group meets most evenings at the skate park; two older members lead it."
GUARDIANSHIP = "No adult is at the skate park after 6pm; the youth club shut in the summer."
WEIGHTING_REASON = "Detached youth work at the skate park would change the evenings fastest."
CLOSE_REASON = "The group no longer meets at the skate park since the youth club reopened."
REOPEN_REASON = "New reports of the group meeting at the skate park after dark."


def textbox(page: Page, label: str) -> Locator:
    # The sides of the triangle are also the weighting's radios, so look for the text box.
    return main(page).get_by_role("textbox", name=label, exact=True)


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def assert_no_child(page: Page, what: str, *people) -> None:
    """The page as served names none of ``people``, gives none of their local identifiers or
    dates of birth (in the usual formats), shows no reason for a link, and links to no record."""
    html = page.content()
    for person in people:
        born = person.date_of_birth
        for secret in (
            person.first_name,
            person.last_name,
            person.local_identifier,
            f"{born.day} {born:%B %Y}",
            f"{born.day} {born:%b %Y}",
            f"{born:%d/%m/%Y}",
            born.isoformat(),
        ):
            assert secret not in html, f"{secret!r} reached {what}"
    assert "canary" not in html.lower(), f"the reason for a link reached {what}"
    assert not re.search(r"/young-people/\d", html), f"a link to a young person's record on {what}"


def professional_rows(page: Page) -> Locator:
    return page.get_by_test_id("professionals-table").get_by_test_id("professional")


def expect_professionals(page: Page, expected: list[tuple[str, str]]) -> None:
    """The professionals table, as (name, team) per row, in the page's order."""
    rows = professional_rows(page)
    expect(rows).to_have_count(len(expected))
    for index, (name, team) in enumerate(expected):
        cells = rows.nth(index).get_by_role("cell")
        expect(cells.nth(0)).to_have_text(name)
        expect(cells.nth(2)).to_have_text(team)


def linked_now(page: Page) -> Locator:
    return page.get_by_test_id("link-counts").locator(".govuk-summary-list__value").first


@pytest.fixture
def browser_for(
    browser: Browser, live_server, browser_problems, log_in
) -> Iterator[Callable[[object], Page]]:
    """``browser_for(user)``: a page in a browser context of the user's own (no cookie shared
    with anyone else's), signed in with a session cookie; the journey signs A in through the
    form on ``page``."""
    contexts: list[BrowserContext] = []

    def _open(user) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        browser_problems.watch(context)
        log_in(context, user)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def open_group_context(page: Page, lead, opened_on: date, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Contexts").click()
    expect(heading(page)).to_have_text("Contexts")
    assert_accessible(page, "contexts")
    main(page).get_by_role("link", name="Open a context").click()
    expect(heading(page)).to_have_text("Open a context")
    assert_accessible(page, "open a context")
    form = main(page)
    form.get_by_role("group", name="Kind of context").get_by_label("Group", exact=True).check()
    form.get_by_label("Area (optional)").fill(AREA)
    fill_date(page, "Date opened", opened_on)
    form.get_by_label("What it was opened around (optional)").fill(INCIDENT)
    form.get_by_role("group", name="Harm types (optional)").get_by_label(
        "Serious youth violence", exact=True
    ).check()
    # She leads it unless she chooses someone else.
    expect(form.get_by_label("Lead practitioner")).to_have_value(str(lead.pk))
    press(page, "Continue")

    # The check step: the name the convention gives it, and nothing saved yet.
    expect(heading(page)).to_have_text("Check the new context")
    expect(page.get_by_test_id("context-name")).to_have_text(name)
    expect(page.get_by_test_id("possible-duplicates")).to_have_count(0)
    assert_accessible(page, "check the new context")
    assert not Context.objects.exists()
    press(page, "Open the context")
    expect(success_banner(page)).to_contain_text(f"{name} opened")
    expect(heading(page)).to_have_text(name)
    expect(page.get_by_test_id("context-status")).to_have_text("Open")
    expect(page.get_by_test_id("context-lead")).to_have_text("Pat Tester")
    expect(page.get_by_test_id("context-harm-types")).to_have_text("Serious youth violence")
    expect(linked_now(page)).to_have_text("0")
    assert_accessible(page, "the new context")


def link_from_the_record(page: Page, record_url: str, name: str, reason: str) -> None:
    """From the young person's record: search open contexts, choose this one, say why."""
    page.goto(record_url)
    main(page).get_by_role("link", name="Link to a context").click()
    expect(main(page).get_by_role("heading", level=2, name="Link to a context")).to_be_visible()
    main(page).get_by_role("search", name="Search open contexts").get_by_label(
        "Search open contexts"
    ).fill("Larkspur")
    press(page, "Search")
    expect(page.get_by_test_id("result-count")).to_have_text("1 open context")
    assert_accessible(page, "link to a context: search")
    page.get_by_test_id("contexts-to-link").get_by_role("link", name=f"Choose {name}").click()
    expect(main(page).get_by_role("heading", level=2, name=f"Link to {name}")).to_be_visible()
    assert_accessible(page, "link to a context: why")
    main(page).get_by_label("Why is the young person linked to this context?").fill(reason)
    press(page, "Link young person")
    expect(page).to_have_url(record_url)
    expect(success_banner(page)).to_contain_text(f"Linked to {name}")
    expect(page.get_by_test_id("current-link")).to_contain_text(name)
    assert_accessible(page, "record with a context link")


def record_triangle_assessment(page: Page, name: str) -> None:
    main(page).get_by_role("link", name="Record an assessment or meeting note").click()
    expect(
        main(page).get_by_role(
            "heading", level=2, name="Record a context assessment or meeting note"
        )
    ).to_be_visible()
    assert_accessible(page, "record an assessment or meeting note")
    form = main(page)
    form.get_by_role("group", name="What are you recording?").get_by_label(
        "Context assessment"
    ).check()
    fill_date(page, "Date of the assessment or meeting", today())
    # Naming the young person she works with: refused, because the record is thematic.
    textbox(page, "Group functioning").fill(
        f"{FUNCTIONING} Zephyrine Quillfeather is on the edge of it."
    )
    textbox(page, "Guardianship capacity").fill(GUARDIANSHIP)
    form.get_by_role(
        "group", name="Which side must change first for safety to increase?"
    ).get_by_label("Guardianship capacity").check()
    form.get_by_label("Why must it change first?").fill(WEIGHTING_REASON)
    press(page, "Save record")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(error_summary(page)).to_be_focused()
    link = error_summary(page).get_by_role("link", name=THEMATIC_MESSAGE)
    expect(link).to_have_attribute("href", "#id_functioning")
    assert_accessible(page, "record an assessment, refused for naming a child")
    assert not Context.objects.get().records.exists()
    link.click()
    expect(textbox(page, "Group functioning")).to_be_focused()
    textbox(page, "Group functioning").fill(FUNCTIONING)
    press(page, "Save record")
    expect(success_banner(page)).to_contain_text("Context assessment recorded")
    expect(heading(page)).to_have_text(name)
    summary = page.get_by_test_id("record-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("Must change first: Guardianship capacity")
    assert_accessible(page, "context with an assessment")


def test_two_teams_work_on_one_group_context_without_seeing_each_others_children(
    page: Page,
    sign_in,
    browser_for,
    browser_problems,
    live_server,
    practitioner,
    other_team_practitioner,
    team_manager,
    young_person,
    other_young_person,
):
    children = (young_person, other_young_person)
    opened_on = days_ago(3)
    name = f"Group – {AREA} – {opened_on:%Y-%m}"

    # A opens the context around the incident.
    sign_in(practitioner)
    assert_accessible(page, "home")
    open_group_context(page, practitioner, opened_on, name)
    context = Context.objects.get()
    context_url = f"{live_server.url}/contexts/{context.pk}/"
    expect(page).to_have_url(context_url)
    browser_problems.assert_none()

    # Each links their own young person, from the young person's record.
    link_from_the_record(page, f"{live_server.url}/young-people/{young_person.pk}/", name, A_REASON)
    b_page = browser_for(other_team_practitioner)
    b_record = f"{live_server.url}/young-people/{other_young_person.pk}/"
    link_from_the_record(b_page, b_record, name, B_REASON)
    browser_problems.assert_none()

    # Each sees the other as a professional on the context page, and no child.
    for who, own_page in (("A", page), ("B", b_page)):
        own_page.goto(context_url)
        expect(linked_now(own_page)).to_have_text("2")
        expect_professionals(own_page, [("Otto Tester", "Team B"), ("Pat Tester", "Team A")])
        assert_no_child(own_page, f"the context page, as {who}", *children)
        assert_accessible(own_page, f"context with two links, as {who}")

    # A records a triangle assessment; B is told, in the app.
    record_triangle_assessment(page, name)
    assert_no_child(page, "the context page after the assessment", *children)
    b_page.goto(context_url)
    badge = b_page.get_by_test_id("unread-count")
    expect(badge).to_have_text("1 unread")
    b_page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name=re.compile("^Notifications")
    ).click()
    expect(heading(b_page)).to_have_text("Notifications")
    notifications = b_page.get_by_test_id("notifications").locator("li")
    expect(notifications).to_have_count(1)
    expect(notifications).to_contain_text(f"Context assessment recorded: {name}")
    expect(notifications.locator(".govuk-tag")).to_have_text("New")
    assert_no_child(b_page, "B's notifications", *children)
    assert_accessible(b_page, "notifications, as B")
    notifications.get_by_role("button", name=f"Context assessment recorded: {name}").click()
    expect(b_page).to_have_url(context_url)
    expect(b_page.get_by_test_id("unread-count")).to_have_count(0)
    browser_problems.assert_none()

    # B ends his link from his young person's record; the context stays open for A's.
    b_page.goto(b_record)
    b_page.get_by_test_id("current-link").get_by_role("link", name=f"End link to {name}").click()
    expect(
        main(b_page).get_by_role("heading", level=2, name=f"End the link to {name}")
    ).to_be_visible()
    assert_accessible(b_page, "end a link")
    main(b_page).get_by_label("Why is the link ending?").fill(B_END_REASON)
    press(b_page, "End link")
    expect(b_page).to_have_url(b_record)
    expect(success_banner(b_page)).to_contain_text(f"The link to {name} has ended")
    expect(b_page.get_by_test_id("current-link")).to_have_count(0)
    ended = b_page.get_by_test_id("ended-links")
    ended.locator("summary").click()
    expect(ended.get_by_test_id("ended-link")).to_contain_text(B_END_REASON)
    assert_accessible(b_page, "record with an ended link")
    b_page.goto(context_url)
    expect(b_page.get_by_test_id("context-status")).to_have_text("Open")
    expect(linked_now(b_page)).to_have_text("1")
    expect_professionals(b_page, [("Pat Tester", "Team A")])
    assert_no_child(b_page, "the context page after B's link ended", *children)
    browser_problems.assert_none()

    # A manager of Team A closes it: refused without the closure record, then with it,
    # keeping the link of A's young person.
    manager = browser_for(team_manager)
    manager.goto(context_url)
    assert_no_child(manager, "the context page, as the team manager", *children)
    main(manager).get_by_role("link", name="Close the context").click()
    expect(heading(manager)).to_have_text(f"Close {name}")
    expect(manager.get_by_test_id("linked-count")).to_have_text(
        "1 young person is linked to this context now."
    )
    assert_accessible(manager, "close the context")
    press(manager, "Close the context")
    expect(error_summary(manager)).to_be_focused()
    for message in (
        "Describe how group functioning changed",
        "Describe how guardianship capacity changed",
        "Describe how environmental and family factors changed",
        "Enter why the context is closing",
        "Choose whether to end the links of the young people linked to this context or keep them",
    ):
        expect(error_summary(manager).get_by_role("link", name=message)).to_be_visible()
    assert_accessible(manager, "close the context, with errors")
    assert Context.objects.get().status == ContextStatus.OPEN
    form = main(manager)
    textbox(manager, "Group functioning").fill("Two older members have moved away.")
    textbox(manager, "Guardianship capacity").fill("Youth workers run Friday evenings now.")
    textbox(manager, "Environmental and family factors").fill("The skate park is lit and open.")
    form.get_by_label("Why is the context closing?").fill(CLOSE_REASON)
    form.get_by_role(
        "group", name="What happens to the links of young people linked to this context?"
    ).get_by_label(LinkEndRule.KEEP.label).check()
    press(manager, "Close the context")
    expect(success_banner(manager)).to_contain_text(f"{name} closed")
    expect(heading(manager)).to_have_text(f"{name} Closed")
    closure = manager.get_by_test_id("closure-record")
    expect(closure.get_by_role("heading", level=2)).to_have_text(
        f"Closed on {today().day} {today():%B %Y}"
    )
    expect(closure).to_contain_text(CLOSE_REASON)
    expect(closure).to_contain_text("Kept")
    assert_no_child(manager, "the closed context", *children)
    assert_accessible(manager, "closed context")

    # ...and reopens it, with a reason; the kept link is there again.
    main(manager).get_by_role("link", name="Reopen the context").click()
    expect(heading(manager)).to_have_text(f"Reopen {name}")
    assert_accessible(manager, "reopen the context")
    main(manager).get_by_label("Why is the context reopening?").fill(REOPEN_REASON)
    press(manager, "Reopen the context")
    expect(success_banner(manager)).to_contain_text(f"{name} reopened")
    expect(manager.get_by_test_id("context-status")).to_have_text("Open")
    expect(linked_now(manager)).to_have_text("1")
    expect_professionals(manager, [("Pat Tester", "Team A")])
    assert_accessible(manager, "reopened context")
    browser_problems.assert_none()

    # The chronology is whole, newest first; the links are counted per day and per member of
    # staff who made or ended them, naming the professional and never the young person.
    main(manager).get_by_role("link", name="Chronology").click()
    expect(manager).to_have_url(f"{context_url}chronology/")
    chronology = manager.get_by_test_id("chronology")
    expect(chronology.locator(".moj-timeline__title")).to_have_text(
        [
            "Context reopened",
            "Context closed",
            "Links ended: 1",
            "Context assessment recorded",
            "Young people linked: 1 more",
            "Young people linked: 1 more",
            "Context opened",
        ]
    )
    expect(chronology.locator(".moj-timeline__byline")).to_have_text(
        [
            "by Mona Tester",
            "by Mona Tester",
            "by Otto Tester",
            "by Pat Tester",
            "by Otto Tester",
            "by Pat Tester",
            "by Pat Tester",
        ]
    )
    expect(
        chronology.locator(".moj-timeline__item", has_text="Context opened").locator("time")
    ).to_have_text(f"{opened_on.day} {opened_on:%B %Y}")
    expect(chronology.locator(".moj-timeline__item", has_text="Context reopened")).to_contain_text(
        REOPEN_REASON
    )
    assert_no_child(manager, "the chronology", *children)
    assert_accessible(manager, "context chronology")
    browser_problems.assert_none()

    # What was saved: both links kept in history, B's ended with his reason, the context open.
    context.refresh_from_db()
    assert context.status == ContextStatus.OPEN
    links = {link.young_person_id: link for link in ContextLink.objects.filter(context=context)}
    assert set(links) == {young_person.pk, other_young_person.pk}
    assert links[young_person.pk].ended_at is None
    assert (links[other_young_person.pk].ended_by, links[other_young_person.pk].end_reason) == (
        other_team_practitioner,
        B_END_REASON,
    )
    assert list(
        ContextStatusChange.objects.filter(context=context)
        .order_by("pk")
        .values_list("action", "by__username", "links_rule")
    ) == [("closed", "manager", LinkEndRule.KEEP), ("reopened", "manager", "")]
