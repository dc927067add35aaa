"""/api/v1/reporting/measures/ and /api/v1/reporting/measures/<key>/: the dashboard's measures for
the dashboard's filters. Team managers (held to their own team) and service managers 200;
practitioners and administrators 403 with the reason; the anonymous 401. Filters that do not make
a period or a scope the caller may read are 400 with field errors. The numbers are those the
selectors give for the same scope, and no answer names a young person."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import LocationType
from harms.models import ArchiveReason, HarmType, IdentifiedAt
from reporting.dashboards.selectors import MEASURES, dashboard_table
from reporting.scope import scope_for, with_descendants
from tests.contexts.context_support import (
    CANARY_FIRST,
    CANARY_IDENTIFIER,
    CANARY_LAST,
    canary_child,
    link,
    open_group,
)
from tests.factories import YoungPersonFactory
from tests.two_factor import api_token_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reporting/measures/"
MANAGERS = ["team_manager", "other_team_manager", "service_manager"]
NOT_MANAGERS = ["practitioner", "teammate", "other_team_practitioner", "administrator"]
MANAGERS_ONLY = {"detail": "Only team managers and service managers can read the dashboards"}
NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}
CSE = "Child sexual exploitation"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(key: str) -> str:
    return f"{LIST}{key}/"


def today() -> date:
    return timezone.localdate()


def default_start() -> date:
    """The dashboard's default start: the day after today's date a year ago (the last 12
    months), worked out here independently of reporting.scope.default_period."""
    day = today()
    try:
        a_year_ago = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        a_year_ago = day.replace(year=day.year - 1, day=28)
    return a_year_ago + timedelta(days=1)


def refer(actor, young_person, *, days_ago: int = 10, nature: str = "extra_familial", harms=()):
    """A referral through the referrals service, with one location of harm in a park."""
    return case_services.referral_record(
        actor=actor,
        young_person=young_person,
        received_on=today() - timedelta(days=days_ago),
        source="6",
        reason="Seen with older young people at the park",
        nature_of_harm=nature,
        decision="assessment",
        harms=[case_services.HarmInput(harm_type=HarmType.objects.get(name=n)) for n in harms],
        locations=[
            case_services.LocationInput(
                location_type=LocationType.objects.get(name="Park or open space"),
                postcode="NB3 4AB",
            )
        ],
    )


def rows_of(body: dict) -> list[tuple[str, dict]]:
    return [(row["key"], row["cells"]) for row in body["rows"]]


def measure(body: dict, key: str) -> dict:
    return next(m for m in body["measures"] if m["key"] == key)


@pytest.fixture
def referrals(team_manager, other_team_manager, young_person, other_young_person):
    """Team A: two referrals (one extra-familial, raising a CSE flag; one not yet known). Team B:
    one extra-familial referral."""
    refer(team_manager, young_person, days_ago=40, harms=[CSE])
    refer(team_manager, young_person, days_ago=5, nature="not_known")
    refer(other_team_manager, other_young_person, days_ago=20)


class TestAccess:
    @pytest.mark.parametrize("who", MANAGERS)
    def test_managers_read_every_measure(self, request, who):
        response = api(request.getfixturevalue(who)).get(LIST)
        assert response.status_code == 200
        assert [m["key"] for m in response.json()["measures"]] == list(MEASURES)

    @pytest.mark.parametrize("who", MANAGERS)
    def test_managers_read_one_measure(self, request, who):
        response = api(request.getfixturevalue(who)).get(detail("referrals_by_month"))
        assert response.status_code == 200
        body = response.json()
        assert body["key"] == "referrals_by_month"
        assert body["title"] == "Referrals with an extra-familial marker, by month"
        assert body["section"] == "Referrals"
        assert [(c["key"], c["kind"]) for c in body["columns"]] == [
            ("month", "text"),
            ("total", "count"),
            ("extra", "count"),
            ("share", "percent"),
            ("not_known", "count"),
        ]
        assert body["chart"] == {
            "kind": "line",
            "label_column": "month",
            "value_columns": ["total", "extra"],
        }

    @pytest.mark.parametrize("who", NOT_MANAGERS)
    @pytest.mark.parametrize("path", [LIST, detail("referrals_by_month"), detail("no_such")])
    def test_practitioners_and_administrators_are_refused(self, request, who, path):
        response = api(request.getfixturevalue(who)).get(path)
        assert response.status_code == 403
        assert response.json() == MANAGERS_ONLY

    @pytest.mark.parametrize("path", [LIST, detail("referrals_by_month")])
    def test_the_anonymous_get_401(self, path):
        response = api().get(path)
        assert response.status_code == 401
        assert response.json() == NOT_SIGNED_IN
        assert response["WWW-Authenticate"] == "Token"

    def test_a_token_signs_a_manager_in(self, client, service_manager):
        # Issued as the API token page does, after two-factor sign-in (tests/two_factor.py).
        key = api_token_for(service_manager)
        response = client.get(LIST, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 200
        assert len(response.json()["measures"]) == len(MEASURES)

    def test_a_token_does_not_let_a_practitioner_in(self, client, practitioner):
        key = api_token_for(practitioner)
        response = client.get(LIST, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 403
        assert response.json() == MANAGERS_ONLY

    def test_an_unknown_measure_is_404(self, service_manager):
        response = api(service_manager).get(detail("no_such"))
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no measure called no_such"}


class TestScope:
    def test_a_team_manager_reads_their_own_team(self, team_manager, referrals):
        body = api(team_manager).get(LIST).json()
        assert body["filters"]["team_name"] == "Team A"
        assert body["filters"]["team"] == team_manager.team_id
        by_team = measure(body, "referrals_by_team")
        assert rows_of(by_team) == [
            (
                str(team_manager.team_id),
                {
                    "team": "Team A",
                    "total": 2,
                    "extra": 1,
                    "share": 50.0,
                    "not_known": 1,
                },
            )
        ]
        assert measure(body, "referrals_by_month")["totals"]["cells"] == {
            "month": "Total",
            "total": 2,
            "extra": 1,
            "share": 50.0,
            "not_known": 1,
        }

    def test_a_team_manager_may_name_their_own_team(self, team_manager, referrals):
        response = api(team_manager).get(
            detail("referrals_by_team"), {"team": team_manager.team_id}
        )
        assert response.status_code == 200
        assert [cells["team"] for _key, cells in rows_of(response.json())] == ["Team A"]

    @pytest.mark.parametrize("path", [LIST, detail("referrals_by_team")])
    def test_a_team_manager_may_not_name_another_team(self, team_manager, team_b, path):
        response = api(team_manager).get(path, {"team": team_b.pk})
        assert response.status_code == 400
        assert response.json() == {"team": ["You can only see figures for your own team"]}

    def test_the_anonymous_naming_a_team_get_401(self, team_b):
        response = api().get(LIST, {"team": team_b.pk})
        assert response.status_code == 401
        assert response.json() == NOT_SIGNED_IN

    def test_the_other_team_manager_reads_theirs(self, other_team_manager, referrals):
        body = api(other_team_manager).get(detail("referrals_by_team")).json()
        assert [cells["team"] for _key, cells in rows_of(body)] == ["Team B"]
        assert body["filters"]["team_name"] == "Team B"

    def test_a_service_manager_reads_every_team_or_the_one_chosen(
        self, service_manager, team_b, referrals
    ):
        client = api(service_manager)
        every = client.get(detail("referrals_by_team")).json()
        assert [(c["team"], c["total"]) for _k, c in rows_of(every)] == [
            ("Team A", 2),
            ("Team B", 1),
        ]
        assert every["filters"]["team"] is None
        assert every["filters"]["team_name"] == "All teams"
        one = client.get(detail("referrals_by_team"), {"team": team_b.pk}).json()
        assert [(c["team"], c["total"]) for _k, c in rows_of(one)] == [("Team B", 1)]
        assert one["filters"]["team"] == team_b.pk
        assert one["filters"]["team_name"] == "Team B"

    def test_a_harm_type_counts_its_subtypes(self, service_manager, referrals):
        client = api(service_manager)
        exploitation = HarmType.objects.get(name="Exploitation")
        body = client.get(detail("referrals_by_team"), {"harm_type": exploitation.pk}).json()
        # Only team A's young person carries a flag beneath Exploitation (CSE).
        assert [(c["team"], c["total"]) for _k, c in rows_of(body)] == [("Team A", 2)]
        assert body["filters"]["harm_type"] == exploitation.pk
        assert body["filters"]["harm_type_name"] == "Exploitation"
        gangs = HarmType.objects.get(name="Gangs")
        none = client.get(detail("referrals_by_team"), {"harm_type": gangs.pk}).json()
        assert rows_of(none) == []
        every = client.get(detail("referrals_by_team")).json()
        assert every["filters"]["harm_type"] is None
        assert every["filters"]["harm_type_name"] == "All harm types"


class TestValidation:
    def test_the_default_period_is_the_last_twelve_months_to_today(self, service_manager):
        body = api(service_manager).get(LIST).json()
        assert body["filters"]["start"] == default_start().isoformat()
        assert body["filters"]["end"] == today().isoformat()

    def test_an_end_alone_takes_the_twelve_months_to_then(self, service_manager):
        body = api(service_manager).get(LIST, {"end": "2025-03-18"}).json()
        assert (body["filters"]["start"], body["filters"]["end"]) == ("2024-03-19", "2025-03-18")
        months = [cells["month"] for _key, cells in rows_of(measure(body, "referrals_by_month"))]
        # Thirteen months, the part months at either end saying which days they cover.
        assert len(months) == 13
        assert (months[0], months[1], months[-1]) == (
            "Mar 2024 (19–31)",
            "Apr 2024",
            "Mar 2025 (1–18)",
        )

    def test_blank_parameters_are_not_given(self, service_manager):
        response = api(service_manager).get(
            LIST, {"start": "", "end": "", "team": "", "harm_type": ""}
        )
        assert response.status_code == 200
        assert response.json()["filters"] == {
            "start": default_start().isoformat(),
            "end": today().isoformat(),
            "team": None,
            "team_name": "All teams",
            "harm_type": None,
            "harm_type_name": "All harm types",
        }

    def test_five_years_is_allowed(self, service_manager):
        response = api(service_manager).get(LIST, {"start": "2020-03-31", "end": "2025-03-31"})
        assert response.status_code == 200
        assert len(measure(response.json(), "referrals_by_month")["rows"]) == 61

    @pytest.mark.parametrize(
        ("params", "errors"),
        [
            (
                {"start": "2025-03-01", "end": "2025-02-28"},
                {"end": ["End date must be the same as or after the start date"]},
            ),
            (
                {"start": "2020-03-30", "end": "2025-03-31"},
                {"start": ["Start date must be no more than 5 years before the end date"]},
            ),
            (
                {"start": "31/03/2025"},
                {"start": ["Enter the start of the period as a date: YYYY-MM-DD"]},
            ),
            (
                {"end": "2025-02-30"},
                {"end": ["Enter the end of the period as a date: YYYY-MM-DD"]},
            ),
            ({"team": "999999"}, {"team": ["There is no team with id 999999"]}),
            ({"team": "first"}, {"team": ["Give the team as its id, a whole number"]}),
            ({"harm_type": "999999"}, {"harm_type": ["There is no harm type with id 999999"]}),
            ({"harm_type": "cse"}, {"harm_type": ["Give the harm type as its id, a whole number"]}),
        ],
    )
    @pytest.mark.parametrize("path", [LIST, detail("referrals_by_month")])
    def test_invalid_filters_are_400_by_field(self, service_manager, path, params, errors):
        response = api(service_manager).get(path, params)
        assert response.status_code == 400
        assert response.json() == errors

    def test_the_end_may_not_be_in_the_future(self, service_manager):
        tomorrow = today() + timedelta(days=1)
        response = api(service_manager).get(LIST, {"end": tomorrow.isoformat()})
        assert response.status_code == 400
        assert response.json() == {"end": ["End date must be today or in the past"]}

    def test_a_start_after_today_is_after_the_end(self, service_manager):
        tomorrow = today() + timedelta(days=1)
        response = api(service_manager).get(LIST, {"start": tomorrow.isoformat()})
        assert response.status_code == 400
        assert response.json() == {"end": ["End date must be the same as or after the start date"]}


def _as_rows(table) -> tuple[list, dict | None]:
    keys = [c.key for c in table.columns]

    def row(r):
        return {"key": r.key, "cells": dict(zip(keys, r.cells, strict=True))}

    return [row(r) for r in table.rows], (row(table.totals) if table.totals else None)


class TestNumbers:
    @pytest.mark.parametrize("who", ["team_manager", "service_manager"])
    def test_every_measure_is_the_selectors_own(self, request, referrals, who):
        user = request.getfixturevalue(who)
        exploitation = HarmType.objects.get(name="Exploitation")
        start, end = today() - timedelta(days=90), today()
        params = {"start": start.isoformat(), "end": end.isoformat()}
        scopes = [
            (params, scope_for(user=user, start=start, end=end)),
            (
                params | {"harm_type": exploitation.pk},
                scope_for(
                    user=user,
                    start=start,
                    end=end,
                    harm_type_ids=with_descendants(exploitation.pk),
                ),
            ),
        ]
        client = api(user)
        for query, scope in scopes:
            every = client.get(LIST, query).json()["measures"]
            assert [m["key"] for m in every] == list(MEASURES)
            for answer in every:
                table = dashboard_table(scope, answer["key"])
                rows, totals = _as_rows(table)
                # Through JSON, as a client reads it: tuples become lists, dates strings.
                assert answer["rows"] == json.loads(json.dumps(rows))
                assert answer["totals"] == json.loads(json.dumps(totals))
                assert answer["summary"] == table.summary
                assert answer["notes"] == list(table.notes)
                one = client.get(detail(answer["key"]), query).json()
                assert {k: v for k, v in one.items() if k != "filters"} == answer

    def test_the_referrals_made_are_counted(self, service_manager, referrals):
        body = api(service_manager).get(LIST).json()
        assert measure(body, "referrals_by_month")["totals"]["cells"] == {
            "month": "Total",
            "total": 3,
            "extra": 2,
            "share": 66.7,
            "not_known": 1,
        }
        assert rows_of(measure(body, "locations_by_district")) == [
            ("NB3", {"district": "NB3", "locations": 3, "young_people": 2})
        ]
        flags = measure(body, "open_with_flags_by_type")
        assert [(c["harm_type"], c["young_people"]) for _k, c in rows_of(flags)] == [(CSE, 1)]


@pytest.fixture
def canary(team_manager, practitioner):
    """A child with a distinctive name on every kind of record the measures count: referrals with
    a location, flags (one archived as never a concern), and a link to a peer group."""
    child = canary_child(team_manager, practitioner)
    refer(team_manager, child, days_ago=15, harms=[CSE, "Gangs"])
    flag = child.harm_flags.get(harm_type__name="Gangs")
    case_services.harm_flag_archive(
        actor=team_manager, flag=flag, reason=ArchiveReason.NEVER, rationale="Assessed as absent"
    )
    case_services.harm_flag_raise(
        actor=team_manager,
        young_person=child,
        harm_type=HarmType.objects.get(name="Domestic abuse in the home"),
        identified_at=IdentifiedAt.REFERRAL,
        identified_on=today() - timedelta(days=15),
    )
    link(practitioner, open_group(practitioner), child)
    return child


@pytest.mark.parametrize("who", ["team_manager", "service_manager"])
def test_no_answer_names_a_young_person(request, canary, referrals, young_person, who):
    client = api(request.getfixturevalue(who))
    everything = client.get(LIST).json()
    # The canary is counted, so its absence from the text is not for want of data.
    assert measure(everything, "co_occurrence")["totals"]["cells"]["young_people"] == 1
    assert measure(everything, "flags_never_a_concern")["totals"]["cells"]["never"] == 1
    assert measure(everything, "contexts_by_kind")["totals"]["cells"]["linked"] == 1
    outputs = [json.dumps(everything)]
    outputs += [json.dumps(client.get(detail(key)).json()) for key in MEASURES]
    for text in outputs:
        for name in (CANARY_FIRST, CANARY_LAST, CANARY_IDENTIFIER, "Zephyrine", "Quillfeather"):
            assert name not in text
        for person in (canary, young_person):
            assert person.local_identifier not in text
            assert f"/young-people/{person.pk}/" not in text


@pytest.mark.parametrize("rows", [1, 14])
def test_every_measure_costs_the_same_whatever_the_data(
    team_manager, other_team_manager, service_manager, django_assert_num_queries, rows
):
    for number in range(rows):
        actor = team_manager if number % 2 == 0 else other_team_manager
        person = YoungPersonFactory(actor=actor)
        refer(actor, person, days_ago=25 * number + 1, harms=[CSE])
    client = api(service_manager)
    team = team_manager.team_id
    exploitation = HarmType.objects.get(name="Exploitation").pk
    # Only the measures' own aggregates, one to three for each of the 15 (see
    # reporting/dashboards/selectors.py), and the administrator's word for a peer group once for
    # all (1): 24. force_authenticate needs no session or token query.
    with django_assert_num_queries(24):
        assert client.get(LIST).status_code == 200
    # The same, with the team looked up (1), the harm type looked up (1) and the taxonomy read
    # to find its subtypes (1).
    with django_assert_num_queries(27):
        response = client.get(LIST, {"team": team, "harm_type": exploitation})
    assert response.status_code == 200
    extra = measure(response.json(), "referrals_by_month")["totals"]["cells"]["extra"]
    assert extra == (rows + 1) // 2


def test_the_endpoints_are_in_the_schema(service_manager, tmp_path):
    schema = api(service_manager).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in ("/api/v1/reporting/measures/", "/api/v1/reporting/measures/{key}/"):
        operation = paths[path]["get"]
        assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} == {
            "start",
            "end",
            "team",
            "harm_type",
        }
        assert {"200", "400", "403"} <= set(operation["responses"])
    assert "404" in paths["/api/v1/reporting/measures/{key}/"]["get"]["responses"]
    cells = schema["components"]["schemas"]["MeasureRow"]["properties"]["cells"]
    assert cells["type"] == "object"
    assert cells["additionalProperties"] == {}
    kinds = schema["components"]["schemas"]["MeasureColumnKindEnum"]["enum"]
    assert kinds == ["text", "count", "percent", "days"]
    # The whole schema builds without a warning (a warning fails the command).
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().count("/api/v1/reporting/measures/") == 2
