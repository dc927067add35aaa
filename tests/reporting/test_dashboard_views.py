"""The managers' dashboard page and its per-table CSV files: who may read them, what the filters
do (a team manager is held to their team), how a bad period is refused, what a CSV file holds,
and a query count that does not grow with the data."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases.reference import NatureOfHarm
from harms.models import HarmType
from reporting.dashboards import display
from reporting.dashboards.selectors import MEASURES
from reporting.scope import default_period
from tests.cases.helpers import sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.html_pages import error_summary, field_errors, text_of
from tests.reporting.helpers import refer

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
CCE = "Child criminal exploitation, including county lines"
DOMESTIC = "Domestic abuse in the home"
PERIOD = {
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "30",
    "end_month": "6",
    "end_year": "2026",
}


def csv_url(key: str) -> str:
    return reverse("reporting:dashboard_csv", args=[key])


@pytest.fixture
def referred(young_person, other_young_person, practitioner, other_team_practitioner):
    """In March 2026: an extra-familial referral with a CCE flag for team A's young person, and
    an intra-familial one with a domestic abuse flag for team B's."""
    refer(
        practitioner,
        young_person,
        on=date(2026, 3, 10),
        nature=NatureOfHarm.EXTRA_FAMILIAL,
        harms=[CCE],
        postcode="NB3 1AA",
    )
    refer(
        other_team_practitioner,
        other_young_person,
        on=date(2026, 3, 20),
        nature=NatureOfHarm.INTRA_FAMILIAL,
        harms=[DOMESTIC],
    )


def measure_block(response, key: str) -> str:
    """The HTML of one measure on the page."""
    content = response.content.decode()
    match = re.search(
        rf'<div class="csafe-dashboard__measure" data-testid="measure" data-measure="{key}">'
        r"(.*?)</div>\s*(?=<div class=\"csafe-dashboard__measure\"|</section>)",
        content,
        re.S,
    )
    assert match, f"no measure {key} on the page"
    return match.group(1)


HIDDEN = re.compile(r'<span class="govuk-visually-hidden">.*?</span>', re.S)


def table_rows(block: str) -> list[list[str]]:
    """The body and totals rows of a measure's table, as the cell text on screen (without the
    words only screen readers hear, such as a drill-down link's context)."""
    table = re.search(r'<table class="govuk-table".*?</table>', block, re.S).group(0)
    table = HIDDEN.sub("", table)
    body = table.split("<tbody", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def select_options(response, name: str) -> list[str]:
    content = response.content.decode()
    select = re.search(rf'<select name="{name}".*?</select>', content, re.S)
    if select is None:
        return []
    return [text_of(o) for o in re.findall(r"<option[^>]*>(.*?)</option>", select.group(0))]


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, csv_url("referrals_by_month")])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == sign_in_redirect(url)


@pytest.mark.parametrize("who", ["practitioner", "administrator"])
@pytest.mark.parametrize("url", [DASHBOARD, csv_url("referrals_by_month")])
def test_practitioners_and_administrators_are_refused(request, client_for, who, url):
    response = client_for(request.getfixturevalue(who)).get(url)

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


@pytest.mark.parametrize("who", ["practitioner", "administrator"])
def test_the_navigation_offers_dashboards_to_managers_only(
    request, client_for, who, team_manager, service_manager
):
    def has_link(user) -> bool:
        page = client_for(user).get(reverse("workspace:home")).content.decode()
        return f'href="{DASHBOARD}"' in page

    assert has_link(team_manager)
    assert has_link(service_manager)
    assert not has_link(request.getfixturevalue(who))


def test_the_dashboard_page_is_in_the_dashboards_section(client_for, service_manager):
    response = client_for(service_manager).get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["active_section"] == "dashboards"


# --- What each manager sees -----------------------------------------------------------------------


def test_service_manager_sees_every_team_and_every_measure(client_for, service_manager, referred):
    response = client_for(service_manager).get(DASHBOARD, PERIOD)

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('data-testid="measure"') == len(MEASURES)
    assert select_options(response, "team") == ["All teams", "Team A", "Team B"]
    assert text_of(re.search(r'data-testid="dashboard-scope">(.*?)<', content).group(1)) == (
        "1 January 2026 to 30 June 2026; all teams; all harm types"
    )
    by_team = table_rows(measure_block(response, "referrals_by_team"))
    assert by_team == [
        ["Team A", "1", "1", "100%", "0"],
        ["Team B", "1", "0", "0%", "0"],
    ]
    march = table_rows(measure_block(response, "referrals_by_month"))[2]
    assert march == ["Mar 2026", "2", "1", "50%", "0"]


def test_service_manager_can_choose_one_team(client_for, service_manager, team_b, referred):
    response = client_for(service_manager).get(DASHBOARD, {**PERIOD, "team": team_b.pk})

    assert table_rows(measure_block(response, "referrals_by_team")) == [
        ["Team B", "1", "0", "0%", "0"]
    ]
    assert "1 January 2026 to 30 June 2026; Team B; all harm types" in text_of(
        response.content.decode()
    )


def test_team_manager_sees_only_their_team_and_is_told_so(client_for, team_manager, referred):
    response = client_for(team_manager).get(DASHBOARD, PERIOD)

    assert response.status_code == 200
    content = response.content.decode()
    # No team to choose: the page says which team the figures are for.
    assert select_options(response, "team") == []
    assert text_of(re.search(r'data-testid="team-notice">(.*?)</div>', content).group(1)) == (
        "You see figures for Team A only. Team managers read their own team's dashboards; "
        "service managers read every team's."
    )
    assert table_rows(measure_block(response, "referrals_by_team")) == [
        ["Team A", "1", "1", "100%", "0"]
    ]
    assert "Team B" not in content


OWN_TEAM_ONLY = "You can only see figures for your own team"


def test_team_manager_naming_another_team_is_refused_on_the_team_filter(
    client_for, team_manager, team_b, referred
):
    response = client_for(team_manager).get(DASHBOARD, {**PERIOD, "team": team_b.pk})

    assert response.status_code == 400
    assert error_summary(response) == [OWN_TEAM_ONLY]
    content = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', content, re.S).group(1)
    assert 'href="#id_team"' in summary
    assert field_errors(response) == {"id_team": OWN_TEAM_ONLY}
    # The team control appears only to carry the error, offering the manager's own team alone.
    assert select_options(response, "team") == ["Team A"]
    assert 'data-testid="measure"' not in content
    assert "Correct the filters to see the dashboards." in content


def test_team_manager_naming_another_team_gets_no_csv(client_for, team_manager, team_b, referred):
    response = client_for(team_manager).get(
        csv_url("referrals_by_team"), {**PERIOD, "team": team_b.pk}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == OWN_TEAM_ONLY + "\n"


def test_team_manager_naming_their_own_team_sees_it(client_for, team_manager, team_a, referred):
    response = client_for(team_manager).get(DASHBOARD, {**PERIOD, "team": team_a.pk})

    assert response.status_code == 200
    assert error_summary(response) == []
    assert select_options(response, "team") == []
    assert table_rows(measure_block(response, "referrals_by_team")) == [
        ["Team A", "1", "1", "100%", "0"]
    ]
    rows = list(
        csv.reader(
            io.StringIO(
                client_for(team_manager)
                .get(csv_url("referrals_by_team"), {**PERIOD, "team": team_a.pk})
                .content.decode()
            )
        )
    )
    assert rows[2:] == [["Team A", "1", "1", "100.0", "0"]]


def test_team_manager_naming_no_team_that_exists_sees_their_own(client_for, team_manager, referred):
    response = client_for(team_manager).get(DASHBOARD, {**PERIOD, "team": "999999"})

    assert response.status_code == 200
    assert "1 January 2026 to 30 June 2026; Team A; all harm types" in text_of(
        response.content.decode()
    )


@pytest.mark.parametrize("url", [DASHBOARD, csv_url("referrals_by_team")])
def test_anonymous_visitors_naming_a_team_are_sent_to_sign_in(client, team_b, url):
    response = client.get(url, {**PERIOD, "team": team_b.pk})

    assert response.status_code == 302
    assert response["Location"].startswith(sign_in_redirect(url))


def test_harm_type_filter_counts_the_type_and_those_beneath_it(
    client_for, service_manager, referred
):
    exploitation = HarmType.objects.get(name=CCE).parent
    response = client_for(service_manager).get(DASHBOARD, {**PERIOD, "harm_type": exploitation.pk})

    assert table_rows(measure_block(response, "referrals_by_team")) == [
        ["Team A", "1", "1", "100%", "0"]
    ]
    assert f"harm type {exploitation.name} (with the types beneath it)" in text_of(
        response.content.decode()
    )


def test_an_unknown_team_or_harm_type_is_ignored(client_for, service_manager, referred):
    response = client_for(service_manager).get(
        DASHBOARD, {**PERIOD, "team": "999999", "harm_type": "not-a-type"}
    )

    assert response.status_code == 200
    assert len(table_rows(measure_block(response, "referrals_by_team"))) == 2
    assert "1 January 2026 to 30 June 2026; all teams; all harm types" in text_of(
        response.content.decode()
    )


def test_without_filters_the_page_shows_the_last_twelve_months(client_for, service_manager):
    start, end = default_period()
    response = client_for(service_manager).get(DASHBOARD)

    # The last 12 months: the day after today's date a year ago (28 February for a 29th).
    assert end == timezone.localdate()
    assert start - timedelta(days=1) == date(
        end.year - 1, end.month, 28 if (end.month, end.day) == (2, 29) else end.day
    )
    form = response.context["form"]
    assert form["start"].value() == start and form["end"].value() == end
    # A row for each month the period touches (13, or 12 on a month's last day) and the total.
    months = 12 if start.day == 1 else 13
    assert len(table_rows(measure_block(response, "referrals_by_month"))) == months + 1


def test_a_link_naming_only_a_team_reads_the_default_period(client_for, service_manager, team_a):
    start, end = default_period()
    response = client_for(service_manager).get(DASHBOARD, {"team": team_a.pk})

    assert response.status_code == 200
    assert response.context["filters"].start == start
    assert response.context["filters"].end == end
    assert response.context["filters"].team == team_a


def test_each_measure_has_a_summary_a_captioned_table_a_definition_and_a_csv_link(
    client_for, service_manager, referred
):
    response = client_for(service_manager).get(DASHBOARD, PERIOD)
    block = measure_block(response, "referrals_by_month")

    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Referrals with an '
        "extra-familial marker, by month</caption>"
    ) in block
    assert text_of(re.search(r'data-testid="measure-summary">(.*?)</p>', block).group(1)) == (
        "1 referral of 2 received between 1 January 2026 and 30 June 2026 carried an "
        "extra-familial marker (50%); 0 were marked not yet known."
    )
    assert 'class="govuk-table__cell govuk-table__cell--numeric"' in block
    assert '<p class="govuk-body-s" data-testid="measure-definition">' in block
    assert 'role="img"' in block
    totals = table_rows(block)[-1]
    assert totals == ["Total", "2", "1", "50%", "0"]
    csv_href = re.search(r'href="([^"]+)" data-testid="measure-csv"', block).group(1)
    assert csv_href.startswith(csv_url("referrals_by_month") + "?")
    assert "start_day=1&amp;start_month=1&amp;start_year=2026" in csv_href


def test_a_share_with_nothing_to_divide_by_is_not_applicable(client_for, service_manager):
    response = client_for(service_manager).get(DASHBOARD, PERIOD)
    block = measure_block(response, "referrals_by_month")

    assert table_rows(block)[0] == ["Jan 2026", "0", "0", "–", "0"]
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric"><span aria-hidden="true">–'
        '</span><span class="govuk-visually-hidden">not applicable</span></td>'
    ) in block


def test_the_page_lists_every_table_under_its_section(client_for, service_manager):
    response = client_for(service_manager).get(DASHBOARD, PERIOD)
    contents = re.search(
        r'data-testid="dashboard-contents">(.*?)</nav>', response.content.decode(), re.S
    ).group(1)

    sections = [
        text_of(s) for s in re.findall(r'font-weight-bold" href="[^"]+">(.*?)</a>', contents)
    ]
    assert sections == [
        "Referrals",
        "Harm flags",
        "Assessments and plans",
        "Relocations",
        "Where harm happens",
        "Contexts",
    ]
    assert contents.count('href="#') == len(MEASURES) + len(sections)


def test_the_page_has_no_inline_style_or_script(client_for, service_manager, referred):
    content = client_for(service_manager).get(DASHBOARD, PERIOD).content.decode()

    assert " style=" not in content
    assert "<style" not in content
    assert not re.search(r"<script(?![^>]*\bsrc=)", content)


# --- Drill-down links -----------------------------------------------------------------------------


def test_counts_link_to_the_drill_down_with_the_filters(client_for, team_manager, referred):
    # The drill-down page installed (reporting:drill), not a stand-in address: each link must
    # open the list behind its own count. (A team manager, who holds the team's records: a
    # service manager, who can list no one, is shown the counts without links.)
    drill = reverse("reporting:drill")
    assert drill == "/reporting/young-people/"
    client = client_for(team_manager)
    block = measure_block(client.get(DASHBOARD, PERIOD), "referrals_by_month")

    links = re.findall(
        rf'<a class="govuk-link" href="({re.escape(drill)}\?[^"]+)">(.*?)</a>', block
    )
    links = [(href.replace("&amp;", "&"), text_of(text)) for href, text in links]
    assert links == [
        (
            f"{drill}?measure=referrals_by_month&column=total&key=2026-03&"
            "start_day=1&start_month=1&start_year=2026&end_day=30&end_month=6&end_year=2026"
            f"&team={team_manager.team_id}",
            "1 (Referrals, Mar 2026): see who",
        ),
        (
            f"{drill}?measure=referrals_by_month&column=extra&key=2026-03&"
            "start_day=1&start_month=1&start_year=2026&end_day=30&end_month=6&end_year=2026"
            f"&team={team_manager.team_id}",
            "1 (Extra-familial, Mar 2026): see who",
        ),
    ]
    expected = [("Referrals", 1), ("Extra-familial", 1)]
    for (href, _), (column_label, count) in zip(links, expected, strict=True):
        opened = client.get(href)
        assert opened.status_code == 200, href
        assert (opened.context["column_label"], opened.context["count"]) == (column_label, count)
        assert opened.context["result"].behind == count


def test_without_a_drill_down_page_counts_are_plain(
    monkeypatch, client_for, service_manager, referred
):
    def no_route(name, *args, **kwargs):
        raise NoReverseMatch(name)

    with monkeypatch.context() as patch:
        patch.setattr(display, "reverse", no_route)
        assert display.drill_base() == ""
    monkeypatch.setattr(display, "drill_base", lambda: "")
    block = measure_block(client_for(service_manager).get(DASHBOARD, PERIOD), "referrals_by_month")

    assert "see who" not in block
    assert table_rows(block)[2] == ["Mar 2026", "2", "1", "50%", "0"]


# --- A period that cannot be read -----------------------------------------------------------------


def _period(start: date, end: date) -> dict[str, str]:
    return {
        "start_day": str(start.day),
        "start_month": str(start.month),
        "start_year": str(start.year),
        "end_day": str(end.day),
        "end_month": str(end.month),
        "end_year": str(end.year),
    }


def _ending_tomorrow(today: date) -> dict[str, str]:
    """A period ending tomorrow, built from the day the test runs (a date worked out when the
    tests are collected goes stale on a run that crosses midnight)."""
    return _period(today - timedelta(days=30), today + timedelta(days=1))


@pytest.mark.parametrize(
    ("params", "messages", "fields"),
    [
        (
            {**PERIOD, "start_day": "31", "start_month": "2"},
            ["Start date must be a real date"],
            {"id_start": "Start date must be a real date"},
        ),
        (
            {**PERIOD, "end_month": ""},
            ["End date must include a month"],
            {"id_end": "End date must include a month"},
        ),
        (
            {key: "" for key in PERIOD},
            ["Enter the start date", "Enter the end date"],
            {"id_start": "Enter the start date", "id_end": "Enter the end date"},
        ),
        (
            _period(date(2026, 6, 1), date(2026, 5, 31)),
            ["End date must be the same as or after the start date"],
            {"id_end": "End date must be the same as or after the start date"},
        ),
        (
            _ending_tomorrow,
            ["End date must be today or in the past"],
            {"id_end": "End date must be today or in the past"},
        ),
        (
            _period(date(2020, 12, 31), date(2026, 1, 1)),
            ["Start date must be no more than 5 years before the end date"],
            {"id_start": "Start date must be no more than 5 years before the end date"},
        ),
    ],
)
def test_a_bad_period_is_refused_with_the_gov_uk_error_summary(
    client_for, service_manager, params, messages, fields
):
    if callable(params):
        params = params(timezone.localdate())
    response = client_for(service_manager).get(DASHBOARD, params)

    assert response.status_code == 400
    assert error_summary(response) == messages
    assert field_errors(response) == fields
    content = response.content.decode()
    assert 'data-testid="measure"' not in content
    assert "Correct the filters to see the dashboards." in content
    assert "<title>Error: Dashboards" in content


def test_exactly_five_years_is_allowed(client_for, service_manager):
    response = client_for(service_manager).get(
        DASHBOARD, _period(date(2021, 1, 1), date(2026, 1, 1))
    )

    assert response.status_code == 200
    assert error_summary(response) == []


def test_a_csv_with_a_bad_period_is_refused(client_for, service_manager):
    response = client_for(service_manager).get(
        csv_url("referrals_by_month"), _period(date(2026, 6, 1), date(2026, 5, 31))
    )

    assert response.status_code == 400
    assert response.content.decode() == "End date must be the same as or after the start date\n"


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_of_referrals_by_month(client_for, service_manager, referred):
    response = client_for(service_manager).get(csv_url("referrals_by_month"), PERIOD)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="referrals_by_month-2026-01-01-to-2026-06-30.csv"'
    )
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        [
            "Referrals with an extra-familial marker, by month. Filters: 1 January 2026 to 30 "
            "June 2026; all teams; all harm types. Definition: Referrals by the date received. "
            "Extra-familial means a marker of extra-familial or both. The share extra-familial "
            "is of every referral received, including those marked not yet known, which are "
            "counted apart, never as extra-familial."
        ],
        ["Month", "Referrals", "Extra-familial", "Share extra-familial (%)", "Not yet known"],
        ["Jan 2026", "0", "0", "", "0"],
        ["Feb 2026", "0", "0", "", "0"],
        ["Mar 2026", "2", "1", "50.0", "0"],
        ["Apr 2026", "0", "0", "", "0"],
        ["May 2026", "0", "0", "", "0"],
        ["Jun 2026", "0", "0", "", "0"],
        ["Total", "2", "1", "50.0", "0"],
    ]


def test_csv_of_locations_by_district_for_one_team(client_for, service_manager, team_a, referred):
    response = client_for(service_manager).get(
        csv_url("locations_by_district"), {**PERIOD, "team": team_a.pk}
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0].startswith(
        "Locations of harm, by postcode district. Filters: 1 January 2026 to 30 June 2026; "
        "Team A; all harm types. Definition: "
    )
    assert rows[1:] == [
        ["Postcode district", "Locations recorded", "Young people"],
        ["NB3", "1", "1"],
    ]


def test_csv_guards_labels_against_spreadsheet_formulas():
    from reporting.dashboards.tables import Column, Row, Table

    table = Table(
        key="k",
        title="T",
        summary="S",
        columns=(Column("team", "Team", "text"), Column("n", "Count")),
        rows=(Row(cells=("=HYPERLINK(1)", 3)),),
    )
    out = io.StringIO()
    display.write_csv(table, "all teams", out)

    assert list(csv.reader(io.StringIO(out.getvalue())))[2] == ["'=HYPERLINK(1)", "3"]


def test_csv_of_an_unknown_table_is_not_found(client_for, service_manager):
    response = client_for(service_manager).get(csv_url("no_such_table"), PERIOD)

    assert response.status_code == 404


# --- Query count ----------------------------------------------------------------------------------

# The dashboard costs the same whatever the data. After the session and the user (2):
# the teams the reader may filter by (1), the harm taxonomy for the harm-type choice (1), then the
# measures, each a fixed number of aggregates: referrals by month and by team (2), young people
# with current flags by type and in all (2), co-occurrence pairs, total and base (3), assessments
# by month (1), contextual factors (1), relocations by kind, young people relocated, young people
# with flags (3), locations by type and by district (2), contexts by kind, their links by kind
# and in all (3),
# contexts by time open (1), context plan progress (1), outstanding actions on young people's and
# on contexts' plans (2), flags archived (1), harm types rarely recorded (1); the
# administrator's word for a peer group, once for every table naming kinds of context (1);
# whether the reader may list anyone behind the counts, once for the page's links (1); the unread
# notifications in the navigation (1); and the three that every test request ends with
# (SAVEPOINT, session UPDATE, RELEASE; see tests/cases/test_query_counts.py). A team manager's
# one team costs the same one query as a service manager's list of teams.
DASHBOARD_QUERIES = 2 + 1 + 1 + 2 + 2 + 3 + 1 + 1 + 3 + 2 + 3 + 1 + 1 + 2 + 1 + 1 + 1 + 1 + 1 + 3


def count_second_request(client, url, params, django_assert_num_queries, expected):
    client.get(url, params)  # warm the process-wide caches
    with django_assert_num_queries(expected):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


@pytest.fixture
def many_referrals(team_manager, other_team_manager, referred):
    """Twenty more young people over both teams and every month of the period, each with a
    referral, a flag and a location of harm."""
    months = [date(2026, month, 5) for month in range(1, 7)]
    for n in range(20):
        actor = team_manager if n % 2 else other_team_manager
        person = YoungPersonFactory(actor=actor)
        refer(
            actor,
            person,
            on=months[n % 6],
            nature=NatureOfHarm.EXTRA_FAMILIAL if n % 3 else NatureOfHarm.BOTH,
            harms=[CCE] if n % 2 else [],
            postcode=f"NB{n % 5} 1AA",
        )


@pytest.mark.parametrize("volume", ["referred", "many_referrals"])
def test_dashboard_query_count_does_not_grow_with_the_data(
    request, client_for, service_manager, django_assert_num_queries, volume
):
    request.getfixturevalue(volume)
    count_second_request(
        client_for(service_manager), DASHBOARD, PERIOD, django_assert_num_queries, DASHBOARD_QUERIES
    )


@pytest.mark.parametrize("volume", ["referred", "many_referrals"])
def test_team_manager_dashboard_query_count_does_not_grow_with_the_data(
    request, client_for, team_manager, django_assert_num_queries, volume
):
    request.getfixturevalue(volume)
    count_second_request(
        client_for(team_manager), DASHBOARD, PERIOD, django_assert_num_queries, DASHBOARD_QUERIES
    )


def test_a_harm_type_filter_costs_one_query_more(
    client_for, service_manager, django_assert_num_queries, many_referrals
):
    # The taxonomy again, to find the types beneath the one chosen.
    params = {**PERIOD, "harm_type": HarmType.objects.get(name=CCE).parent_id}
    count_second_request(
        client_for(service_manager),
        DASHBOARD,
        params,
        django_assert_num_queries,
        DASHBOARD_QUERIES + 1,
    )
