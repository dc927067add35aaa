"""Exact numbers for every dashboard measure over the fixed dataset of tests/reporting/dataset.py,
for three scopes: every team (a service manager), team A only (a team manager), and the harm type
"Exploitation" with its subtypes (scoping.with_descendants). Every expected number below was
worked out by hand from the measure's own definition and the dataset; the comment above each
block says which rows make it.

The period is 1 April to 30 June 2025 and "today" is 15 September 2025 (dataset.TODAY).

Who is who (the flags, by number, are in the dataset):
  A1 team A, open: CCE (F1) and domestic abuse (F2) current; online harm archived never (F3).
  A2 team A, open: CSE archived 15 June (F4); SYV archived 5 July (F5); neglect in error (F6).
  A3 team A, closed 10 June: CCE (F7).
  A4 team A, closed 20 July: gangs (F8), emotional abuse (F9), CCE (F20).
  B1 team B, open: CCE (F10), Exploitation identified 30 June (F11), domestic abuse (F12),
     neglect archived never at 23:30 on 30 June (F13).
  B2 team B, open: gangs archived 00:30 on 1 July (F14); physical abuse by an adult archived
     never (F15); going missing from 10 July (F16); CSE in error (F21).
  B3 team B, open: CCE in error (F17), CCE again (F18).
  B4 team B, open: online harm archived 31 March (F22); parental mental health (F23).
The Exploitation scope holds A1-A4, B1 and B3: B2's only exploitation flag was recorded in
error, and B4 has none.

Building the dataset takes seconds, so it is built once for this module, inside a transaction
rolled back when the module ends; each test runs in its own savepoint within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

from cases import services as case_services
from cases.reference import ActionProgress
from harms.models import ArchiveReason, HarmType, IdentifiedAt
from reporting.dashboards import selectors as measures
from reporting.dashboards.tables import Table
from reporting.scope import ReportScope, scope_for, with_descendants
from tests.reporting.dataset import (
    CANARY_NAMES,
    END,
    START,
    TYPE_NAMES,
    Clock,
    Dataset,
    build_dataset,
    load_defaults,
    make_cast,
)

pytestmark = pytest.mark.django_db

SCOPES = ("service", "team_a", "exploitation")


@dataclass
class World:
    data: Dataset
    scopes: dict[str, ReportScope]
    cast: object


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The dataset and the three scopes, once for the module. The clock stays at
    dataset.NOW for every test here; the transaction is rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        load_defaults()
        clock = Clock(patch)
        cast = make_cast()
        data = build_dataset(
            clock=clock,
            manager_a=cast.manager_a,
            manager_b=cast.manager_b,
            administrator=cast.administrator,
        )
        exploitation = with_descendants(data.type_id("EXPLOITATION"))
        scopes = {
            "service": scope_for(user=cast.service_manager, start=START, end=END),
            "team_a": scope_for(user=cast.manager_a, start=START, end=END),
            "exploitation": scope_for(
                user=cast.service_manager, start=START, end=END, harm_type_ids=exploitation
            ),
        }
        yield World(data=data, scopes=scopes, cast=cast)
        transaction.set_rollback(True)


def run(world: World, key: str, scope: str) -> Table:
    return measures.MEASURES[key](world.scopes[scope])


def rows_of(table: Table) -> list[tuple]:
    return [(row.key, row.cells) for row in table.rows]


def type_key(key: str) -> str:
    return str(HarmType.objects.get(name=TYPE_NAMES.get(key, key)).pk)


def pair_key(extra: str, intra: str) -> str:
    return f"{type_key(extra)}-{type_key(intra)}"


CCE = TYPE_NAMES["CCE"]
CSE = TYPE_NAMES["CSE"]
DA = TYPE_NAMES["DA"]
EA = TYPE_NAMES["EA"]


def test_every_measure_has_expected_numbers_here():
    """A new measure needs its numbers worked out in this module."""
    assert set(measures.MEASURES) == {
        "referrals_by_month",
        "referrals_by_team",
        "open_with_flags_by_type",
        "co_occurrence",
        "assessments_by_month",
        "contextual_factors_addressed",
        "relocations",
        "locations_by_type",
        "locations_by_district",
        "contexts_by_kind",
        "contexts_time_open",
        "context_plan_progress",
        "outstanding_contextual_actions",
        "flags_never_a_concern",
        "harm_types_rarely_recorded",
    }


def test_the_scopes(world):
    team_a = world.data.team_a
    assert world.scopes["service"].team_ids is None
    assert world.scopes["team_a"].team_ids == (team_a.pk,)
    assert sorted(world.scopes["exploitation"].harm_type_ids) == sorted(
        int(type_key(k)) for k in ("EXPLOITATION", "CSE", "CCE", "TRAFFICKING")
    )


# --- Referrals ---------------------------------------------------------------------------------
# In the period: April R(A1 extra), R(A2 both), R(B1 extra); May R(A2 not known), R(A3 intra),
# R(B3 intra); June R(A4 extra), R(B1 not known, on 30 June), R(B2 both). Left out: A1's of
# 20 March and B3's of 2 July. Only B2's June referral is outside the Exploitation scope.


def test_referrals_by_month(world):
    table = run(world, "referrals_by_month", "service")
    assert rows_of(table) == [
        ("2025-04", ("Apr 2025", 3, 3, 100.0, 0)),
        ("2025-05", ("May 2025", 3, 0, 0.0, 1)),
        ("2025-06", ("Jun 2025", 3, 2, 66.7, 1)),
    ]
    assert table.totals.cells == ("Total", 9, 5, 55.6, 2)
    assert table.summary == (
        "5 referrals of 9 received between 1 April 2025 and 30 June 2025 carried an "
        "extra-familial marker (55.6%); 2 were marked not yet known."
    )

    table = run(world, "referrals_by_month", "team_a")
    assert rows_of(table) == [
        ("2025-04", ("Apr 2025", 2, 2, 100.0, 0)),
        ("2025-05", ("May 2025", 2, 0, 0.0, 1)),
        ("2025-06", ("Jun 2025", 1, 1, 100.0, 0)),
    ]
    assert table.totals.cells == ("Total", 5, 3, 60.0, 1)
    assert table.summary == (
        "3 referrals of 5 received between 1 April 2025 and 30 June 2025 carried an "
        "extra-familial marker (60%); 1 was marked not yet known."
    )

    table = run(world, "referrals_by_month", "exploitation")
    assert rows_of(table) == [
        ("2025-04", ("Apr 2025", 3, 3, 100.0, 0)),
        ("2025-05", ("May 2025", 3, 0, 0.0, 1)),
        ("2025-06", ("Jun 2025", 2, 1, 50.0, 1)),
    ]
    assert table.totals.cells == ("Total", 8, 4, 50.0, 2)
    assert table.summary == (
        "4 referrals of 8 received between 1 April 2025 and 30 June 2025 carried an "
        "extra-familial marker (50%); 2 were marked not yet known."
    )


def test_referrals_by_team(world):
    team_a, team_b = str(world.data.team_a.pk), str(world.data.team_b.pk)
    summary = "Team A had the highest share of extra-familial referrals (60% of 5)."

    table = run(world, "referrals_by_team", "service")
    assert rows_of(table) == [
        (team_a, ("Team A", 5, 3, 60.0, 1)),
        (team_b, ("Team B", 4, 2, 50.0, 1)),
    ]
    assert table.totals is None
    assert table.summary == summary

    table = run(world, "referrals_by_team", "team_a")
    assert rows_of(table) == [(team_a, ("Team A", 5, 3, 60.0, 1))]
    assert table.summary == summary

    table = run(world, "referrals_by_team", "exploitation")
    assert rows_of(table) == [
        (team_a, ("Team A", 5, 3, 60.0, 1)),
        (team_b, ("Team B", 3, 1, 33.3, 1)),
    ]
    assert table.summary == summary


# --- Harm flags --------------------------------------------------------------------------------
# Current extra-familial flags on 30 June of young people open that day: A1 CCE; A2 SYV (F4
# archived on 15 June is not, F5 archived on 5 July is); A4 gangs and CCE (closed 20 July, so
# open on 30 June); B1 CCE and Exploitation (identified on 30 June); B2 gangs (archived 00:30 on
# 1 July London time, 23:30 on 30 June UTC); B3 CCE (F18; F17 in error). A3 is left out (closed
# 10 June), B2's going missing (from 10 July) and B4's online harm (archived in March) too.


def test_open_with_flags_by_type(world):
    label = "Young people with any extra-familial flag"

    table = run(world, "open_with_flags_by_type", "service")
    assert rows_of(table) == [
        (type_key("CCE"), (CCE, 4)),
        (type_key("GANGS"), ("Gangs", 2)),
        (type_key("EXPLOITATION"), ("Exploitation", 1)),
        (type_key("SYV"), ("Serious youth violence", 1)),
    ]
    assert table.totals.cells == (label, 6)
    assert table.summary == (
        "On 30 June 2025, 6 young people open to the service had at least one current "
        f"extra-familial harm flag; {CCE} was the most common (4)."
    )
    assert table.definition.startswith(
        "Young people open to the service on 30 June 2025 (the end of the period) with a flag"
    )

    table = run(world, "open_with_flags_by_type", "team_a")
    assert rows_of(table) == [
        (type_key("CCE"), (CCE, 2)),
        (type_key("GANGS"), ("Gangs", 1)),
        (type_key("SYV"), ("Serious youth violence", 1)),
    ]
    assert table.totals.cells == (label, 3)
    assert table.summary == (
        "On 30 June 2025, 3 young people open to the service had at least one current "
        f"extra-familial harm flag; {CCE} was the most common (2)."
    )

    # A parent type counts its subtypes: Exploitation itself (B1) and CCE beneath it.
    table = run(world, "open_with_flags_by_type", "exploitation")
    assert rows_of(table) == [
        (type_key("CCE"), (CCE, 4)),
        (type_key("EXPLOITATION"), ("Exploitation", 1)),
    ]
    assert table.totals.cells == (label, 4)
    assert table.summary == (
        "On 30 June 2025, 4 young people open to the service had at least one current "
        f"extra-familial harm flag; {CCE} was the most common (4)."
    )


# Current intra-familial flags on 30 June: A1 domestic abuse; A4 emotional abuse; B1 domestic
# abuse (its neglect was archived at 23:30 on 30 June, so not current). A2's neglect was
# recorded in error and B2's physical abuse was archived on 20 June: neither counts.


def test_co_occurrence(world):
    table = run(world, "co_occurrence", "service")
    assert rows_of(table) == [
        (pair_key("CCE", "DA"), (CCE, DA, 2)),  # A1, B1
        (pair_key("CCE", "EA"), (CCE, EA, 1)),  # A4
        (pair_key("EXPLOITATION", "DA"), ("Exploitation", DA, 1)),  # B1
        (pair_key("GANGS", "EA"), ("Gangs", EA, 1)),  # A4
    ]
    assert table.totals.cells == ("Young people with both", "", 3)
    assert table.summary == (
        "3 young people with a current extra-familial flag (50% of 6) also had a current "
        f"intra-familial flag on 30 June 2025; the most common pair was {CCE} with {DA} (2)."
    )

    table = run(world, "co_occurrence", "team_a")
    assert rows_of(table) == [
        (pair_key("CCE", "DA"), (CCE, DA, 1)),
        (pair_key("CCE", "EA"), (CCE, EA, 1)),
        (pair_key("GANGS", "EA"), ("Gangs", EA, 1)),
    ]
    assert table.totals.cells == ("Young people with both", "", 2)
    assert table.summary == (
        "2 young people with a current extra-familial flag (66.7% of 3) also had a current "
        f"intra-familial flag on 30 June 2025; the most common pair was {CCE} with {DA} (1)."
    )

    table = run(world, "co_occurrence", "exploitation")
    assert rows_of(table) == [
        (pair_key("CCE", "DA"), (CCE, DA, 2)),
        (pair_key("CCE", "EA"), (CCE, EA, 1)),
        (pair_key("EXPLOITATION", "DA"), ("Exploitation", DA, 1)),
    ]
    assert table.totals.cells == ("Young people with both", "", 3)
    assert table.summary == (
        "3 young people with a current extra-familial flag (60% of 5) also had a current "
        f"intra-familial flag on 30 June 2025; the most common pair was {CCE} with {DA} (2)."
    )


# Archived in the period (London dates): F3 online harm never (A1, 20 May); F4 CSE no longer
# (A2, 15 June); F13 neglect never (B1, 23:30 on 30 June); F15 physical abuse never (B2, 20 June);
# F21 CSE in error (B2, 13 April); F17 CCE in error (B3, 25 April). Not: F5 (5 July), F6 (1
# August), F14 (00:30 on 1 July London, though 30 June in UTC), F22 (31 March).


def test_flags_never_a_concern(world):
    table = run(world, "flags_never_a_concern", "service")
    assert rows_of(table) == [
        (type_key("NEGLECT"), ("Neglect", 1, 1, 100.0)),
        (type_key("ONLINE"), ("Online harm", 1, 1, 100.0)),
        (type_key("PHYSICAL_ADULT"), ("Physical abuse by an adult", 1, 1, 100.0)),
        (type_key("CCE"), (CCE, 1, 0, 0.0)),
        (type_key("CSE"), (CSE, 2, 0, 0.0)),
    ]
    assert table.totals.cells == ("Total", 6, 3, 50.0)
    assert table.summary == (
        "Of 6 flags archived in the period, 3 were archived as never a concern (50%): labels "
        "that no longer follow a young person."
    )

    table = run(world, "flags_never_a_concern", "team_a")
    assert rows_of(table) == [
        (type_key("ONLINE"), ("Online harm", 1, 1, 100.0)),
        (type_key("CSE"), (CSE, 1, 0, 0.0)),
    ]
    assert table.totals.cells == ("Total", 2, 1, 50.0)
    assert table.summary == (
        "Of 2 flags archived in the period, 1 was archived as never a concern (50%): labels "
        "that no longer follow a young person."
    )

    # B2 is outside the scope, so its CSE flag in error is not here; B3's CCE in error is.
    table = run(world, "flags_never_a_concern", "exploitation")
    assert rows_of(table) == [
        (type_key("CCE"), (CCE, 1, 0, 0.0)),
        (type_key("CSE"), (CSE, 1, 0, 0.0)),
    ]
    assert table.totals.cells == ("Total", 2, 0, 0.0)
    assert table.summary == (
        "Of 2 flags archived in the period, 0 were archived as never a concern (0%): labels "
        "that no longer follow a young person."
    )


# Nature and CIN code of each default type, from harms/defaults.py.
TAXONOMY = {
    "Exploitation": ("Extra-familial", "Local type"),
    CSE: ("Extra-familial", "11A"),
    CCE: ("Extra-familial", "24A"),
    "Trafficking and modern slavery": ("Extra-familial", "12A"),
    "Serious youth violence": ("Extra-familial", "Local type"),
    "Gangs": ("Extra-familial", "13A"),
    "Going missing": ("Extra-familial", "10A"),
    "Peer-on-peer abuse": ("Extra-familial", "Local type"),
    "Peer-on-peer physical abuse": ("Extra-familial", "18B"),
    "Peer-on-peer sexual abuse": ("Extra-familial", "19B"),
    "Teenage relationship abuse": ("Extra-familial", "Local type"),
    "Online harm": ("Extra-familial", "Local type"),
    DA: ("Intra-familial", "3A"),
    "Neglect": ("Intra-familial", "16A"),
    EA: ("Intra-familial", "17A"),
    "Physical abuse by an adult": ("Intra-familial", "18C"),
    "Sexual abuse by an adult": ("Intra-familial", "19C"),
    "Parental alcohol misuse": ("Intra-familial", "1B"),
    "Parental drug misuse": ("Intra-familial", "2B"),
    "Parental mental health": ("Intra-familial", "4B"),
}


def rare_rows(counts: dict[str, int]) -> list[tuple]:
    ordered = sorted(counts.items(), key=lambda item: (item[1], item[0]))
    return [(type_key(name), (name, *TAXONOMY[name], n)) for name, n in ordered]


# Flags identified in the period, not in error: CCE F1, F7, F10, F18, F20 (5: not rare); CSE F4;
# gangs F8, F14; DA F2, F12; EA F9; neglect F13 (F6 in error); physical abuse F15; parental
# mental health F23; Exploitation F11. Online harm, SYV and going missing were identified outside
# the period. Radicalisation is retired, so not in use.


def test_harm_types_rarely_recorded(world):
    none = {
        name: 0
        for name in (
            "Going missing",
            "Online harm",
            "Parental alcohol misuse",
            "Parental drug misuse",
            "Peer-on-peer abuse",
            "Peer-on-peer physical abuse",
            "Peer-on-peer sexual abuse",
            "Serious youth violence",
            "Sexual abuse by an adult",
            "Teenage relationship abuse",
            "Trafficking and modern slavery",
        )
    }
    table = run(world, "harm_types_rarely_recorded", "service")
    assert rows_of(table) == rare_rows(
        {
            **none,
            CSE: 1,
            EA: 1,
            "Exploitation": 1,
            "Neglect": 1,
            "Parental mental health": 1,
            "Physical abuse by an adult": 1,
            DA: 2,
            "Gangs": 2,
        }
    )
    assert len(table.rows) == 19
    assert table.summary == (
        "19 harm types in use were flagged fewer than 5 times in the period; 11 not at all."
    )

    # Team A's young people only: CCE F1, F7, F20; CSE F4; DA F2; gangs F8; EA F9.
    table = run(world, "harm_types_rarely_recorded", "team_a")
    counts = {name: 0 for name in TAXONOMY}
    counts.update({CCE: 3, CSE: 1, DA: 1, "Gangs": 1, EA: 1})
    assert rows_of(table) == rare_rows(counts)
    assert table.summary == (
        "20 harm types in use were flagged fewer than 5 times in the period; 15 not at all."
    )

    # Only the chosen types: CCE (5) is not rare; CSE and Exploitation once; trafficking never.
    table = run(world, "harm_types_rarely_recorded", "exploitation")
    assert rows_of(table) == rare_rows(
        {"Trafficking and modern slavery": 0, CSE: 1, "Exploitation": 1}
    )
    assert table.summary == (
        "3 harm types in use were flagged fewer than 5 times in the period; 1 not at all."
    )


# --- Assessments and plans ---------------------------------------------------------------------
# Authorised in the period: A1 28 April (extra); A2 14 May (both); A3 30 May (intra); B1 12 June
# (extra); B3 20 June (not known). Not: A4's of 15 March; B2's, completed but not authorised.


def test_assessments_by_month(world):
    expected = [
        ("2025-04", ("Apr 2025", 1, 1, 100.0, 0, 0)),
        ("2025-05", ("May 2025", 2, 1, 50.0, 0, 0)),
        ("2025-06", ("Jun 2025", 2, 1, 50.0, 1, 0)),
    ]
    summary = (
        "3 assessments of 5 authorised in the period concluded with an extra-familial outcome "
        "marker (60%); the most in one month was 1 (Apr 2025). 0 found no harm and 1 was not "
        "yet known."
    )
    for scope in ("service", "exploitation"):
        table = run(world, "assessments_by_month", scope)
        assert rows_of(table) == expected, scope
        assert table.totals.cells == ("Total", 5, 3, 60.0, 1, 0), scope
        assert table.summary == summary, scope

    table = run(world, "assessments_by_month", "team_a")
    assert rows_of(table) == [
        ("2025-04", ("Apr 2025", 1, 1, 100.0, 0, 0)),
        ("2025-05", ("May 2025", 2, 1, 50.0, 0, 0)),
        ("2025-06", ("Jun 2025", 0, 0, None, 0, 0)),
    ]
    assert table.totals.cells == ("Total", 3, 2, 66.7, 0, 0)
    assert table.summary == (
        "2 assessments of 3 authorised in the period concluded with an extra-familial outcome "
        "marker (66.7%); the most in one month was 1 (Apr 2025). 0 found no harm and 0 were "
        "not yet known."
    )


# Factors of the assessments authorised in the period (A3's was withdrawn):
#   A1 Fa peer group: action in progress on its plan in force (planned for)
#   A1 Fb location: marked not addressed, then an action after all, done (planned for, done;
#      the mark withdrawn)
#   A1 Fc school: marked not addressed (gap)
#   A1 Fd online: action not started on its plan in force (planned for: not done)
#   A2 Fe peer group: action on a draft plan only (not yet planned for)
#   A2 Ff location: marked not addressed on the draft plan (gap)
#   B1 Fg peer group: action not started on a plan since ended (planned for)
#   B1 Fh online: marked not addressed on that plan (gap)
# Columns: identified, planned for, done, marked not addressed, not yet planned for, share
# planned for, share done.


def test_contextual_factors_planned_for_and_done(world):
    expected = [
        ("peer_group", ("Group", 3, 2, 0, 0, 1, 66.7, 0.0)),
        ("school", ("School or education setting", 1, 0, 0, 1, 0, 0.0, 0.0)),
        ("location", ("Neighbourhood or location", 2, 1, 1, 1, 0, 50.0, 50.0)),
        ("online", ("Online space", 2, 1, 0, 1, 0, 50.0, 0.0)),
    ]
    summary = (
        "8 contextual factors identified in assessments authorised in the period: 4 planned "
        "for by a plan action (50%), of which 1 done (12.5% of all); 3 marked not addressed "
        "with a reason, 1 not yet planned for."
    )
    for scope in ("service", "exploitation"):
        table = run(world, "contextual_factors_addressed", scope)
        assert rows_of(table) == expected, scope
        assert table.totals.cells == ("Total", 8, 4, 1, 3, 1, 50.0, 12.5), scope
        assert table.summary == summary, scope

    table = run(world, "contextual_factors_addressed", "team_a")
    assert rows_of(table) == [
        ("peer_group", ("Group", 2, 1, 0, 0, 1, 50.0, 0.0)),
        ("school", ("School or education setting", 1, 0, 0, 1, 0, 0.0, 0.0)),
        ("location", ("Neighbourhood or location", 2, 1, 1, 1, 0, 50.0, 50.0)),
        ("online", ("Online space", 1, 1, 0, 0, 0, 100.0, 0.0)),
    ]
    assert table.totals.cells == ("Total", 6, 3, 1, 2, 1, 50.0, 16.7)
    assert table.summary == (
        "6 contextual factors identified in assessments authorised in the period: 3 planned "
        "for by a plan action (50%), of which 1 done (16.7% of all); 2 marked not addressed "
        "with a reason, 1 not yet planned for."
    )


def test_an_action_not_started_is_planned_for_and_not_done(world):
    """The reading "addressed" invited: A1's online factor has one action, not started. It is
    planned for and not done; marking that action done moves it to done."""
    from cases.models import PlanAction
    from cases.services import plans as plan_services

    data = world.data
    table = run(world, "contextual_factors_addressed", "team_a")
    assert rows_of(table)[3] == ("online", ("Online space", 1, 1, 0, 0, 0, 100.0, 0.0))

    action = PlanAction.objects.get(factor=data.factors["Fd"])
    assert action.progress == ActionProgress.NOT_STARTED
    plan_services.plan_action_update_progress(
        actor=data.manager_a,
        action=action,
        progress=ActionProgress.DONE,
        completed_on=date(2025, 9, 1),
    )
    table = run(world, "contextual_factors_addressed", "team_a")
    assert rows_of(table)[3] == ("online", ("Online space", 1, 1, 1, 0, 0, 100.0, 100.0))


def test_a_factor_whose_only_action_was_stopped_is_not_addressed(world):
    """A1's peer-group factor: its action is stopped and the plan then marks the factor not
    addressed, as plan_factor_not_addressed allows once no action answers it."""
    data = world.data
    action = data.actions["Aa"]
    from cases.services import plans as plan_services

    plan_services.plan_action_update_progress(
        actor=data.manager_a, action=action, progress=ActionProgress.STOPPED
    )
    plan_services.plan_factor_not_addressed(
        actor=data.manager_a,
        plan=data.plans["P1"],
        factor=data.factors["Fa"],
        reason="The youth service withdrew.",
    )
    table = run(world, "contextual_factors_addressed", "service")
    assert rows_of(table)[0] == ("peer_group", ("Group", 3, 1, 0, 1, 1, 33.3, 0.0))
    assert table.totals.cells == ("Total", 8, 3, 1, 4, 1, 37.5, 12.5)


# Contextual actions not done or stopped, today (15 September 2025):
#   Plans in force: A1 peer group / youth service (due 1 October); A1 online / online platform
#   (due 20 August, overdue); A4 location / police (due 1 August, overdue); B3 location / police
#   (due 30 September); B3 school / education (due 14 September, overdue); B3 other / voluntary
#   (no due date). Not: A1's done and stopped actions, its action that is not contextual, A2's
#   on a draft plan, B1's on an ended plan.
#   Open contexts: C1 peer group / police (due 1 August, overdue) and / youth service (due 10
#   October); C2 location / community safety (due 1 June, overdue) and / police (due 1 December);
#   C4 online / online platform (due 30 September). Not: the closed C3 and C7.


def test_outstanding_contextual_actions(world):
    summary = (
        "{} contextual actions outstanding today, {} overdue; most overdue rely on Police (2)."
    )

    table = run(world, "outstanding_contextual_actions", "service")
    assert rows_of(table) == [
        ("peer_group:police", ("Group", "Police", 0, 0, 1, 1)),
        ("peer_group:youth_service", ("Group", "Youth service", 1, 0, 1, 0)),
        ("school:education", ("School or education setting", "School or education", 1, 1, 0, 0)),
        (
            "location:community_safety",
            ("Neighbourhood or location", "Community safety", 0, 0, 1, 1),
        ),
        ("location:police", ("Neighbourhood or location", "Police", 2, 1, 1, 0)),
        ("online:online_platform", ("Online space", "Online platform", 1, 1, 1, 0)),
        ("other:voluntary", ("Other", "Voluntary or community sector", 1, 0, 0, 0)),
    ]
    assert table.summary == summary.format(11, 5)

    # Team A's young people (A1, A4) and team A's contexts (C1, C2).
    table = run(world, "outstanding_contextual_actions", "team_a")
    assert rows_of(table) == [
        ("peer_group:police", ("Group", "Police", 0, 0, 1, 1)),
        ("peer_group:youth_service", ("Group", "Youth service", 1, 0, 1, 0)),
        (
            "location:community_safety",
            ("Neighbourhood or location", "Community safety", 0, 0, 1, 1),
        ),
        ("location:police", ("Neighbourhood or location", "Police", 1, 1, 1, 0)),
        ("online:online_platform", ("Online space", "Online platform", 1, 1, 0, 0)),
    ]
    assert table.summary == summary.format(7, 4)

    # Every young person with actions is in scope; of the open contexts only C1 (CCE) and C4
    # (CSE) have an exploitation type (C2 has gangs).
    table = run(world, "outstanding_contextual_actions", "exploitation")
    assert rows_of(table) == [
        ("peer_group:police", ("Group", "Police", 0, 0, 1, 1)),
        ("peer_group:youth_service", ("Group", "Youth service", 1, 0, 1, 0)),
        ("school:education", ("School or education setting", "School or education", 1, 1, 0, 0)),
        ("location:police", ("Neighbourhood or location", "Police", 2, 1, 0, 0)),
        ("online:online_platform", ("Online space", "Online platform", 1, 1, 1, 0)),
        ("other:voluntary", ("Other", "Voluntary or community sector", 1, 0, 0, 0)),
    ]
    assert table.summary == summary.format(9, 4)


# --- Relocations -------------------------------------------------------------------------------
# Because of extra-familial harm, in the period: A1 out of area (plan: yes) and within the area
# (partly); A2 secure (draft plan: no); B1 out of area (no plan); B2 other (no plan); B4 within
# the area (no plan). Not: A3's (March), A4's (July), B3's (not because of extra-familial harm).
# Young people with an extra-familial flag current at some time in the period: A1-A4, B1, B2, B3
# (seven; B4's was archived in March), whether open or not.


def test_relocations(world):
    table = run(world, "relocations", "service")
    assert rows_of(table) == [
        ("out_of_area", ("Out-of-area placement", 2, 1, 0, 0, 1, 50.0)),
        ("within_area", ("Move within the area", 2, 0, 1, 0, 1, 0.0)),
        ("secure", ("Secure accommodation", 1, 0, 0, 1, 0, 0.0)),
        ("other", ("Other", 1, 0, 0, 0, 1, 0.0)),
    ]
    assert table.totals.cells == ("Total", 6, 1, 1, 1, 3, 16.7)
    assert table.summary == (
        "6 relocations because of extra-familial harm in the period (5 young people: 71.4 per "
        "100 young people with a current extra-familial flag); the plan in force fully "
        "addressed the contextual factors behind 16.7% of them."
    )
    assert table.notes == (
        "Young people relocated: 5",
        "Young people with a current extra-familial flag in the period: 7",
        "Rate per 100: 71.4",
    )
    assert table.definition.endswith("current at any time in the period (7).")

    table = run(world, "relocations", "team_a")
    assert rows_of(table) == [
        ("out_of_area", ("Out-of-area placement", 1, 1, 0, 0, 0, 100.0)),
        ("within_area", ("Move within the area", 1, 0, 1, 0, 0, 0.0)),
        ("secure", ("Secure accommodation", 1, 0, 0, 1, 0, 0.0)),
    ]
    assert table.totals.cells == ("Total", 3, 1, 1, 1, 0, 33.3)
    assert table.summary == (
        "3 relocations because of extra-familial harm in the period (2 young people: 50 per "
        "100 young people with a current extra-familial flag); the plan in force fully "
        "addressed the contextual factors behind 33.3% of them."
    )
    assert table.notes == (
        "Young people relocated: 2",
        "Young people with a current extra-familial flag in the period: 4",
        "Rate per 100: 50",
    )

    # A1, A2 and B1 moved; six in scope had a current exploitation flag (all but B2 and B4).
    table = run(world, "relocations", "exploitation")
    assert rows_of(table) == [
        ("out_of_area", ("Out-of-area placement", 2, 1, 0, 0, 1, 50.0)),
        ("within_area", ("Move within the area", 1, 0, 1, 0, 0, 0.0)),
        ("secure", ("Secure accommodation", 1, 0, 0, 1, 0, 0.0)),
    ]
    assert table.totals.cells == ("Total", 4, 1, 1, 1, 1, 25.0)
    assert table.summary == (
        "4 relocations because of extra-familial harm in the period (3 young people: 50 per "
        "100 young people with a current extra-familial flag); the plan in force fully "
        "addressed the contextual factors behind 25% of them."
    )
    assert table.notes == (
        "Young people relocated: 3",
        "Young people with a current extra-familial flag in the period: 6",
        "Rate per 100: 50",
    )


# --- Where harm happens ------------------------------------------------------------------------
# On referrals received in the period: A1 park NB1 2AA, bus stop NB1 5XY; A2 stairwell (name
# only), estate NB3 4JL; A3 home of an adult NB2 3DD; A4 park NB2 7EF, park (name only); B1 shop
# NB1 8GH, park NB1 2AA; B2 online platform (name only); B3 street NB10 1AA. Not: A1's park of
# March (NB9), B3's park of July (NB3 1AB).


def location_rows(world, counts):
    return [
        (str(world.data.location_type_id(name)), (name, locations, people))
        for name, locations, people in counts
    ]


def test_locations_by_type(world):
    table = run(world, "locations_by_type", "service")
    assert rows_of(table) == location_rows(
        world,
        [
            ("Park or open space", 4, 3),
            ("Bus stop", 1, 1),
            ("Estate", 1, 1),
            ("Home of an adult", 1, 1),
            ("Online platform", 1, 1),
            ("Shop or takeaway", 1, 1),
            ("Stairwell or communal area", 1, 1),
            ("Street", 1, 1),
        ],
    )
    assert table.summary == (
        "11 locations of harm recorded on referrals received in the period; the most common "
        "type was Park or open space (4)."
    )

    table = run(world, "locations_by_type", "team_a")
    assert rows_of(table) == location_rows(
        world,
        [
            ("Park or open space", 3, 2),
            ("Bus stop", 1, 1),
            ("Estate", 1, 1),
            ("Home of an adult", 1, 1),
            ("Stairwell or communal area", 1, 1),
        ],
    )
    assert table.summary == (
        "7 locations of harm recorded on referrals received in the period; the most common "
        "type was Park or open space (3)."
    )

    table = run(world, "locations_by_type", "exploitation")
    assert rows_of(table) == location_rows(
        world,
        [
            ("Park or open space", 4, 3),
            ("Bus stop", 1, 1),
            ("Estate", 1, 1),
            ("Home of an adult", 1, 1),
            ("Shop or takeaway", 1, 1),
            ("Stairwell or communal area", 1, 1),
            ("Street", 1, 1),
        ],
    )
    assert table.summary == (
        "10 locations of harm recorded on referrals received in the period; the most common "
        "type was Park or open space (4)."
    )


def test_locations_by_district(world):
    everyone = [
        ("NB1", ("NB1", 4, 2)),
        ("NB2", ("NB2", 2, 2)),
        ("NB10", ("NB10", 1, 1)),
        ("NB3", ("NB3", 1, 1)),
    ]
    # Only the top three districts are named.
    summary = "Most locations of harm were recorded in NB1 (4), NB2 (2), NB10 (1)."
    for scope in ("service", "exploitation"):  # B2's one location has no postcode
        table = run(world, "locations_by_district", scope)
        assert rows_of(table) == everyone, scope
        assert table.summary == summary, scope

    table = run(world, "locations_by_district", "team_a")
    assert rows_of(table) == [
        ("NB1", ("NB1", 2, 1)),
        ("NB2", ("NB2", 2, 2)),
        ("NB3", ("NB3", 1, 1)),
    ]
    assert table.summary == "Most locations of harm were recorded in NB1 (2), NB2 (2), NB3 (1)."


# --- Contexts ----------------------------------------------------------------------------------
#   C1 peer group, team A, CCE, opened 20 April 2025, open: A1 and A2 linked; actions police
#      (not started, due 1 August), youth service (in progress, due 10 October), education
#      (done), other (stopped).
#   C2 location, team A, gangs, opened 1 June 2023, open: A4 linked (A1's link ended); actions
#      community safety (in progress, due 1 June), police (not started, due 1 December).
#   C3 school, team B, Exploitation, opened 10 May 2025, closed 15 June (links ended).
#   C4 online, team B, CSE, opened 1 August 2024, closed 1 May 2025 (links kept), reopened 1
#      July: B1 and B2 linked; action online platform (not started, due 30 September).
#   C5 other, team A, no harm type, opened 10 January 2025, open, nobody linked, no actions.
#   C6 peer group, team B, gangs, opened 20 August 2025, open: B3 and A1 linked; action police
#      (done).
#   C7 location, team A, CCE, opened 5 January 2024, closed 1 December 2024 (A3's link kept).


def test_contexts_by_kind(world):
    table = run(world, "contexts_by_kind", "service")
    assert rows_of(table) == [
        ("peer_group", ("Group", 2, 1, 0, 3, 0)),  # A1 (twice), A2, B3
        ("school", ("School or education setting", 0, 1, 1, 0, 0)),
        ("location", ("Neighbourhood or location", 1, 0, 0, 1, 0)),
        ("online", ("Online space", 1, 0, 1, 2, 0)),
        ("other", ("Other", 1, 0, 0, 0, 1)),
    ]
    assert table.totals.cells == ("Total", 5, 2, 2, 6, 1)
    assert table.summary == (
        "5 contexts open today; 2 opened and 2 closed in the period; 6 young people linked to "
        "open contexts."
    )

    table = run(world, "contexts_by_kind", "team_a")
    assert rows_of(table) == [
        ("peer_group", ("Group", 1, 1, 0, 2, 0)),
        ("location", ("Neighbourhood or location", 1, 0, 0, 1, 0)),
        ("other", ("Other", 1, 0, 0, 0, 1)),
    ]
    assert table.totals.cells == ("Total", 3, 1, 0, 3, 1)
    assert table.summary == (
        "3 contexts open today; 1 opened and 0 closed in the period; 3 young people linked to "
        "open contexts."
    )

    table = run(world, "contexts_by_kind", "exploitation")  # C1, C3, C4, C7
    assert rows_of(table) == [
        ("peer_group", ("Group", 1, 1, 0, 2, 0)),
        ("school", ("School or education setting", 0, 1, 1, 0, 0)),
        ("location", ("Neighbourhood or location", 0, 0, 0, 0, 0)),
        ("online", ("Online space", 1, 0, 1, 2, 0)),
    ]
    assert table.totals.cells == ("Total", 2, 2, 2, 4, 0)
    assert table.summary == (
        "2 contexts open today; 2 opened and 2 closed in the period; 4 young people linked to "
        "open contexts."
    )


# Time open on 15 September 2025: under 3 months from 17 June 2025 on (C6); 3 to 12 months from
# 16 September 2024 to 16 June 2025 (C1, C5); 1 to 2 years from 17 September 2023 to 15
# September 2024 (C4); over 2 years before that (C2).


def test_contexts_time_open(world):
    table = run(world, "contexts_time_open", "service")
    assert rows_of(table) == [
        ("peer_group", ("Group", 1, 1, 0, 0)),
        ("location", ("Neighbourhood or location", 0, 0, 0, 1)),
        ("online", ("Online space", 0, 0, 1, 0)),
        ("other", ("Other", 0, 1, 0, 0)),
    ]
    assert table.summary == "Of 5 open contexts, 2 have been open for a year or more."

    table = run(world, "contexts_time_open", "team_a")
    assert rows_of(table) == [
        ("peer_group", ("Group", 0, 1, 0, 0)),
        ("location", ("Neighbourhood or location", 0, 0, 0, 1)),
        ("other", ("Other", 0, 1, 0, 0)),
    ]
    assert table.summary == "Of 3 open contexts, 1 has been open for a year or more."

    table = run(world, "contexts_time_open", "exploitation")
    assert rows_of(table) == [
        ("peer_group", ("Group", 0, 1, 0, 0)),
        ("online", ("Online space", 0, 0, 1, 0)),
    ]
    assert table.summary == "Of 2 open contexts, 1 has been open for a year or more."


def test_context_plan_progress(world):
    # Columns: not started, in progress, done, stopped, overdue.
    assert [c.label for c in run(world, "context_plan_progress", "service").columns] == [
        "Kind",
        "Not started",
        "In progress",
        "Done",
        "Stopped",
        "Overdue",
    ]
    table = run(world, "context_plan_progress", "service")
    assert rows_of(table) == [
        ("peer_group", ("Group", 1, 1, 2, 1, 1)),  # C1 and C6
        ("location", ("Neighbourhood or location", 1, 1, 0, 0, 1)),  # C2
        ("online", ("Online space", 1, 0, 0, 0, 0)),  # C4
    ]
    assert table.summary == (
        "Of 8 actions on open contexts' plans, 2 are done (25%) and 2 are overdue."
    )

    table = run(world, "context_plan_progress", "team_a")
    assert rows_of(table) == [
        ("peer_group", ("Group", 1, 1, 1, 1, 1)),
        ("location", ("Neighbourhood or location", 1, 1, 0, 0, 1)),
    ]
    assert table.summary == (
        "Of 6 actions on open contexts' plans, 1 is done (16.7%) and 2 are overdue."
    )

    table = run(world, "context_plan_progress", "exploitation")
    assert rows_of(table) == [
        ("peer_group", ("Group", 1, 1, 1, 1, 1)),
        ("online", ("Online space", 1, 0, 0, 0, 0)),
    ]
    assert table.summary == (
        "Of 5 actions on open contexts' plans, 1 is done (20%) and 1 is overdue."
    )


# --- At a date ---------------------------------------------------------------------------------


def test_at_the_end_of_the_period_flags_and_closures_are_read_as_they_were_that_day(world):
    """On 30 June: A2's CSE (archived 15 June) is not current and its SYV (archived 5 July) is;
    B2's gangs, archived at 00:30 on 1 July London time, is current; A3, closed on 10 June, is
    not open; A4, closed on 20 July, is."""
    table = run(world, "open_with_flags_by_type", "service")
    by_type = dict(zip(table.values("harm_type"), table.values("young_people"), strict=True))
    assert CSE not in by_type
    assert by_type["Serious youth violence"] == 1
    assert by_type["Gangs"] == 2  # A4 and B2
    assert by_type[CCE] == 4  # A1, A4, B1, B3: not A3


def test_at_an_earlier_date(world):
    """Ending the period on 9 June: A3 (closed 10 June) is open that day, A2's CSE (archived 15
    June) is current, B1's Exploitation (identified 30 June) is not yet, B1's neglect (archived
    30 June) and B2's physical abuse (archived 20 June) are current intra-familial flags."""
    scope = ReportScope(start=START, end=date(2025, 6, 9))

    table = measures.open_with_flags_by_type(scope)
    assert rows_of(table) == [
        (type_key("CCE"), (CCE, 5)),  # A1, A3, A4, B1, B3
        (type_key("GANGS"), ("Gangs", 2)),  # A4, B2
        (type_key("CSE"), (CSE, 1)),  # A2
        (type_key("SYV"), ("Serious youth violence", 1)),  # A2
    ]
    assert table.totals.cells == ("Young people with any extra-familial flag", 7)

    table = measures.co_occurrence(scope)
    assert rows_of(table) == [
        (pair_key("CCE", "DA"), (CCE, DA, 2)),  # A1, B1
        (pair_key("CCE", "EA"), (CCE, EA, 1)),  # A4
        (pair_key("CCE", "NEGLECT"), (CCE, "Neglect", 1)),  # B1
        (pair_key("GANGS", "EA"), ("Gangs", EA, 1)),  # A4
        (pair_key("GANGS", "PHYSICAL_ADULT"), ("Gangs", "Physical abuse by an adult", 1)),  # B2
    ]
    assert table.totals.cells == ("Young people with both", "", 4)
    assert table.summary.startswith(
        "4 young people with a current extra-familial flag (57.1% of 7) also had a current "
        "intra-familial flag on 9 June 2025;"
    )


def test_a_flag_recorded_in_error_elsewhere_does_not_hide_co_occurrence(world):
    """A1 still has CCE and domestic abuse at once after an unrelated flag is recorded in
    error: "recorded in error" is tested on the joined intra-familial flag, not on any flag of
    the young person."""
    data = world.data
    flag = case_services.harm_flag_raise(
        actor=data.manager_a,
        young_person=data.people["A1"],
        harm_type=HarmType.objects.get(name="Teenage relationship abuse"),
        identified_at=IdentifiedAt.OTHER,
        identified_on=date(2025, 4, 2),
    )
    case_services.harm_flag_archive(
        actor=data.manager_a, flag=flag, reason=ArchiveReason.ERROR, rationale="Wrong record."
    )
    table = run(world, "co_occurrence", "service")
    assert table.totals.cells == ("Young people with both", "", 3)
    assert rows_of(table)[0] == (pair_key("CCE", "DA"), (CCE, DA, 2))


# --- No young person in any table --------------------------------------------------------------


def table_text(table: Table) -> str:
    parts = [table.key, table.title, table.summary, table.definition, *table.notes]
    for row in (*table.rows, *([table.totals] if table.totals else [])):
        parts.append(row.key)
        parts.extend(str(cell) for cell in row.cells)
    return "\n".join(parts).lower()


@pytest.mark.parametrize("scope", SCOPES)
def test_no_table_names_a_young_person(world, scope):
    people = world.data.people.values()
    canaries = {word.lower() for names in CANARY_NAMES.values() for word in names}
    canaries |= {person.local_identifier.lower() for person in people}
    canaries |= {str(person.date_of_birth) for person in people}
    tables = measures.dashboard_tables(world.scopes[scope])
    assert len(tables) == len(measures.MEASURES)
    for table in tables:
        text = table_text(table)
        found = sorted(canary for canary in canaries if canary in text)
        assert found == [], table.key
