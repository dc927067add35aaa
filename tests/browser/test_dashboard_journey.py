"""Managers read the dashboards in a real browser, with axe-core on every
reporting page on the way.

The data is the fixed reporting dataset (tests/reporting/dataset.py), built through the services:
eight young people in Team A and Team B, referrals from March to July 2025 with every marker,
harm flags current and archived (some as "never a concern"), authorised assessments, relocations,
locations of harm with postcodes, and contexts with links. Django's clock is held at the
dataset's "today", 15 September 2025: the live server runs in this process, so it reads the same
clock. tests/reporting/test_measures.py works out every number by hand; the ones asserted here are
worked out in the comments beside them.

The team manager of Team A signs in, opens Dashboards from the service navigation, is told that
the figures are their team's, filters by the period and a harm type, reads a chart and the table
beside it, follows a count to the young people behind it, downloads that list and a table as CSV
files, then mistypes a date. They read the CIN census return (refused first for a period that
ends before it starts) and download it; an export made when long lists go to the background
shows its job page and their list of exports. The service manager reads every team and, behind a
count, the number but no child.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Download, Locator, Page, expect

from csafe.audit.models import AccessChannel, RecordAccess
from csafe.core.dates import age_on
from csafe.exports.models import ExportJob, ExportStatus
from reporting.exports.drill import DRILL_CSV_HEADER
from tests.browser.browser_support import (
    TIMEOUT_MS,
    assert_accessible,
    error_summary,
    fill_date,
    heading,
    main,
    press,
)
from tests.reporting.dataset import CANARY_NAMES, END, START, TYPE_NAMES, Clock, build_dataset

CCE = TYPE_NAMES["CCE"]
# How the harm type filter names it: its place in the taxonomy.
CCE_CHOICE = f"Exploitation › {CCE}"
DASHBOARD_HEADING = "Extra-familial harm dashboards"
CENSUS_HEADING = "CIN census: factors identified at the end of assessment"
TEAM_NOTICE = (
    "You see figures for Team A only. Team managers read their own team's dashboards; "
    "service managers read every team's."
)
REFERRALS_BY_MONTH = "Referrals with an extra-familial marker, by month"
REFERRALS_BY_TEAM = "Referrals with an extra-familial marker, by team"
# The filters the team manager chooses: the dataset's period, and child criminal exploitation.
FILTERED = (
    f"1 April 2025 to 30 June 2025; Team A; harm type {CCE_CHOICE} (with the types beneath it)"
)


@pytest.fixture
def dataset(monkeypatch, settings, tmp_path, team_manager, other_team_manager, administrator):
    settings.CSAFE_EXPORT_ROOT = tmp_path / "exports"
    return build_dataset(
        clock=Clock(monkeypatch),
        manager_a=team_manager,
        manager_b=other_team_manager,
        administrator=administrator,
    )


@pytest.fixture
def browser_for(browser: Browser, live_server, browser_problems, log_in) -> Iterator[Callable]:
    """``browser_for(user)``: a page in a browser context of the user's own, signed in."""
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


def measure(page: Page, key: str) -> Locator:
    return page.locator(f'[data-testid="measure"][data-measure="{key}"]')


def table_row(block: Locator, row_header: str) -> Locator:
    return block.get_by_test_id("measure-table").locator(
        "tr", has=block.page.get_by_role("rowheader", name=row_header, exact=True)
    )


def see_who(column: str, row: str, count: int) -> str:
    """What a drill-down link on a count is called, to a screen reader and to the test."""
    return f"{count} ({column}, {row}): see who"


def downloaded(download: Download) -> list[list[str]]:
    with open(download.path(), encoding="utf-8") as file:
        return list(csv.reader(io.StringIO(file.read())))


def choose_harm_type(page: Page, label: str) -> None:
    main(page).get_by_label("Harm type", exact=True).select_option(label=label)


def apply_filters(page: Page) -> None:
    press(page, "Apply filters")


def canaries() -> list[str]:
    return [name for pair in CANARY_NAMES.values() for name in pair]


def read_the_dashboard_as_team_manager(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboards").click()
    expect(heading(page)).to_have_text(DASHBOARD_HEADING)
    expect(page.get_by_test_id("team-notice")).to_have_text(TEAM_NOTICE)
    # The last twelve months to "today", every harm type; no team to choose.
    expect(page.get_by_test_id("dashboard-scope")).to_have_text(
        "16 September 2024 to 15 September 2025; Team A; all harm types"
    )
    expect(main(page).get_by_label("Team", exact=True)).to_have_count(0)
    expect(page.get_by_test_id("measure")).to_have_count(15)
    assert_accessible(page, "the dashboards, as they open")

    fill_date(page, "Start date", START)
    fill_date(page, "End date", END)
    choose_harm_type(page, CCE_CHOICE)
    apply_filters(page)
    expect(page).to_have_url(re.compile(r"/reporting/dashboard/\?.*harm_type="))
    expect(page.get_by_test_id("dashboard-scope")).to_have_text(FILTERED)
    expect(page.get_by_test_id("team-notice")).to_have_text(TEAM_NOTICE)
    # The choice stays in the form.
    expect(main(page).get_by_label("Harm type", exact=True).locator("option:checked")).to_have_text(
        CCE_CHOICE
    )
    assert_accessible(page, "the dashboards, filtered")


def read_the_referrals_chart(page: Page) -> None:
    """Team A's young people with a CCE flag are A1, A3 and A4. Their referrals in the period:
    A1's of 10 April (extra-familial), A3's of 3 May (intra-familial), A4's of 10 June
    (extra-familial)."""
    block = measure(page, "referrals_by_month")
    expect(block.get_by_role("heading", level=3)).to_have_text(REFERRALS_BY_MONTH)
    expect(block.get_by_test_id("measure-summary")).to_have_text(
        "2 referrals of 3 received between 1 April 2025 and 30 June 2025 carried an "
        "extra-familial marker (66.7%); 0 were marked not yet known."
    )

    # The chart: an image named by its title, described by its description.
    chart = block.locator("svg.csafe-chart")
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("title").first).to_have_text(REFERRALS_BY_MONTH)
    description = chart.locator("desc")
    expect(description).to_have_text(
        "Line chart of referrals and extra-familial by month. 2 referrals of 3 received between "
        "1 April 2025 and 30 June 2025 carried an extra-familial marker (66.7%); 0 were marked "
        "not yet known. The table that follows gives every figure."
    )
    labelled_by = chart.get_attribute("aria-labelledby").split()
    assert labelled_by == [
        chart.locator("title").first.get_attribute("id"),
        description.get_attribute("id"),
    ]
    # aria-labelledby names the image with its title and then its description.
    expect(
        page.get_by_role("img", name=re.compile(rf"^{re.escape(REFERRALS_BY_MONTH)} Line chart"))
    ).to_have_count(1)
    # Its points are the table's figures: referrals, then extra-familial, month by month.
    points = chart.locator(".csafe-chart__point")
    expect(points).to_have_count(6)
    assert [points.nth(i).get_attribute("data-value") for i in range(6)] == [
        "1",
        "1",
        "1",
        "1",
        "0",
        "1",
    ]

    # The table beside it, with the same figures; counts link to the young people behind them.
    table = block.get_by_test_id("measure-table")
    expect(table.locator("caption")).to_have_text(REFERRALS_BY_MONTH)
    expect(table.locator("thead th")).to_have_text(
        ["Month", "Referrals", "Extra-familial", "Share extra-familial", "Not yet known"]
    )
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table_row(block, "May 2025").locator("td")).to_have_text(
        [see_who("Referrals", "May 2025", 1), "0", "0%", "0"]
    )
    expect(table_row(block, "Apr 2025").locator("td")).to_have_text(
        [
            see_who("Referrals", "Apr 2025", 1),
            see_who("Extra-familial", "Apr 2025", 1),
            "100%",
            "0",
        ]
    )
    expect(table.get_by_test_id("measure-totals").locator("th, td")).to_have_text(
        ["Total", "3", "2", "66.7%", "0"]
    )


def follow_a_count_to_the_young_people(page: Page, dataset) -> str:
    """Returns the address of the list, to come back to."""
    a1 = dataset.people["A1"]
    block = measure(page, "referrals_by_month")
    block.get_by_role("link", name=see_who("Extra-familial", "Apr 2025", 1), exact=True).click()
    expect(heading(page)).to_have_text("Referrals with an extra-familial marker: Apr 2025")
    expect(page.get_by_test_id("drill-scope")).to_have_text(FILTERED)
    expect(page.get_by_test_id("drill-count")).to_have_text("1")
    expect(page.get_by_test_id("drill-behind")).to_have_text("1")
    expect(page.get_by_test_id("drill-visible")).to_have_text("1")
    expect(page.get_by_test_id("drill-hidden")).to_have_count(0)
    rows = page.get_by_test_id("drill-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td")).to_have_text(
        [
            "Quillfeather, Zebedee",
            "ZQX-A1-7731",
            f"14 Feb 2009 (age {age_on(date(2009, 2, 14), timezone.localdate())})",
            "Team A",
        ]
    )
    expect(rows.get_by_role("link", name="Quillfeather, Zebedee")).to_have_attribute(
        "href", f"/young-people/{a1.pk}/"
    )
    html = page.content()
    for name in canaries():
        if name not in CANARY_NAMES["A1"]:
            assert name not in html, f"{name} is on the team manager's drill-down"
    assert_accessible(page, "the young people behind a count")

    before = RecordAccess.objects.count()
    with page.expect_download() as info:
        main(page).get_by_role("button", name="Download this list as CSV").click()
    download = info.value
    assert download.suggested_filename == "csafe-young-people-referrals_by_month-2025-06-30.csv"
    assert downloaded(download) == [
        ["Referrals with an extra-familial marker (young people you may see)"],
        list(DRILL_CSV_HEADER),
        ["ZQX-A1-7731", "Quillfeather", "Zebedee", "2009-02-14", "Team A"],
    ]
    # Each download is written to the access log of the young people in it.
    logged = RecordAccess.objects.order_by("pk")[before:]
    assert [(a.young_person_id, a.channel) for a in logged] == [(a1.pk, AccessChannel.EXPORT)]

    # Back to the dashboards, with the filters still applied.
    drill_url = page.url
    page.get_by_role("link", name="Back to the dashboards").click()
    expect(heading(page)).to_have_text(DASHBOARD_HEADING)
    expect(page.get_by_test_id("dashboard-scope")).to_have_text(FILTERED)
    return drill_url


def download_a_table(page: Page) -> None:
    block = measure(page, "referrals_by_month")
    with page.expect_download() as info:
        # (The visually hidden part is positioned, so Playwright reads a space before it.)
        block.get_by_role(
            "link", name=re.compile(rf"^Download CSV ?: {re.escape(REFERRALS_BY_MONTH)}$")
        ).click()
    download = info.value
    assert download.suggested_filename == "referrals_by_month-2025-04-01-to-2025-06-30.csv"
    lines = downloaded(download)
    assert lines[0][0].startswith(f"{REFERRALS_BY_MONTH}. Filters: {FILTERED}. Definition: ")
    assert lines[1] == [
        "Month",
        "Referrals",
        "Extra-familial",
        "Share extra-familial (%)",
        "Not yet known",
    ]
    assert lines[2:] == [
        ["Apr 2025", "1", "1", "100.0", "0"],
        ["May 2025", "1", "0", "0.0", "0"],
        ["Jun 2025", "1", "1", "100.0", "0"],
        ["Total", "3", "2", "66.7", "0"],
    ]


def mistype_a_date(page: Page) -> None:
    end = main(page).get_by_role("group", name="End date", exact=True)
    end.get_by_label("Day").fill("30")
    end.get_by_label("Month").fill("2")
    apply_filters(page)
    expect(page).to_have_title(re.compile(r"^Error: Dashboards"))
    expect(error_summary(page)).to_be_focused()
    link = error_summary(page).get_by_role("link", name="End date must be a real date")
    expect(link).to_be_visible()
    expect(main(page).locator("#id_end-error")).to_contain_text("End date must be a real date")
    expect(page.get_by_test_id("no-tables")).to_have_text(
        "Correct the filters to see the dashboards."
    )
    expect(page.get_by_test_id("measure")).to_have_count(0)
    assert_accessible(page, "the dashboards, with a mistyped date")
    link.click()
    expect(main(page).get_by_role("group", name="End date").get_by_label("Day")).to_be_focused()


def read_the_census(page: Page) -> None:
    """Team A's assessments completed from 1 April 2025 to 31 March 2026: A1's (25 April), A2's
    (10 May) and A3's (25 May), each recording "21 No factors identified"."""
    main(page).get_by_role("link", name="CIN census: factors at the end of assessment").click()
    expect(heading(page)).to_have_text(CENSUS_HEADING)
    expect(page.get_by_test_id("team")).to_have_text("Team: Team A")
    expect(main(page).get_by_role("heading", level=2, name="1 April 2025 to 31 March 2026"))
    expect(page.get_by_test_id("assessment-count")).to_have_text(
        "3 assessments completed in the period."
    )
    codes = page.get_by_test_id("codes-table").locator("tbody tr")
    expect(codes).to_have_count(1)
    expect(codes.locator("td")).to_have_text(["21", re.compile("No factors identified"), "3"])
    assert_accessible(page, "the CIN census return")

    # A period that ends before it starts is refused.
    fill_date(page, "Start of the period", date(2025, 6, 30))
    fill_date(page, "End of the period", date(2025, 4, 1))
    press(page, "Show the return")
    expect(page).to_have_title(re.compile(r"^Error: CIN census"))
    expect(error_summary(page)).to_be_focused()
    expect(
        error_summary(page).get_by_role(
            "link", name="The end of the period must be the same as or after the start"
        )
    ).to_be_visible()
    expect(page.get_by_test_id("download-csv")).to_have_count(0)
    assert_accessible(page, "the CIN census return, with errors")

    fill_date(page, "Start of the period", START)
    fill_date(page, "End of the period", END)
    press(page, "Show the return")
    expect(main(page).get_by_role("heading", level=2, name="1 April 2025 to 30 June 2025"))
    expect(page.get_by_test_id("assessment-count")).to_have_text(
        "3 assessments completed in the period."
    )
    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    download = info.value
    assert download.suggested_filename == "cin-census-factors-2025-04-01-to-2025-06-30.csv"
    lines = downloaded(download)
    assert lines[0][:6] == [
        "LAchildID",
        "Assessment ID",
        "Date started",
        "Date completed",
        "Date authorised",
        "Factors",
    ]
    assert [line[0] for line in lines[1:]] == ["ZQX-A1-7731", "ZQX-A2-7731", "ZQX-A3-7731"]
    assert lines[1][2:6] == ["2025-04-11", "2025-04-25", "2025-04-28", "21"]
    text = "\n".join(",".join(line) for line in lines)
    for name in canaries():
        assert name not in text, f"{name} is in the census file"


def export_in_the_background(page: Page, settings, dataset, drill_url: str) -> None:
    """With every export sent to the background, the list's download becomes a job: Celery runs
    eagerly in tests, so the job is done by the time its page shows."""
    settings.CSAFE_EXPORT_INLINE_ROWS = 0
    page.goto(drill_url)
    main(page).get_by_role("button", name="Download this list as CSV").click()
    job = ExportJob.objects.get()
    expect(page).to_have_url(re.compile(rf"/reporting/exports/{job.pk}/$"))
    expect(heading(page)).to_have_text("List of young people behind a dashboard count")
    expect(main(page).locator("[data-export-status]")).to_have_text("Ready to download")
    expect(main(page).locator(".govuk-warning-text")).to_contain_text(
        "This file names young people."
    )
    assert job.status == ExportStatus.DONE
    assert_accessible(page, "an export job, done")
    before = RecordAccess.objects.count()
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    lines = downloaded(info.value)
    assert lines[1:] == [
        list(DRILL_CSV_HEADER),
        ["ZQX-A1-7731", "Quillfeather", "Zebedee", "2009-02-14", "Team A"],
    ]
    logged = RecordAccess.objects.order_by("pk")[before:]
    assert [(a.young_person_id, a.channel, a.resource) for a in logged] == [
        (dataset.people["A1"].pk, AccessChannel.EXPORT, f"export:{job.pk}")
    ]

    page.get_by_role("link", name="Your exports").click()
    expect(heading(page)).to_have_text("Your exports")
    rows = page.get_by_test_id("export-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(2)).to_contain_text("Ready to download")
    assert_accessible(page, "your exports")


def test_a_team_manager_filters_reads_a_chart_and_downloads_csv_files(
    page: Page, sign_in, browser_problems, settings, dataset, team_manager
):
    sign_in(team_manager)
    read_the_dashboard_as_team_manager(page)
    read_the_referrals_chart(page)
    browser_problems.assert_none()

    drill_url = follow_a_count_to_the_young_people(page, dataset)
    download_a_table(page)
    mistype_a_date(page)
    browser_problems.assert_none()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboards").click()
    read_the_census(page)
    export_in_the_background(page, settings, dataset, drill_url)
    browser_problems.assert_none()


def test_a_service_manager_reads_every_team_and_no_child(
    browser_for, browser_problems, dataset, service_manager
):
    page = browser_for(service_manager)
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboards").click()
    expect(heading(page)).to_have_text(DASHBOARD_HEADING)
    expect(page.get_by_test_id("team-notice")).to_have_count(0)
    expect(main(page).get_by_label("Team", exact=True).locator("option")).to_have_text(
        ["All teams", "Team A", "Team B"]
    )
    fill_date(page, "Start date", START)
    fill_date(page, "End date", END)
    apply_filters(page)
    expect(page.get_by_test_id("dashboard-scope")).to_have_text(
        "1 April 2025 to 30 June 2025; all teams; all harm types"
    )
    # Every team's referrals in the period (tests/reporting/test_measures.py).
    block = measure(page, "referrals_by_team")
    expect(block.get_by_test_id("measure-table").locator("tbody tr")).to_have_count(2)
    # The counts, without links: a service manager holds no record, so every list behind a
    # count would be "counted but not listed".
    expect(table_row(block, "Team B").locator("td")).to_have_text(["4", "2", "50%", "1"])
    expect(main(page).get_by_role("link", name=re.compile("see who"))).to_have_count(0)
    expect(block.locator("svg.csafe-chart title").first).to_have_text(REFERRALS_BY_TEAM)
    assert_accessible(page, "the dashboards, as a service manager")

    # Behind a count, opened by its address: the number, and no child.
    page.goto(
        "/reporting/young-people/?measure=referrals_by_team&column=extra"
        f"&key={dataset.team_b.pk}&start_day=1&start_month=4&start_year=2025"
        "&end_day=30&end_month=6&end_year=2025"
    )
    expect(heading(page)).to_have_text("Referrals with an extra-familial marker: Team B")
    expect(page.get_by_test_id("drill-count")).to_have_text("2")
    expect(page.get_by_test_id("drill-behind")).to_have_text("2")
    expect(page.get_by_test_id("drill-visible")).to_have_text("0")
    expect(page.get_by_test_id("drill-hidden")).to_have_text(
        "You hold none of these records, so they are counted but not listed. Team managers see "
        "their own team's young people here."
    )
    expect(page.get_by_test_id("drill-list")).to_have_count(0)
    expect(page.get_by_test_id("drill-download")).to_have_count(0)
    html = page.content()
    for name in canaries():
        assert name not in html, f"{name} is on the service manager's drill-down"
    assert not re.search(r"/young-people/\d", html), "a link to a young person's record"
    assert_accessible(page, "the young people behind a count, none of them visible")

    # The census page reads every team, or one chosen.
    page.goto("/reporting/cin-census/")
    expect(heading(page)).to_have_text(CENSUS_HEADING)
    expect(main(page).get_by_label("Team", exact=True).locator("option")).to_have_text(
        ["All teams", "Team A", "Team B"]
    )
    expect(page.get_by_test_id("assessment-count")).to_have_text(
        "6 assessments completed in the period."
    )
    # The census files identify children: without the permission, the counts only.
    expect(page.get_by_test_id("census-no-download")).to_be_visible()
    expect(page.get_by_test_id("download-csv")).to_have_count(0)
    assert_accessible(page, "the CIN census return, as a service manager")
    browser_problems.assert_none()
