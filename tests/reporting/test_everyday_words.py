"""What the dashboards say, as a reader meets it (issue 17): "No harm found" counted apart and in
the denominator of every share of extra-familial harm, and in the CIN census return as factor
21 or none; the administrator's word for a peer group on the page, in the CSV, on the drill-down
and in the API; the default period (and "Clear filters") as the last 12 months; "planned for"
and "done" instead of "addressed"; counts without links for a reader who can list no one; and
link names that say which row and column each count is."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import AssessmentFactor, Referral
from cases.reference import NatureOfHarm
from cases.services import assessments as assessment_services
from contexts.services.configuration import configuration_update
from reporting.census.selectors import SOURCE_ASSESSMENT, census_rows
from reporting.dashboards import display
from reporting.dashboards.selectors import MEASURES, dashboard_tables
from reporting.drill.selectors import drill_young_people, may_list_someone
from reporting.scope import default_period, scope_for
from tests.cases.assessment_support import add_factor, complete, start
from tests.html_pages import text_of
from tests.reporting.helpers import CCE, refer

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
REASON = "The evidence supports the conclusion and the decision"


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def period(start: date, end: date) -> dict[str, str]:
    return {
        "start_day": str(start.day),
        "start_month": str(start.month),
        "start_year": str(start.year),
        "end_day": str(end.day),
        "end_month": str(end.month),
        "end_year": str(end.year),
    }


def last_month() -> dict[str, str]:
    return period(days_ago(30), timezone.localdate())


def authorised(manager, person, *, outcome: str, codes: list[str], factors=()):
    """An assessment started 20 days ago, completed 10 days ago and authorised 5 days ago."""
    assessment = start(manager, person, started_on=days_ago(20))
    for domain in factors:
        add_factor(manager, assessment, domain=domain)
    assessment = complete(
        manager,
        assessment,
        completed_on=days_ago(10),
        outcome_nature=outcome,
        cin_factor_codes=codes,
    )
    return assessment_services.assessment_authorise(
        actor=manager, assessment=assessment, authorised_on=days_ago(5), reason=REASON
    )


def cells(table) -> dict:
    """The table's totals row by column key."""
    return dict(zip((c.key for c in table.columns), table.totals.cells, strict=True))


def table_on_page(response, key: str):
    return next(
        shown.table
        for section in response.context["sections"]
        for shown in section.tables
        if shown.table.key == key
    )


# --- No harm found -----------------------------------------------------------------------------


@pytest.fixture
def no_harm(team_manager, practitioner, young_person, other_young_person, other_team_manager):
    """Team A: an extra-familial referral and assessment, an intra-familial referral and an
    assessment that found no harm; team B: one referral marked not yet known."""
    refer(practitioner, young_person, on=days_ago(12), nature=NatureOfHarm.EXTRA_FAMILIAL)
    refer(practitioner, young_person, on=days_ago(11), nature=NatureOfHarm.INTRA_FAMILIAL)
    refer(other_team_manager, other_young_person, on=days_ago(11), nature="not_known")
    authorised(team_manager, young_person, outcome=NatureOfHarm.EXTRA_FAMILIAL, codes=["24A"])
    return authorised(team_manager, young_person, outcome=NatureOfHarm.NONE_FOUND, codes=["21"])


def test_no_harm_found_is_counted_apart_and_in_the_denominator(no_harm, service_manager):
    scope = scope_for(user=service_manager, start=days_ago(30), end=timezone.localdate())

    assessments = cells(MEASURES["assessments_by_month"](scope))
    assert {k: v for k, v in assessments.items() if k != "month"} == {
        "total": 2,
        "extra": 1,
        "share": 50.0,
        "not_known": 0,
        "none_found": 1,
    }
    table = MEASURES["assessments_by_month"](scope)
    assert "including those that found no harm" in table.definition
    assert table.summary.endswith(" 1 found no harm and 0 were not yet known.")


def test_a_referral_marked_no_harm_found_counts_in_the_referrals_only(no_harm, service_manager):
    """A referral is never marked "No harm found" (an assessment's finding; the referral
    services refuse it), but one carried over from elsewhere is neither extra-familial nor not
    yet known: it counts among the referrals the share is of, and nowhere else."""
    Referral.objects.filter(nature_of_harm=NatureOfHarm.INTRA_FAMILIAL).update(
        nature_of_harm=NatureOfHarm.NONE_FOUND
    )
    scope = scope_for(user=service_manager, start=days_ago(30), end=timezone.localdate())
    referrals = cells(MEASURES["referrals_by_month"](scope))
    assert {k: v for k, v in referrals.items() if k != "month"} == {
        "total": 3,
        "extra": 1,
        "share": 33.3,
        "not_known": 1,
    }
    by_team = MEASURES["referrals_by_team"](scope)
    assert [row.cells for row in by_team.rows] == [
        ("Team A", 2, 1, 50.0, 0),
        ("Team B", 1, 0, 0.0, 1),
    ]


def test_the_no_harm_found_drill_lists_the_young_person(no_harm, team_manager, young_person):
    scope = scope_for(user=team_manager, start=days_ago(30), end=timezone.localdate())
    key = f"{days_ago(5):%Y-%m}"
    result = drill_young_people(
        user=team_manager,
        scope=scope,
        table_key="assessments_by_month",
        column_key="none_found",
        row_key=key,
    )
    assert (result.describes, result.behind) == ("Assessments authorised that found no harm", 1)
    assert list(result.visible) == [young_person]


def test_the_csv_carries_a_no_harm_found_column(no_harm, client_for, team_manager):
    response = client_for(team_manager).get(
        reverse("reporting:dashboard_csv", args=["assessments_by_month"]), last_month()
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == [
        "Month",
        "Authorised",
        "Extra-familial outcome",
        "Share extra-familial (%)",
        "Not yet known",
        "No harm found",
    ]
    assert rows[-1] == ["Total", "2", "1", "50.0", "0", "1"]


class TestCensus:
    def test_an_assessment_that_found_no_harm_is_written_with_21(self, no_harm, team_manager):
        scope = scope_for(user=team_manager, start=days_ago(30), end=timezone.localdate())
        row = next(r for r in census_rows(scope) if r.assessment_id == no_harm.pk)
        assert (row.codes, row.source, row.problems) == (("21",), SOURCE_ASSESSMENT, ())

    def test_without_codes_of_its_own_it_invents_none_from_the_flags(
        self, no_harm, team_manager, young_person
    ):
        """Imported with no factors: the young person's CCE flag (24A) would map, but an
        assessment that found no harm keeps to its own codes, none here, and says what to do."""
        refer(team_manager, young_person, on=days_ago(15), nature="extra_familial", harms=[CCE])
        AssessmentFactor.objects.filter(assessment=no_harm).update(withdrawn_at=timezone.now())
        scope = scope_for(user=team_manager, start=days_ago(30), end=timezone.localdate())
        row = next(r for r in census_rows(scope) if r.assessment_id == no_harm.pk)
        assert (row.codes, row.source, row.unmapped_types) == ((), SOURCE_ASSESSMENT, ())
        assert row.problems == (
            "No factors: the assessment found no harm and records no factors. Record 21 (No "
            "factors identified) on it if it identified none",
        )

    def test_21_beside_other_factors_is_reported(self, no_harm, team_manager):
        AssessmentFactor.objects.create(assessment=no_harm, code="24A")
        scope = scope_for(user=team_manager, start=days_ago(30), end=timezone.localdate())
        row = next(r for r in census_rows(scope) if r.assessment_id == no_harm.pk)
        assert row.codes == ("21", "24A")
        assert row.problems == (
            "21 (No factors identified) is recorded with other factors: keep one or the other",
        )


# --- The administrator's word for a peer group -------------------------------------------------


@pytest.fixture
def peer_factor(team_manager, young_person):
    return authorised(
        team_manager,
        young_person,
        outcome=NatureOfHarm.EXTRA_FAMILIAL,
        codes=["24A"],
        factors=["peer_group"],
    )


def test_the_configured_word_reaches_page_csv_drill_and_api(
    peer_factor, administrator, client_for, team_manager
):
    configuration_update(actor=administrator, peer_group_term="network")
    client = client_for(team_manager)

    page = client.get(DASHBOARD, last_month())
    table = table_on_page(page, "contextual_factors_addressed")
    assert [row.cells[0] for row in table.rows] == ["Network"]
    text = text_of(page.content.decode())
    assert "Network" in text
    assert "Peer group" not in text

    response = client.get(
        reverse("reporting:dashboard_csv", args=["contextual_factors_addressed"]), last_month()
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[2][0] == "Network"

    drill = client.get(
        reverse("reporting:drill"),
        {
            "measure": "contextual_factors_addressed",
            "column": "identified",
            "key": "peer_group",
            **last_month(),
        },
    )
    assert drill.status_code == 200
    assert "Contextual factors identified: Network" in text_of(drill.content.decode())

    api = APIClient()
    api.force_authenticate(team_manager)
    body = api.get(
        "/api/v1/reporting/measures/contextual_factors_addressed/",
        {"start": days_ago(30).isoformat()},
    ).json()
    assert [row["cells"]["context"] for row in body["rows"]] == ["Network"]


def test_the_dashboard_reads_the_word_once(peer_factor, team_manager):
    scope = scope_for(user=team_manager, start=days_ago(30), end=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        dashboard_tables(scope)
    configuration_reads = [q for q in queries if "contexts_contextconfiguration" in q["sql"]]
    assert len(configuration_reads) == 1


# --- The default period --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 12, 8), date(2025, 12, 9)),
        (date(2026, 1, 31), date(2025, 2, 1)),
        (date(2026, 3, 1), date(2025, 3, 2)),
        (date(2028, 2, 29), date(2027, 3, 1)),
        (date(2027, 2, 28), date(2026, 3, 1)),
    ],
)
def test_the_default_period_is_the_last_twelve_months(today, start):
    assert default_period(today) == (start, today)


def test_clear_filters_gives_the_default_period(client_for, service_manager):
    page = client_for(service_manager).get(DASHBOARD, last_month())
    content = page.content.decode()
    link = re.search(
        r'<a class="govuk-link" href="([^"]*)">Clear filters \(last 12 months', content
    )
    assert link, "no Clear filters link"
    cleared = client_for(service_manager).get(link.group(1))
    assert (cleared.context["filters"].start, cleared.context["filters"].end) == default_period(
        timezone.localdate()
    )


# --- Links only where the reader can list someone ------------------------------------------------


def _drill_links(response) -> list[str]:
    return re.findall(r'href="/reporting/young-people/\?[^"]+"', response.content.decode())


def test_a_service_manager_sees_counts_without_links(no_harm, client_for, service_manager):
    response = client_for(service_manager).get(DASHBOARD, last_month())
    assert response.status_code == 200
    assert _drill_links(response) == []
    assert "see who" not in response.content.decode()
    # The counts are all there.
    assert table_on_page(response, "referrals_by_month").totals.cells[1] == 3


def test_a_team_manager_who_holds_the_records_sees_links(no_harm, client_for, team_manager):
    response = client_for(team_manager).get(DASHBOARD, last_month())
    assert _drill_links(response)


def test_a_team_manager_filtering_to_no_one_they_hold_sees_no_links(
    no_harm, client_for, team_manager
):
    """A harm type none of the team's young people has had: the counts are 0, and no link."""
    from harms.models import HarmType

    gangs = HarmType.objects.get(name="Gangs")
    scope = scope_for(
        user=team_manager,
        start=days_ago(30),
        end=timezone.localdate(),
        harm_type_ids=(gangs.pk,),
    )
    assert may_list_someone(user=team_manager, scope=scope) is False
    response = client_for(team_manager).get(DASHBOARD, {**last_month(), "harm_type": gangs.pk})
    assert _drill_links(response) == []


# --- Link names --------------------------------------------------------------------------------


def test_co_occurrence_links_name_both_harms(client_for, team_manager, young_person, practitioner):
    refer(
        practitioner,
        young_person,
        on=days_ago(10),
        nature="extra_familial",
        harms=[CCE, "Going missing"],
    )
    refer(practitioner, young_person, on=days_ago(9), nature="intra_familial", harms=["Neglect"])
    response = client_for(team_manager).get(DASHBOARD, last_month())
    content = response.content.decode()
    block = content[content.index('data-measure="co_occurrence"') :]
    block = block[: block.index("</table>")]
    names = [text_of(name) for name in re.findall(r"<a [^>]*>(.*?)</a>", block, re.S)]
    # Ordered as the table is: most young people first, then by the extra-familial type's name.
    assert names == [
        f"1 (Young people, {CCE} with Neglect): see who",
        "1 (Young people, Going missing with Neglect): see who",
    ]


def test_every_link_name_on_the_page_is_unique(no_harm, client_for, team_manager):
    response = client_for(team_manager).get(DASHBOARD, last_month())
    names = [
        text_of(name)
        for name in re.findall(
            r'<a class="govuk-link" href="/reporting/young-people/[^"]*">(.*?)</a>',
            response.content.decode(),
            re.S,
        )
    ]
    assert names
    assert len(set(names)) == len(names)


def test_row_label_joins_every_text_cell():
    from reporting.dashboards.tables import Column, Row, Table

    table = Table(
        key="t",
        title="T",
        summary="",
        columns=(Column("a", "A", "text"), Column("b", "B", "text"), Column("n", "N")),
        rows=(),
    )
    assert display.row_label(table, Row(cells=("CCE", "Neglect", 3))) == "CCE with Neglect"
    assert display.row_label(table, Row(cells=("Total", "", 3))) == "Total"
