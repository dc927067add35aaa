"""The CIN census return of factors identified at the end of assessment: which assessments it
holds, the exact codes of each (own factors, mapped from flags through the taxonomy, unmapped
local types, invalid codes), the summary, the CSV and XML files, and who may read the page and
download the files."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import AssessmentFactor
from cases.services import assessments as assessment_services
from csafe.audit.models import AccessChannel, RecordAccess
from csafe.urls import urlpatterns as site_urlpatterns
from harms import services as harm_services
from harms.models import ArchiveReason, HarmType, IdentifiedAt, Nature
from reporting.census import selectors as census_module
from reporting.census.forms import END_BEFORE_START_MESSAGE, census_year
from reporting.census.selectors import (
    CSV_HEADER,
    SOURCE_ASSESSMENT,
    SOURCE_FLAGS,
    Taxonomy,
    census_rows,
    census_summary,
    write_census_xml,
)
from reporting.exports.census import CENSUS_CSV, CENSUS_XML
from reporting.scope import scope_for
from tests.cases.assessment_support import CCE, complete, days_ago, start, today
from tests.cases.helpers import sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.html_pages import error_summary, text_of

# These tests mount the census views themselves, under a namespace of their own, so that they
# do not depend on how reporting/urls.py includes them.
urlpatterns = [
    *site_urlpatterns,
    path("census-test/", include(("reporting.census.urls", "censustest"))),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PAGE = "censustest:census"
CSV_URL = "censustest:census_csv"
XML_URL = "censustest:census_xml"


def period_start() -> date:
    """The period's first day, worked out when a test runs (never at collection: a run crossing
    midnight would test yesterday's period against today's data)."""
    return days_ago(60)


def period_end() -> date:
    return today()


# Every young person's names: none may appear in any output.
NAMES = (
    "Zephyrine",
    "Quillfeather",
    "Marisol",
    "Thistlewood",
    "Ignatius",
    "Bramblecote",
    "Absentfactor",
    "Bartholomew",
    "Nettlecombe",
)


# --- The data: a fixed small set of assessments --------------------------------------------------


def flag(actor, young_person, name: str, *, identified_on: date | None = None, parent=None):
    harm_type = HarmType.objects.get(name=name, parent=parent) if parent else None
    harm_type = harm_type or HarmType.objects.get(name=name)
    return case_services.harm_flag_raise(
        actor=actor,
        young_person=young_person,
        harm_type=harm_type,
        identified_at=IdentifiedAt.ASSESSMENT,
        identified_on=identified_on or days_ago(40),
    )


def completed(actor, young_person, codes, *, started: int = 30, done: int = 10):
    assessment = start(actor, young_person, started_on=days_ago(started))
    return complete(actor, assessment, completed_on=days_ago(done), cin_factor_codes=codes)


def as_imported(assessment):
    """An assessment brought over from an earlier system, with no CIN factors of its own. No
    service can make one (completing needs at least one code), so the factors are withdrawn
    directly, as an import would have left them."""
    AssessmentFactor.objects.filter(assessment=assessment).update(withdrawn_at=timezone.now())
    return assessment


@pytest.fixture
def county_lines(administrator):
    """A local subtype with no code of its own, under a type coded 24A."""
    return harm_services.harm_type_create(
        actor=administrator,
        name="County lines",
        nature=Nature.EXTRA_FAMILIAL,
        parent=HarmType.objects.get(name=CCE),
    )


@pytest.fixture
def data(team_manager, other_team_manager, administrator, young_person, other_young_person,
         county_lines):  # fmt: skip
    manager = team_manager
    marisol = YoungPersonFactory(actor=manager, first_name="Marisol", last_name="Thistlewood")
    ignatius = YoungPersonFactory(actor=manager, first_name="Ignatius", last_name="Bramblecote")
    nobody = YoungPersonFactory(actor=manager, first_name="Nobody", last_name="Absentfactor")

    # Own factors, authorised.
    own = completed(manager, young_person, ["24A", "13A"], started=30, done=20)
    assessment_services.assessment_authorise(
        actor=manager,
        assessment=own,
        authorised_on=days_ago(15),
        reason="The evidence supports the conclusion and the decision",
    )
    # Returned and completed again without 13A: its 13A row is withdrawn.
    returned = completed(manager, young_person, ["24A", "13A"], started=12, done=8)
    assessment_services.assessment_return(actor=manager, assessment=returned, reason="Peers?")
    returned = complete(
        manager, returned, completed_on=days_ago(6), cin_factor_codes=["10A", "24A"]
    )

    # Outside the period.
    before = completed(manager, marisol, ["16A"], started=100, done=90)
    # Mapped from flags: County lines through its parent (24A), Going missing (10A), Serious youth
    # violence unmapped; Gangs raised after completion and Trafficking recorded in error are not
    # current; Neglect archived (today) after completion still counts.
    flag(manager, marisol, "County lines", parent=HarmType.objects.get(name=CCE))
    flag(manager, marisol, "Going missing")
    flag(manager, marisol, "Serious youth violence")
    flag(manager, marisol, "Gangs", identified_on=days_ago(3))
    neglect = flag(manager, marisol, "Neglect")
    case_services.harm_flag_archive(
        actor=manager, flag=neglect, reason=ArchiveReason.NO_LONGER, rationale="Home is safe now"
    )
    trafficking = flag(manager, marisol, "Trafficking and modern slavery")
    case_services.harm_flag_archive(
        actor=manager, flag=trafficking, reason=ArchiveReason.ERROR, rationale="Wrong child"
    )
    mapped = as_imported(completed(manager, marisol, ["20"], started=25, done=5))

    # Nothing maps: a local type, and a type carrying a code from an old taxonomy (set directly:
    # today's services accept only codes in the list).
    HarmType.objects.filter(name="Radicalisation").update(cin_code="25A")
    flag(manager, ignatius, "Online harm")
    flag(manager, ignatius, "Radicalisation")
    unmapped = as_imported(completed(manager, ignatius, ["20"], started=25, done=4))

    # "No factors identified" said by the assessment itself.
    none_found = completed(manager, nobody, ["21"], started=20, done=2)

    # Team B.
    other = completed(other_team_manager, other_young_person, ["16A"], started=20, done=7)
    return {
        "own": own,
        "returned": returned,
        "before": before,
        "mapped": mapped,
        "unmapped": unmapped,
        "none_found": none_found,
        "other": other,
        "people": {"marisol": marisol, "ignatius": ignatius, "nobody": nobody},
    }


def scope(user, team=None):
    return scope_for(user=user, start=period_start(), end=period_end(), team=team)


def by_assessment(rows):
    return {row.assessment_id: row for row in rows}


# --- Codes ---------------------------------------------------------------------------------------


class TestCodes:
    def test_each_assessment_has_exactly_its_codes_source_and_problems(self, data, service_manager):
        rows = by_assessment(census_rows(scope(service_manager)))

        def summary(key):
            row = rows[data[key].pk]
            return (row.codes, row.source, row.unmapped_types, row.invalid_codes, row.problems)

        assert summary("own") == (("13A", "24A"), SOURCE_ASSESSMENT, (), (), ())
        assert summary("returned") == (("10A", "24A"), SOURCE_ASSESSMENT, (), (), ())
        assert summary("mapped") == (
            ("10A", "16A", "24A"),
            SOURCE_FLAGS,
            ("Serious youth violence",),
            (),
            ("Harm types with no CIN census code: Serious youth violence",),
        )
        assert summary("unmapped") == (
            (),
            SOURCE_FLAGS,
            ("Online harm",),
            ("25A",),
            (
                "No factors: the assessment records none and the harm flags map to none",
                "Harm types with no CIN census code: Online harm",
                "Codes not written: 25A",
            ),
        )
        assert summary("none_found") == (("21",), SOURCE_ASSESSMENT, (), (), ())
        assert summary("other") == (("16A",), SOURCE_ASSESSMENT, (), (), ())

    def test_only_assessments_completed_in_the_period_in_order_of_young_person(
        self, data, service_manager
    ):
        rows = list(census_rows(scope(service_manager)))

        assert data["before"].pk not in {row.assessment_id for row in rows}
        assert sorted(row.assessment_id for row in rows) == sorted(
            data[key].pk for key in ("own", "returned", "mapped", "unmapped", "none_found", "other")
        )
        people = [row.young_person_id for row in rows]
        assert people == sorted(people)

    def test_a_team_manager_reads_only_their_team(self, data, team_manager, other_team_manager):
        mine = {row.assessment_id for row in census_rows(scope(team_manager))}
        theirs = {row.assessment_id for row in census_rows(scope(other_team_manager))}

        assert data["other"].pk not in mine
        assert data["own"].pk in mine
        assert theirs == {data["other"].pk}

    def test_a_service_manager_may_choose_one_team(self, data, service_manager, team_b):
        rows = list(census_rows(scope(service_manager, team=team_b)))

        assert [row.assessment_id for row in rows] == [data["other"].pk]

    def test_a_type_walks_up_to_its_nearest_coded_ancestor(self):
        taxonomy = Taxonomy(
            [
                (1, "Exploitation", None, ""),
                (2, "Child criminal exploitation", 1, "24A"),
                (3, "County lines", 2, ""),
                (4, "Cuckooing", 3, ""),
                (5, "Online harm", None, ""),
                (6, "Sextortion", 5, ""),
            ]
        )

        assert [taxonomy.code_for(pk) for pk in (1, 2, 3, 4, 5, 6)] == [
            "",
            "24A",
            "24A",
            "24A",
            "",
            "",
        ]

    def test_no_factors_identified_is_never_mapped_from_flags(self, data, team_manager):
        HarmType.objects.filter(name="Going missing").update(cin_code="21")

        row = by_assessment(census_rows(scope(team_manager)))[data["mapped"].pk]

        assert (row.codes, row.invalid_codes) == (("16A", "24A"), ("21",))

    def test_rows_cost_the_same_queries_for_one_assessment_or_many(
        self, team_manager, young_person, county_lines
    ):
        completed(team_manager, young_person, ["24A"], started=30, done=20)
        as_imported(completed(team_manager, young_person, ["20"], started=15, done=10))
        flag(team_manager, young_person, "Going missing")

        with CaptureQueriesContext(connection) as few:
            assert len(list(census_rows(scope(team_manager)))) == 2
        for _ in range(4):
            completed(team_manager, young_person, ["24A"], started=9, done=8)
            person = YoungPersonFactory(actor=team_manager)
            flag(team_manager, person, "Gangs")
            as_imported(completed(team_manager, person, ["20"], started=9, done=7))
        with CaptureQueriesContext(connection) as many:
            assert len(list(census_rows(scope(team_manager)))) == 10

        # The taxonomy; the assessments with their young people and referrals; their current
        # factors; the flags of the young people whose assessments have none.
        assert len(few.captured_queries) == len(many.captured_queries) == 4


# --- Summary -------------------------------------------------------------------------------------


class TestSummary:
    def test_counts_per_code_per_source_and_the_problems(self, data, service_manager):
        summary = census_summary(scope(service_manager))

        assert summary.assessments == 6
        assert [(c.code, c.label, c.assessments) for c in summary.codes] == [
            ("10A", "Going or being missing", 2),
            ("13A", "Gangs", 1),
            ("16A", "Neglect", 2),
            ("21", "No factors identified", 1),
            ("24A", "Child criminal exploitation", 3),
        ]
        assert summary.by_source == {SOURCE_ASSESSMENT: 4, SOURCE_FLAGS: 2}
        assert summary.source_rows == [
            ("Recorded on the assessment", 4),
            ("Mapped from harm flags", 2),
        ]
        assert summary.without_codes == 1
        assert [(u.name, u.assessments) for u in summary.unmapped_types] == [
            ("Online harm", 1),
            ("Serious youth violence", 1),
        ]
        assert [(i.name, i.assessments) for i in summary.invalid_codes] == [("25A", 1)]

    def test_a_team_managers_summary_leaves_other_teams_out(self, data, team_manager):
        summary = census_summary(scope(team_manager))

        assert summary.assessments == 5
        assert ("16A", 1) in [(c.code, c.assessments) for c in summary.codes]


# --- Files ---------------------------------------------------------------------------------------


def write(source, user, params):
    out = io.StringIO()
    progress = []
    ids = source.write(user, params, out, progress.append)
    return out.getvalue(), ids, progress


def params(team=None):
    return {"start": period_start().isoformat(), "end": period_end().isoformat(), "team": team}


class TestCsv:
    def test_header_and_one_line_per_assessment(self, data, team_manager, young_person):
        text, ids, progress = write(CENSUS_CSV, team_manager, params())
        lines = list(csv.reader(io.StringIO(text)))

        assert lines[0] == list(CSV_HEADER)
        assert len(lines) == 6
        own = next(line for line in lines if line[1] == str(data["own"].pk))
        assert own == [
            young_person.local_identifier,
            str(data["own"].pk),
            days_ago(30).isoformat(),
            days_ago(20).isoformat(),
            days_ago(15).isoformat(),
            "13A 24A",
            "assessment",
            "",
            "",
            "",
        ]
        unmapped = next(line for line in lines if line[1] == str(data["unmapped"].pk))
        assert unmapped[4:] == [
            "",
            "",
            "mapped from flags",
            "Online harm",
            "25A",
            "No factors: the assessment records none and the harm flags map to none; "
            "Harm types with no CIN census code: Online harm; Codes not written: 25A",
        ]
        assert sorted(ids) == sorted([young_person.pk, *(p.pk for p in data["people"].values())])
        assert progress == [5]
        assert not any(name in text for name in NAMES)

    def test_a_cell_that_looks_like_a_formula_is_quoted(self, team_manager, young_person):
        HarmType.objects.filter(name="Online harm").update(name="=Online harm")
        flag(team_manager, young_person, "=Online harm")
        as_imported(completed(team_manager, young_person, ["20"]))

        text, _ids, _progress = write(CENSUS_CSV, team_manager, params())

        assert list(csv.reader(io.StringIO(text)))[1][7] == "'=Online harm"


class TestXml:
    def test_the_census_structure_with_no_names(
        self, data, service_manager, young_person, settings
    ):
        settings.CSAFE_LA_CODE = "931"
        text, ids, progress = write(CENSUS_XML, service_manager, params())
        message = ET.fromstring(text)

        assert message.tag == "Message"
        header = message.find("Header")
        assert header.findtext("CollectionDetails/Collection") == "CIN"
        assert header.findtext("CollectionDetails/Year") == str(period_end().year)
        assert header.findtext("CollectionDetails/ReferenceDate") == period_end().isoformat()
        assert header.findtext("Source/LEA") == "931"
        children = message.findall("Children/Child")
        assert len(children) == len(ids) == 5
        child = next(
            c
            for c in children
            if c.findtext("ChildIdentifiers/LAchildID") == young_person.local_identifier
        )
        assert [e.tag for e in child.find("ChildIdentifiers")] == [
            "LAchildID",
            "PersonBirthDate",
            "Sex",
        ]
        assert child.findtext("ChildIdentifiers/PersonBirthDate") == "2011-05-17"
        assert child.findtext("ChildIdentifiers/Sex") == "U"
        assessments = child.findall("CINdetails/Assessments/Assessment")
        assert [
            (
                a.findtext("AssessmentActualStartDate"),
                a.findtext("AssessmentInternalReviewDate"),
                a.findtext("AssessmentAuthorisationDate"),
                [f.text for f in a.findall("AssessmentFactors/AssessmentFactor")],
            )
            for a in assessments
        ] == [
            (days_ago(30).isoformat(), days_ago(20).isoformat(), days_ago(15).isoformat(),
             ["13A", "24A"]),
            (days_ago(12).isoformat(), days_ago(6).isoformat(), None, ["10A", "24A"]),
        ]  # fmt: skip
        ignatius = data["people"]["ignatius"].local_identifier
        empty = next(c for c in children if c.findtext("ChildIdentifiers/LAchildID") == ignatius)
        assert empty.find("CINdetails/Assessments/Assessment/AssessmentFactors") is None
        assert progress == [6]
        assert not any(name in text for name in NAMES)

    def test_written_a_child_at_a_time_with_progress(self):
        rows = [
            census_module.CensusRow(
                assessment_id=n,
                young_person_id=n // 2,
                la_child_id=f"LA{n // 2}",
                birth_date=date(2010, 1, 1),
                sex="F",
                referral_id=None,
                referral_date=None,
                referral_source="",
                started_on=date(2025, 4, 1),
                completed_on=date(2025, 5, 1),
                authorised_on=None,
                codes=("11A",),
                source=SOURCE_ASSESSMENT,
                unmapped_types=(),
                invalid_codes=(),
            )
            for n in range(1200)
        ]
        out, progress = io.StringIO(), []

        ids = write_census_xml(rows, out, progress.append, reference_date=date(2026, 3, 31))

        assert progress == [500, 1000, 1200]
        assert len(ids) == 600
        assert len(ET.fromstring(out.getvalue()).findall("Children/Child")) == 600


# --- Pages ---------------------------------------------------------------------------------------


def page_url(**query):
    from django.utils.http import urlencode

    return reverse(PAGE) + (f"?{urlencode(query)}" if query else "")


def period_query(start=None, end=None, **extra):
    start = start or period_start()
    end = end or period_end()
    return {
        "start_day": start.day,
        "start_month": start.month,
        "start_year": start.year,
        "end_day": end.day,
        "end_month": end.month,
        "end_year": end.year,
        **extra,
    }


def posted(team=None) -> dict:
    return {k: v for k, v in params(team).items() if v is not None}


def html(response) -> str:
    return response.content.decode()


class TestPage:
    @pytest.mark.parametrize("who", ["team_manager", "service_manager"])
    def test_managers_read_the_summary(self, request, client_for, data, who):
        response = client_for(request.getfixturevalue(who)).get(page_url(**period_query()))

        assert response.status_code == 200
        body = html(response)
        count = 6 if who == "service_manager" else 5
        assert f"{count} assessments completed in the period." in text_of(body)
        assert "Going or being missing" in body
        assert "Serious youth violence: 1 assessment" in text_of(body)
        assert "Online harm: 1 assessment" in text_of(body)
        assert "25A: 1 assessment" in text_of(body)
        assert "1 assessment has no factors to report." in text_of(body)
        assert not any(name in body for name in NAMES)

    def test_without_a_period_the_census_year_is_shown(self, client_for, team_manager):
        response = client_for(team_manager).get(page_url())

        first, last = census_year(timezone.localdate())
        assert response.status_code == 200
        assert f'value="{first.year}"' in html(response)
        assert "0 assessments completed in the period." in text_of(html(response))
        assert "Team: Team A" in text_of(html(response))

    def test_an_end_before_the_start_is_refused(self, client_for, team_manager):
        response = client_for(team_manager).get(
            page_url(**period_query(start=period_end(), end=period_start()))
        )

        assert response.status_code == 400
        assert error_summary(response) == [END_BEFORE_START_MESSAGE]

    def test_a_missing_date_is_refused(self, client_for, service_manager):
        query = period_query()
        query["start_day"] = query["start_month"] = query["start_year"] = ""

        response = client_for(service_manager).get(page_url(**query))

        assert response.status_code == 400
        assert error_summary(response) == ["Enter the start of the period"]

    def test_a_service_manager_chooses_a_team(self, client_for, data, service_manager, team_b):
        response = client_for(service_manager).get(page_url(**period_query(team=team_b.pk)))

        assert "1 assessment completed in the period." in text_of(html(response))
        assert f'<option value="{team_b.pk}" selected>' in html(response)

    @pytest.mark.parametrize("who", ["practitioner", "administrator"])
    def test_practitioners_and_administrators_are_refused(self, request, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(page_url())

        assert response.status_code == 403

    def test_anonymous_users_are_sent_to_sign_in(self, client):
        response = client.get(page_url())

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(page_url())

    def test_the_page_costs_the_same_queries_for_few_or_many(
        self, client_for, team_manager, young_person
    ):
        signed_in = client_for(team_manager)
        completed(team_manager, young_person, ["24A"], started=30, done=20)
        with CaptureQueriesContext(connection) as few:
            signed_in.get(page_url(**period_query()))
        for _ in range(5):
            completed(team_manager, YoungPersonFactory(actor=team_manager), ["11A"])
        with CaptureQueriesContext(connection) as many:
            response = signed_in.get(page_url(**period_query()))

        assert "6 assessments completed in the period." in text_of(html(response))
        assert len(few.captured_queries) == len(many.captured_queries)


class TestDownloads:
    @pytest.mark.parametrize(
        ("url", "content_type", "extension"),
        [(CSV_URL, "text/csv", "csv"), (XML_URL, "application/xml", "xml")],
    )
    def test_a_manager_downloads_each_child_logged(
        self, client_for, data, team_manager, young_person, url, content_type, extension
    ):
        response = client_for(team_manager).post(reverse(url), posted())

        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"].endswith(
            f'cin-census-factors-{period_start().isoformat()}-to-{period_end().isoformat()}.{extension}"'
        )
        body = response.content.decode()
        assert young_person.local_identifier in body
        assert not any(name in body for name in NAMES)
        logged = RecordAccess.objects.filter(user=team_manager, channel=AccessChannel.EXPORT)
        assert sorted(logged.values_list("young_person_id", flat=True)) == sorted(
            [young_person.pk, *(p.pk for p in data["people"].values())]
        )

    @pytest.mark.parametrize("url", [CSV_URL, XML_URL])
    def test_a_team_manager_naming_another_team_is_refused(
        self, client_for, data, team_manager, team_b, other_young_person, url
    ):
        response = client_for(team_manager).post(reverse(url), posted(team=team_b.pk))

        assert response.status_code == 400
        assert response.content.decode() == "You can only see figures for your own team"
        assert not RecordAccess.objects.filter(channel=AccessChannel.EXPORT).exists()

    def test_a_team_manager_naming_their_own_team_downloads_it(
        self, client_for, data, team_manager, team_a, young_person, other_young_person
    ):
        response = client_for(team_manager).post(reverse(CSV_URL), posted(team=team_a.pk))

        assert response.status_code == 200
        body = response.content.decode()
        assert young_person.local_identifier in body
        assert other_young_person.local_identifier not in body

    def test_a_bad_period_is_refused(self, client_for, team_manager):
        response = client_for(team_manager).post(
            reverse(CSV_URL), {"start": "2026-02-30", "end": period_end().isoformat()}
        )

        assert response.status_code == 400
        assert response.content.decode() == "The period is not a pair of valid dates"

    def test_an_end_before_the_start_is_refused(self, client_for, team_manager):
        response = client_for(team_manager).post(
            reverse(XML_URL), {"start": period_end().isoformat(), "end": period_start().isoformat()}
        )

        assert response.status_code == 400
        assert response.content.decode() == "The start of the period must be on or before its end"

    @pytest.mark.parametrize("url", [CSV_URL, XML_URL])
    @pytest.mark.parametrize("who", ["practitioner", "administrator"])
    def test_practitioners_and_administrators_are_refused(
        self, request, client_for, data, url, who
    ):
        response = client_for(request.getfixturevalue(who)).post(reverse(url), posted())

        assert response.status_code == 403
        assert not RecordAccess.objects.filter(channel=AccessChannel.EXPORT).exists()

    @pytest.mark.parametrize("url", [CSV_URL, XML_URL])
    def test_anonymous_users_are_sent_to_sign_in(self, client, url):
        response = client.post(reverse(url), posted())

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(reverse(url))

    def test_a_get_is_not_a_download(self, client_for, team_manager):
        response = client_for(team_manager).get(reverse(CSV_URL))

        assert response.status_code == 405

    @pytest.mark.parametrize("url", [CSV_URL, XML_URL])
    def test_a_service_manager_reads_counts_but_downloads_only_with_the_permission(
        self, client_for, data, service_manager, young_person, url
    ):
        """The files identify children; a service manager reads aggregates unless granted."""
        from django.contrib.auth.models import Permission

        client = client_for(service_manager)
        assert client.post(reverse(url), posted()).status_code == 403
        assert not RecordAccess.objects.filter(channel=AccessChannel.EXPORT).exists()
        page = html(client.get(page_url(**period_query())))
        assert 'data-testid="census-no-download"' in page
        assert 'data-testid="download-csv"' not in page

        service_manager.user_permissions.add(
            Permission.objects.get(codename="download_census_return")
        )
        service_manager = type(service_manager).objects.get(pk=service_manager.pk)
        client = client_for(service_manager)
        response = client.post(reverse(url), posted())
        assert response.status_code == 200
        assert young_person.local_identifier in response.content.decode()
        assert 'data-testid="download-csv"' in html(client.get(page_url(**period_query())))

    def test_a_period_over_two_years_is_refused(self, client_for, team_manager):
        response = client_for(team_manager).post(
            reverse(CSV_URL), {"start": "2020-04-01", "end": period_end().isoformat()}
        )

        assert response.status_code == 400
        assert response.content.decode() == "The period can be at most 2 years long"
        page = client_for(team_manager).get(page_url(**period_query(start=date(2020, 4, 1))))
        assert page.status_code == 400
        assert error_summary(page) == ["The period can be at most 2 years long"]


class TestSources:
    def test_validate_refuses_those_who_do_not_read_dashboards(self, practitioner):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            CENSUS_CSV.validate(practitioner, params())

    def test_count_and_name(self, data, service_manager, team_b):
        assert CENSUS_XML.count(service_manager, params()) == 6
        assert CENSUS_XML.count(service_manager, params(team=team_b.pk)) == 1
        assert CENSUS_CSV.filename(params(team=7)) == (
            f"cin-census-factors-{period_start().isoformat()}-to-{period_end().isoformat()}-team-7"
        )
        assert CENSUS_CSV.holds_personal_data and CENSUS_XML.holds_personal_data
