"""The harm flags journey in a real browser: a practitioner raises an extra-familial and
an intra-familial flag on one young person, raises child sexual exploitation and archives it as
"never a concern" with a rationale, and the record shows two current flags, one archived flag and
the timeline of all of it."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page, expect

from harms.models import ArchiveReason, FlagStatus, HarmFlag, IdentifiedAt, Nature
from tests.harms.helpers import days_ago

CCE = "Child criminal exploitation, including county lines"
DOMESTIC_ABUSE = "Domestic abuse in the home"
CSE = "Child sexual exploitation"
RATIONALE = "Strategy meeting and assessment found no indicators of sexual exploitation."


def main(page: Page) -> Locator:
    # The header holds a "Sign out" button, so every button pressed here is looked up in <main>.
    return page.locator("main")


def fill_date(page: Page, field_id: str, value: date) -> None:
    page.locator(f"#{field_id}_0").fill(str(value.day))
    page.locator(f"#{field_id}_1").fill(str(value.month))
    page.locator(f"#{field_id}_2").fill(str(value.year))


def raise_flag(
    page: Page, record_url: str, *, option: str, where: str, identified_on: date, note: str = ""
) -> None:
    main(page).get_by_role("link", name="Raise a harm flag").click()
    expect(page).to_have_url(f"{record_url}harm-flags/new/")
    main(page).get_by_label("Type of harm").select_option(label=option)
    main(page).get_by_role("group", name="Where was it identified?").get_by_label(
        where, exact=True
    ).check()
    fill_date(page, "id_identified_on", identified_on)
    if note:
        main(page).get_by_label("Note").fill(note)
    main(page).get_by_role("button", name="Raise flag").click()
    expect(page).to_have_url(record_url)


def column(page: Page, nature: str) -> Locator:
    """The half of the harm flags panel under the heading for ``nature``."""
    return page.get_by_test_id("harm-flags").locator(
        ".govuk-grid-column-one-half", has=page.get_by_role("heading", level=3, name=nature)
    )


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def test_practitioner_raises_flags_of_both_natures_and_archives_one_that_never_applied(
    page: Page, sign_in, browser_problems, live_server, practitioner, young_person
):
    record_url = f"{live_server.url}/young-people/{young_person.pk}/"
    sign_in(practitioner)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload").click()
    page.get_by_test_id("caseload-table").get_by_role(
        "link", name="Quillfeather, Zephyrine"
    ).click()
    expect(page).to_have_url(record_url)
    expect(page.get_by_test_id("harm-flags")).to_contain_text("No current harm flags.")
    expect(page.get_by_test_id("flag-timeline")).to_have_count(0)
    browser_problems.assert_none()

    # Submitted empty: the GOV.UK error summary, focused, with a link to each field in error.
    main(page).get_by_role("link", name="Raise a harm flag").click()
    raise_url = f"{record_url}harm-flags/new/"
    expect(page).to_have_url(raise_url)
    expect(page.get_by_role("heading", level=2, name="Raise a harm flag")).to_be_visible()
    main(page).get_by_role("button", name="Raise flag").click()
    expect(page).to_have_url(raise_url)
    expect(page).to_have_title(re.compile(r"^Error: Raise a harm flag"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Choose the type of harm",
            "Choose where the harm was identified",
            "Enter the date identified",
        ]
    )
    assert [links.nth(i).get_attribute("href") for i in range(3)] == [
        "#id_harm_type",
        "#id_identified_at_0",
        "#id_identified_on_0",
    ]
    expect(page.locator("#id_harm_type-error")).to_have_text("Error: Choose the type of harm")
    expect(page.locator("#id_identified_on-error")).to_have_text("Error: Enter the date identified")
    summary.get_by_role("link", name="Enter the date identified").click()
    expect(page.locator("#id_identified_on_0")).to_be_focused()
    assert not HarmFlag.objects.exists()
    browser_problems.assert_none()
    page.locator(".govuk-back-link", has_text="Back to record").click()
    expect(page).to_have_url(record_url)

    # Extra-familial: the type's path in the taxonomy, identified at referral.
    raise_flag(
        page,
        record_url,
        option=f"Exploitation › {CCE}",
        where="Referral",
        identified_on=days_ago(10),
        note="Found with a second phone and cash.",
    )
    expect(success_banner(page)).to_contain_text(f"{CCE} flag raised")

    # Intra-familial, on the same young person, at the same time.
    raise_flag(
        page, record_url, option=DOMESTIC_ABUSE, where="Assessment", identified_on=days_ago(4)
    )
    expect(success_banner(page)).to_contain_text(f"{DOMESTIC_ABUSE} flag raised")

    # Raised at referral; the assessment then finds it never applied.
    raise_flag(
        page,
        record_url,
        option=f"Exploitation › {CSE}",
        where="Referral",
        identified_on=days_ago(9),
    )
    expect(success_banner(page)).to_contain_text(f"{CSE} flag raised")
    expect(page.get_by_test_id("current-flag")).to_have_count(3)
    browser_problems.assert_none()

    main(page).get_by_role("link", name=f"Archive the {CSE} flag").click()
    archive_url = re.compile(re.escape(f"{record_url}harm-flags/") + r"\d+/archive/$")
    expect(page).to_have_url(archive_url)
    expect(main(page).get_by_role("heading", level=2)).to_have_text(f"Archive the {CSE} flag")
    main(page).get_by_label("Never a concern: assessed as absent").check()
    main(page).get_by_label("Rationale").fill(RATIONALE)
    main(page).get_by_role("button", name="Archive flag").click()

    expect(page).to_have_url(record_url)
    expect(success_banner(page)).to_contain_text(f"{CSE} flag archived")

    # Two current flags, one under each nature, and none of them is the archived one.
    current = page.get_by_test_id("current-flag")
    expect(current).to_have_count(2)
    extra = column(page, "Extra-familial").get_by_test_id("current-flag")
    intra = column(page, "Intra-familial").get_by_test_id("current-flag")
    expect(extra).to_have_count(1)
    expect(extra.locator(".govuk-tag")).to_have_text(CCE)
    expect(extra).to_contain_text(f"Identified {days_ago(10):%-d %b %Y} at referral")
    expect(intra).to_have_count(1)
    expect(intra.locator(".govuk-tag")).to_have_text(DOMESTIC_ABUSE)
    expect(intra).to_contain_text(f"Identified {days_ago(4):%-d %b %Y} at assessment")
    expect(current.filter(has_text=CSE)).to_have_count(0)

    # The archived flag, with its reason and rationale, in the archived panel.
    panel = page.get_by_test_id("archived-flags")
    panel.get_by_text("Archived flags (1)").click()
    archived = panel.get_by_test_id("archived-flag")
    expect(archived).to_have_count(1)
    expect(archived).to_be_visible()
    expect(archived.locator(".govuk-tag")).to_have_text(CSE)
    expect(archived).to_contain_text("Never a concern: assessed as absent")
    expect(archived).to_contain_text(RATIONALE)
    expect(archived).to_contain_text("by Pat")
    expect(archived.get_by_role("link", name=f"Reinstate the {CSE} flag")).to_be_visible()

    # The timeline, newest first: the three raises and the archive.
    timeline = page.get_by_test_id("flag-timeline")
    expect(timeline.locator(".moj-timeline__title")).to_have_text(
        [
            f"Harm flag archived: {CSE}",
            f"Harm flag raised: {CSE}",
            f"Harm flag raised: {DOMESTIC_ABUSE}",
            f"Harm flag raised: {CCE}",
        ]
    )
    expect(timeline.locator(".moj-timeline__item").first).to_contain_text(RATIONALE)
    expect(timeline.locator(".moj-timeline__byline")).to_have_text(["by Pat Tester"] * 4)
    browser_problems.assert_none()

    flags = {f.harm_type.name: f for f in HarmFlag.objects.select_related("harm_type")}
    assert set(flags) == {CCE, DOMESTIC_ABUSE, CSE}
    assert (flags[CCE].status, flags[CCE].nature, flags[CCE].identified_at) == (
        FlagStatus.ACTIVE,
        Nature.EXTRA_FAMILIAL,
        IdentifiedAt.REFERRAL,
    )
    assert flags[CCE].note == "Found with a second phone and cash."
    assert (flags[DOMESTIC_ABUSE].status, flags[DOMESTIC_ABUSE].nature) == (
        FlagStatus.ACTIVE,
        Nature.INTRA_FAMILIAL,
    )
    cse = flags[CSE]
    assert (cse.status, cse.archive_reason, cse.archive_rationale, cse.archived_by) == (
        FlagStatus.ARCHIVED,
        ArchiveReason.NEVER,
        RATIONALE,
        practitioner,
    )
    assert all(f.raised_by == practitioner for f in flags.values())

    # Archived flags stop labelling the child: the caseload shows the two current ones only.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload").click()
    row = page.get_by_test_id("caseload-table").get_by_role("row", name=re.compile("Quillfeather"))
    flags_cell = row.get_by_role("cell").nth(3)  # the "Current harm flags" column
    # Each badge says its nature in visually hidden text, not by colour alone.
    expect(flags_cell.locator(".govuk-tag")).to_have_text(
        [f"Extra-familial: {CCE}", f"Intra-familial: {DOMESTIC_ABUSE}"]
    )
    browser_problems.assert_none()
