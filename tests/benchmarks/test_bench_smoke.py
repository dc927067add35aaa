"""The benchmark runner (benchmarks/run.py) on a tiny dataset: it picks its subjects by query,
gets a 200 and numbers for every page and measure, and fails loudly when it cannot. Quick, so it
runs with the rest of the suite on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection

from benchmarks import run
from benchmarks.guard import NOTE_LENGTH, thematic_note
from benchmarks.pages import Page, bench_page, signed_in
from benchmarks.timing import BenchmarkError, percentile
from cases import services as case_services
from cases.identity import find_identity
from cases.reference import NatureOfHarm, ReferralDecision, ReferralSource
from csafe.audit.models import Event, EventKind
from harms.models import HarmType, Nature
from reporting.dashboards.selectors import MEASURES
from tests.contexts.links_support import link, open_context
from tests.identity.corpus_thematic import STAFF

GUARD = ["practitioner", "team_manager", "service_manager", "refused_practitioner"]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.urls")]

PAGES = [
    "floor",
    "caseload",
    "young_person",
    "chronology",
    "context",
    "dashboard_team_manager",
    "dashboard_service_manager",
    "api_young_people",
    "api_flags",
    "api_referrals",
    "api_contexts",
    "api_measures",
    "worktray_team_manager",
    "worktray_practitioner",
    "header_count_team_manager",
    "header_count_practitioner",
]


@pytest.fixture
def small_dataset(practitioner, team_manager, service_manager, young_person):
    """young_person (team A, allocated to practitioner) with a referral raising a harm flag, and
    linked to one context."""
    harm_type = HarmType.objects.filter(is_active=True, nature=Nature.EXTRA_FAMILIAL).first()
    case_services.referral_record(
        actor=practitioner,
        young_person=young_person,
        received_on=date(2025, 3, 3),
        source=ReferralSource.POLICE,
        reason="Seen with older youths at the station.",
        nature_of_harm=NatureOfHarm.EXTRA_FAMILIAL,
        decision=ReferralDecision.ASSESSMENT,
        harms=[case_services.HarmInput(harm_type=harm_type)],
    )
    context = open_context(practitioner)
    link(practitioner, context, young_person)
    return context


def test_the_runner_times_every_page_and_measure(
    small_dataset, practitioner, team_manager, service_manager, young_person, tmp_path, capsys
):
    out = tmp_path / "results" / "smoke.json"

    code = run.main(["--label", "smoke", "--repeat", "2", "--warmup", "1", "--out", str(out)])

    assert code == 0
    results = json.loads(out.read_text())
    assert results["label"] == "smoke"
    assert results["subjects"]["practitioner_id"] == practitioner.pk
    assert results["subjects"]["caseload"] == 1
    assert results["subjects"]["young_person_id"] == young_person.pk
    assert results["subjects"]["young_person_flags"] == 1
    assert results["subjects"]["context_id"] == small_dataset.pk
    assert results["subjects"]["context_active_links"] == 1
    assert results["subjects"]["context_open"] is True
    assert results["subjects"]["team_manager_id"] == team_manager.pk
    assert results["subjects"]["service_manager_id"] == service_manager.pk
    assert results["row_counts"]["young people"] == 1
    assert results["row_counts"]["context links"] == 1

    assert [page["key"] for page in results["pages"]] == PAGES
    for page in results["pages"]:
        assert page["status"] == 200, page["key"]
        assert len(page["samples_ms"]) == 2, page["key"]
        assert 0 < page["median_ms"] <= page["p95_ms"], page["key"]
        assert page["queries"] > 0, page["key"]
        assert page["x_floor"] > 0, page["key"]
        if connection.vendor == "postgresql":
            assert page["max_rows"] >= 1, page["key"]
        else:
            assert page["max_rows"] is None, page["key"]  # SQLite does not say
        assert page["many_rows"] is False, page["key"]

    assert [measure["key"] for measure in results["measures"]] == list(MEASURES)
    for measure in results["measures"]:
        assert measure["queries"] >= 1, measure["key"]
        assert 0 < measure["median_ms"] <= measure["p95_ms"], measure["key"]
        assert 0 < measure["raw_median_ms"] <= measure["raw_p95_ms"], measure["key"]
        assert measure["x_raw"] > 0, measure["key"]

    assert [guard["key"] for guard in results["guard"]] == GUARD
    for guard in results["guard"]:
        assert guard["note_chars"] == NOTE_LENGTH, guard["key"]
        assert guard["queries"] == 3, guard["key"]  # refusals, visible young people, staff
        assert 0 < guard["median_ms"] <= guard["p95_ms"], guard["key"]
        assert guard["raw_sql_median_ms"] > 0, guard["key"]
        assert guard["recogniser_median_ms"] > 0, guard["key"]
    outcomes = {guard["key"]: guard["outcome"] for guard in results["guard"]}
    assert outcomes["refused_practitioner"] == "refused (name)"
    assert {outcomes[k] for k in GUARD[:3]} == {"passed"}
    assert results["guard"][0]["young_people"] == 1
    assert Event.objects.filter(kind=EventKind.CONTEXT_TEXT_REFUSED).count() == 0

    printed = capsys.readouterr().out
    for key in [*PAGES, *MEASURES, *GUARD]:
        assert key in printed
    assert "young people 1," in printed
    assert "10,000-character thematic note" in printed


def test_only_the_guard_can_be_run(small_dataset, capsys):
    assert run.main(["--only", "guard", "--repeat", "1", "--warmup", "0"]) == 0
    printed = capsys.readouterr().out
    assert "refused_practitioner" in printed
    assert "x floor" not in printed  # no page was timed
    assert "raw SQL ms" not in printed  # nor any measure


def test_the_guard_note_names_no_one():
    note = thematic_note()
    assert len(note) == NOTE_LENGTH
    assert find_identity(note, staff=frozenset(STAFF)) is None
    assert not any(f"{first} {last}" in note for first, last in STAFF)


def test_a_page_that_does_not_answer_200_stops_the_run(practitioner):
    nowhere = Page("nowhere", "/young-people/999999/", "practitioner")

    with pytest.raises(BenchmarkError, match=r"nowhere: GET /young-people/999999/ .* answered 404"):
        bench_page(nowhere, signed_in(practitioner), repeat=1, warmup=0)


def test_an_empty_database_fails_with_the_reason(capsys):
    assert run.main(["--repeat", "1"]) == 1
    assert "No active practitioner has a young person allocated" in capsys.readouterr().err


def _results(label, page_queries, measure_queries, guard_queries=None):
    return {
        "label": label,
        "pages": [{"key": k, "queries": n} for k, n in page_queries.items()],
        "measures": [{"key": k, "queries": n} for k, n in measure_queries.items()],
        "guard": [{"key": k, "queries": n} for k, n in (guard_queries or {}).items()],
    }


def test_compare_flags_a_query_count_that_changed_with_scale(tmp_path, capsys):
    small = tmp_path / "small.json"
    large = tmp_path / "large.json"
    small.write_text(json.dumps(_results("small", {"caseload": 11}, {"relocations": 3})))
    large.write_text(json.dumps(_results("large", {"caseload": 12}, {"relocations": 3})))

    assert run.main(["--compare", str(small), str(small)]) == 0
    assert "Every query count is the same" in capsys.readouterr().out

    assert run.main(["--compare", str(small), str(large)]) == 1
    printed = capsys.readouterr().out
    assert "page caseload" in printed
    assert "DIFFERENT" in printed
    assert "1 query count(s) differ" in printed


def test_compare_flags_a_guard_query_count_that_changed(tmp_path, capsys):
    small = tmp_path / "small.json"
    large = tmp_path / "large.json"
    small.write_text(json.dumps(_results("small", {}, {}, {"practitioner": 3})))
    large.write_text(json.dumps(_results("large", {}, {}, {"practitioner": 4})))

    assert run.main(["--compare", str(small), str(large)]) == 1
    assert "guard practitioner" in capsys.readouterr().out


def test_the_95th_percentile_is_the_nearest_rank():
    samples = [float(n) for n in range(1, 31)]  # 1..30 shuffled order should not matter
    assert percentile(list(reversed(samples)), 95) == 29.0
    assert percentile([4.0, 2.0], 95) == 4.0
    assert percentile([4.0, 2.0], 50) == 2.0
