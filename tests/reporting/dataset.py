"""A small fixed dataset for the dashboard measures, built through the services, with every date
fixed so that each measure's numbers can be worked out by hand (tests/reporting/test_measures.py
works them out next to the assertions).

The dates: the period is April to June 2025 (``START`` to ``END``, inside British Summer Time, so
that an archive made just after midnight on 1 July, London time, is still 30 June in UTC), and
"today" is ``TODAY``. The measures that count from today (overdue actions, time open) and the
services that stamp today (closing a case stamps ``closed_on``; archiving a flag stamps
``archived_at``) read Django's clock, so the tests run on a ``Clock`` (below) set to ``NOW``,
moved back only for the few writes that must carry a past stamp. That keeps every write a
service call: no stamp is rewritten with ``update()`` afterwards.

Every young person has a distinctive canary name (``CANARY_NAMES``): the tests assert that no
table ever carries one. Everyone here is invented.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from cases import services as case_services
from cases.models import LocationType
from cases.reference import (
    ActionProgress,
    AssessmentDecision,
    NatureOfHarm,
    PartnerAgency,
    PlanAddressesFactors,
    PlanKind,
    ReferralDecision,
    ReferralSource,
    RelocationKind,
)
from cases.services import assessments as assessment_services
from cases.services import plans as plan_services
from cases.services import relocations as relocation_services
from contexts.linking import services as link_services
from contexts.reference import LinkEndRule, TriangleSide
from contexts.services import contexts as context_services
from contexts.services import work as context_work
from csafe.core.vocabulary import ContextKind
from harms import services as harm_services
from harms.models import ArchiveReason, HarmType, IdentifiedAt

LONDON = ZoneInfo("Europe/London")
START = date(2025, 4, 1)
END = date(2025, 6, 30)
TODAY = date(2025, 9, 15)
NOW = datetime(2025, 9, 15, 12, 0, tzinfo=LONDON)

# The young people, by the key the tests use: A1-A4 in team A, B1-B4 in team B.
CANARY_NAMES = {
    "A1": ("Zebedee", "Quillfeather"),
    "A2": ("Ottoline", "Brackenwhistle"),
    "A3": ("Peregrine", "Mossgrove"),
    "A4": ("Clementine", "Harrowgate"),
    "B1": ("Barnaby", "Thistlewood"),
    "B2": ("Wilhelmina", "Fernsby"),
    "B3": ("Ignatius", "Pomfrey"),
    "B4": ("Araminta", "Scrivelsby"),
}

# Default taxonomy names, shortened for the tables of expected numbers.
TYPE_NAMES = {
    "EXPLOITATION": "Exploitation",
    "CSE": "Child sexual exploitation",
    "CCE": "Child criminal exploitation, including county lines",
    "TRAFFICKING": "Trafficking and modern slavery",
    "SYV": "Serious youth violence",
    "GANGS": "Gangs",
    "MISSING": "Going missing",
    "ONLINE": "Online harm",
    "RADICALISATION": "Radicalisation",
    "DA": "Domestic abuse in the home",
    "NEGLECT": "Neglect",
    "EA": "Emotional abuse",
    "PHYSICAL_ADULT": "Physical abuse by an adult",
    "PARENTAL_MH": "Parental mental health",
}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on ``day``, London time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


class Clock:
    """Django's clock, held at ``NOW`` for a test. ``django.utils.timezone.now`` is what
    ``timezone.localdate()``, the services' date stamps and the measures' "today" all read."""

    def __init__(self, monkeypatch, now: datetime = NOW):
        self.now = now
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    @contextmanager
    def at(self, moment: datetime):
        """Run the writes inside at ``moment``, then go back to where the clock was."""
        before = self.now
        self.now = moment
        try:
            yield
        finally:
            self.now = before


@dataclass
class Dataset:
    manager_a: object
    manager_b: object
    team_a: object
    team_b: object
    people: dict = field(default_factory=dict)
    flags: dict = field(default_factory=dict)
    factors: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)
    contexts: dict = field(default_factory=dict)

    def type_id(self, key: str) -> int:
        return HarmType.objects.get(name=TYPE_NAMES[key]).pk

    def location_type_id(self, name: str) -> int:
        return LocationType.objects.get(name=name).pk


def _location_type(name: str) -> LocationType:
    return LocationType.objects.get(name=name)


def _type(key: str) -> HarmType:
    return HarmType.objects.get(name=TYPE_NAMES[key])


def _person(manager, key: str, first: str, last: str):
    return case_services.young_person_create(
        actor=manager,
        first_name=first,
        last_name=last,
        date_of_birth=date(2009, 2, 14),
        postcode="NB7 1ZZ",
        local_identifier=f"ZQX-{key}-7731",
    )


def _referral(manager, person, received_on, nature, locations=()):
    return case_services.referral_record(
        actor=manager,
        young_person=person,
        received_on=received_on,
        source=ReferralSource.POLICE,
        reason="Concerns reported by the police.",
        nature_of_harm=nature,
        decision=ReferralDecision.ASSESSMENT,
        locations=[
            case_services.LocationInput(
                location_type=_location_type(type_name), postcode=postcode, place_name=place
            )
            for type_name, postcode, place in locations
        ],
    ).referral


def _flag(manager, person, key, identified_on):
    return case_services.harm_flag_raise(
        actor=manager,
        young_person=person,
        harm_type=_type(key),
        identified_at=IdentifiedAt.REFERRAL,
        identified_on=identified_on,
    )


def _archive(clock, manager, flag, reason, moment):
    with clock.at(moment):
        return case_services.harm_flag_archive(
            actor=manager, flag=flag, reason=reason, rationale="Reviewed with the team."
        )


def _close_case(clock, manager, person, closed_on):
    # young_person_set_status stamps closed_on with today, so the clock is set to that day.
    with clock.at(at(closed_on)):
        return case_services.young_person_set_status(
            actor=manager, young_person=person, status="closed", reason="Work complete."
        )


def _assessment(manager, person, *, started, completed, authorised, outcome, factors=()):
    """Start, add contextual factors ({key: domain}), complete and (unless ``authorised`` is None)
    authorise an assessment. Returns (assessment, {key: factor})."""
    assessment = assessment_services.assessment_start(
        actor=manager, young_person=person, started_on=started
    )
    made = {}
    for key, domain in factors:
        made[key] = assessment_services.contextual_factor_add(
            actor=manager,
            assessment=assessment,
            domain=domain,
            description=f"A concern in the young person's {domain.replace('_', ' ')}.",
        )
    assessment = assessment_services.assessment_complete(
        actor=manager,
        assessment=assessment,
        completed_on=completed,
        conclusion="Risks outside the home identified.",
        outcome_nature=outcome,
        decision=AssessmentDecision.CHILD_IN_NEED,
        cin_factor_codes=["21"],
    )
    if authorised is not None:
        assessment = assessment_services.assessment_authorise(
            actor=manager,
            assessment=assessment,
            authorised_on=authorised,
            reason="The evidence supports the conclusion and the decision",
        )
    return assessment, made


def _plan(manager, person, start):
    return plan_services.plan_create(
        actor=manager,
        young_person=person,
        kind=PlanKind.CHILD_IN_NEED,
        start_date=start,
        review_date=date(2025, 12, 1),
    )


def _in_force(manager, plan, day):
    """A child in need plan goes into force when a team manager of the holding team signs it
    off: submitted and signed off on ``day``."""
    plan_services.plan_submit(actor=manager, plan=plan, submitted_on=day)
    plan.refresh_from_db()
    return plan_services.plan_sign_off(
        actor=manager, plan=plan, reason="The plan answers the assessment.", signed_off_on=day
    )


def _action(manager, plan, *, kind="", partner="", due=None, factor=None, contextual=True):
    return plan_services.plan_action_add(
        actor=manager,
        plan=plan,
        description="Work with partners on the places and people around the young person.",
        owner="Allocated social worker",
        due_date=due,
        is_contextual=contextual,
        target_context_kind=kind,
        partner_agency=partner,
        factor=factor,
    )


def _progress(manager, action, progress, completed_on=None):
    return plan_services.plan_action_update_progress(
        actor=manager, action=action, progress=progress, completed_on=completed_on
    )


def _gap(manager, plan, factor):
    return plan_services.plan_factor_not_addressed(
        actor=manager, plan=plan, factor=factor, reason="Another agency leads on this."
    )


def _move(manager, person, moved_on, kind, *, because=True, plan=None, addresses=None):
    return relocation_services.relocation_record(
        actor=manager,
        young_person=person,
        moved_on=moved_on,
        kind=kind,
        reason="Safety away from the area.",
        because_of_extra_familial_harm=because,
        plan=plan,
        plan_addresses_factors=addresses or PlanAddressesFactors.NO_PLAN,
        destination="Another council",
    )


def _context(manager, kind, opened_on, harm_types=(), **details):
    return context_services.context_open(
        actor=manager,
        kind=kind,
        opened_on=opened_on,
        harm_types=[_type(key) for key in harm_types],
        incident="Concerns raised by several agencies.",
        confirmed_not_duplicate=True,
        **details,
    )


def _context_action(manager, context, partner, due, progress=None, completed_on=None):
    action = context_work.context_action_add(
        actor=manager,
        context=context,
        side=TriangleSide.GUARDIANSHIP,
        description="Increase guardianship at the times harm happens.",
        partner_agency=partner,
        owner="Community safety lead",
        due_date=due,
    )
    if progress is not None:
        action = context_work.context_action_update_progress(
            actor=manager, action=action, progress=progress, completed_on=completed_on
        )
    return action


def _link(manager, context, person):
    return link_services.context_link_young_person(
        actor=manager, context=context, young_person=person, reason="Spends time here."
    )


def _close_context(manager, context, on, links_rule):
    return context_services.context_close(
        actor=manager,
        context=context,
        on=on,
        reason="Safety has increased.",
        functioning_change="Fewer incidents reported.",
        guardianship_change="Staff present at the times that mattered.",
        environment_change="Lighting improved.",
        links_rule=links_rule,
    )


def build_dataset(*, clock: Clock, manager_a, manager_b, administrator) -> Dataset:
    """The fixed dataset. Each section says what it is for; test_measures.py counts it."""
    d = Dataset(
        manager_a=manager_a, manager_b=manager_b, team_a=manager_a.team, team_b=manager_b.team
    )
    for key, (first, last) in CANARY_NAMES.items():
        manager = manager_a if key.startswith("A") else manager_b
        d.people[key] = _person(manager, key, first, last)
    p = d.people
    a, b = manager_a, manager_b
    extra, intra = NatureOfHarm.EXTRA_FAMILIAL, NatureOfHarm.INTRA_FAMILIAL
    both, not_known = NatureOfHarm.BOTH, NatureOfHarm.NOT_YET_KNOWN

    # A retired type is not "in use", so never "rarely recorded".
    harm_services.harm_type_set_active(
        actor=administrator,
        harm_type=_type("RADICALISATION"),
        active=False,
        reason="No longer used",
    )

    # --- Referrals, with their locations of harm (type, postcode, place name) ----------------
    park, bus, shop = "Park or open space", "Bus stop", "Shop or takeaway"
    _referral(a, p["A1"], date(2025, 3, 20), extra, [(park, "NB9 9ZZ", "")])  # before
    _referral(a, p["A1"], date(2025, 4, 10), extra, [(park, "NB1 2AA", ""), (bus, "NB1 5XY", "")])
    _referral(
        a, p["A2"], date(2025, 4, 15), both, [("Stairwell or communal area", "", "Tower block")]
    )
    _referral(a, p["A2"], date(2025, 5, 22), not_known, [("Estate", "NB3 4JL", "")])
    _referral(a, p["A3"], date(2025, 5, 3), intra, [("Home of an adult", "NB2 3DD", "")])
    _referral(a, p["A4"], date(2025, 6, 10), extra, [(park, "NB2 7EF", ""), (park, "", "Rec")])
    _referral(b, p["B1"], date(2025, 4, 28), extra, [(shop, "NB1 8GH", ""), (park, "NB1 2AA", "")])
    _referral(b, p["B1"], date(2025, 6, 30), not_known)  # on the last day of the period
    _referral(b, p["B2"], date(2025, 6, 2), both, [("Online platform", "", "Chat app")])
    _referral(b, p["B3"], date(2025, 5, 9), intra, [("Street", "NB10 1AA", "")])
    _referral(b, p["B3"], date(2025, 7, 2), extra, [(park, "NB3 1AB", "")])  # after

    # --- Harm flags ------------------------------------------------------------------------
    f = d.flags
    f["F1"] = _flag(a, p["A1"], "CCE", date(2025, 4, 10))
    f["F2"] = _flag(a, p["A1"], "DA", date(2025, 5, 2))  # A1 has both natures at once
    f["F3"] = _flag(a, p["A1"], "ONLINE", date(2025, 3, 1))
    _archive(clock, a, f["F3"], ArchiveReason.NEVER, at(date(2025, 5, 20)))
    f["F4"] = _flag(a, p["A2"], "CSE", date(2025, 4, 15))
    # Archived before the end of the period: not current on END.
    _archive(clock, a, f["F4"], ArchiveReason.NO_LONGER, at(date(2025, 6, 15)))
    f["F5"] = _flag(a, p["A2"], "SYV", date(2025, 2, 1))
    # Archived after the end of the period: current on END.
    _archive(clock, a, f["F5"], ArchiveReason.NO_LONGER, at(date(2025, 7, 5)))
    f["F6"] = _flag(a, p["A2"], "NEGLECT", date(2025, 5, 10))
    # Recorded in error, archived after END: never counts, even as current on END.
    _archive(clock, a, f["F6"], ArchiveReason.ERROR, at(date(2025, 8, 1)))
    f["F7"] = _flag(a, p["A3"], "CCE", date(2025, 4, 20))
    f["F8"] = _flag(a, p["A4"], "GANGS", date(2025, 5, 5))
    f["F9"] = _flag(a, p["A4"], "EA", date(2025, 5, 5))
    f["F20"] = _flag(a, p["A4"], "CCE", date(2025, 6, 5))
    f["F10"] = _flag(b, p["B1"], "CCE", date(2025, 6, 1))
    f["F11"] = _flag(b, p["B1"], "EXPLOITATION", END)  # identified on the last day
    f["F12"] = _flag(b, p["B1"], "DA", date(2025, 6, 1))
    f["F13"] = _flag(b, p["B1"], "NEGLECT", date(2025, 4, 1))
    # Archived late on the last day of the period: archived by the end of END, so not current.
    _archive(clock, b, f["F13"], ArchiveReason.NEVER, at(END, 23, 30))
    f["F14"] = _flag(b, p["B2"], "GANGS", date(2025, 5, 15))
    # 00:30 on 1 July in London is 23:30 on 30 June in UTC: archived after END, London time.
    _archive(clock, b, f["F14"], ArchiveReason.NO_LONGER, at(date(2025, 7, 1), 0, 30))
    f["F15"] = _flag(b, p["B2"], "PHYSICAL_ADULT", date(2025, 5, 15))
    _archive(clock, b, f["F15"], ArchiveReason.NEVER, at(date(2025, 6, 20)))
    f["F16"] = _flag(b, p["B2"], "MISSING", date(2025, 7, 10))  # after the period
    f["F21"] = _flag(b, p["B2"], "CSE", date(2025, 4, 12))
    _archive(clock, b, f["F21"], ArchiveReason.ERROR, at(date(2025, 4, 13)))
    f["F17"] = _flag(b, p["B3"], "CCE", date(2025, 4, 5))
    _archive(clock, b, f["F17"], ArchiveReason.ERROR, at(date(2025, 4, 25)))
    f["F18"] = _flag(b, p["B3"], "CCE", date(2025, 5, 1))
    f["F22"] = _flag(b, p["B4"], "ONLINE", date(2025, 1, 10))
    _archive(clock, b, f["F22"], ArchiveReason.NO_LONGER, at(date(2025, 3, 31)))
    f["F23"] = _flag(b, p["B4"], "PARENTAL_MH", date(2025, 5, 1))

    # --- Assessments, contextual factors and plans ------------------------------------------
    pg, school, loc, online = (
        ContextKind.PEER_GROUP,
        ContextKind.SCHOOL,
        ContextKind.LOCATION,
        ContextKind.ONLINE,
    )
    fa = d.factors
    # A4: authorised before the period (its factor is not counted); its plan is in force.
    _, made = _assessment(
        a,
        p["A4"],
        started=date(2025, 3, 1),
        completed=date(2025, 3, 10),
        authorised=date(2025, 3, 15),
        outcome=extra,
        factors=[("Fj", loc)],
    )
    fa.update(made)
    plan = d.plans["P4"] = _plan(a, p["A4"], date(2025, 3, 16))
    aj = _action(
        a, plan, kind=loc, partner=PartnerAgency.POLICE, due=date(2025, 8, 1), factor=fa["Fj"]
    )
    _progress(a, aj, ActionProgress.IN_PROGRESS)
    _in_force(a, plan, date(2025, 3, 20))

    # A1: authorised in April, four factors; a plan in force answers each.
    _, made = _assessment(
        a,
        p["A1"],
        started=date(2025, 4, 11),
        completed=date(2025, 4, 25),
        authorised=date(2025, 4, 28),
        outcome=extra,
        factors=[("Fa", pg), ("Fb", loc), ("Fc", school), ("Fd", online)],
    )
    fa.update(made)
    plan = d.plans["P1"] = _plan(a, p["A1"], date(2025, 4, 29))
    d.actions["Aa"] = _action(
        a,
        plan,
        kind=pg,
        partner=PartnerAgency.YOUTH_SERVICE,
        due=date(2025, 10, 1),
        factor=fa["Fa"],
    )
    d.actions["Aa"] = _progress(a, d.actions["Aa"], ActionProgress.IN_PROGRESS)
    # Marked not addressed, then answered by an action after all (the mark is withdrawn).
    _gap(a, plan, fa["Fb"])
    action = _action(
        a, plan, kind=loc, partner=PartnerAgency.POLICE, due=date(2025, 7, 1), factor=fa["Fb"]
    )
    _progress(a, action, ActionProgress.DONE, completed_on=date(2025, 8, 1))
    _gap(a, plan, fa["Fc"])
    _action(
        a,
        plan,
        kind=online,
        partner=PartnerAgency.ONLINE_PLATFORM,
        due=date(2025, 8, 20),
        factor=fa["Fd"],
    )
    _action(a, plan, due=date(2025, 9, 1), contextual=False)  # not a contextual action
    stopped = _action(a, plan, kind=school, partner=PartnerAgency.EDUCATION, due=date(2025, 8, 1))
    _progress(a, stopped, ActionProgress.STOPPED)
    _in_force(a, plan, date(2025, 5, 5))

    # A2: authorised in May (marker "both"); its plan is still a draft.
    _, made = _assessment(
        a,
        p["A2"],
        started=date(2025, 4, 20),
        completed=date(2025, 5, 10),
        authorised=date(2025, 5, 14),
        outcome=both,
        factors=[("Fe", pg), ("Ff", loc)],
    )
    fa.update(made)
    plan = d.plans["P2"] = _plan(a, p["A2"], date(2025, 5, 15))
    _action(a, plan, kind=pg, partner=PartnerAgency.POLICE, due=date(2025, 8, 1), factor=fa["Fe"])
    _gap(a, plan, fa["Ff"])

    # A3: authorised in May (intra-familial); its one factor was withdrawn.
    assessment = assessment_services.assessment_start(
        actor=a, young_person=p["A3"], started_on=date(2025, 5, 4)
    )
    withdrawn = assessment_services.contextual_factor_add(
        actor=a,
        assessment=assessment,
        domain=school,
        description="Recorded against the wrong case.",
    )
    assessment_services.contextual_factor_withdraw(actor=a, factor=withdrawn)
    assessment = assessment_services.assessment_complete(
        actor=a,
        assessment=assessment,
        completed_on=date(2025, 5, 25),
        conclusion="Harm is within the family.",
        outcome_nature=intra,
        decision=AssessmentDecision.CHILD_IN_NEED,
        cin_factor_codes=["21"],
    )
    assessment_services.assessment_authorise(
        actor=a,
        assessment=assessment,
        authorised_on=date(2025, 5, 30),
        reason="The evidence supports the conclusion and the decision",
    )

    # B1: authorised in June; the plan answered both factors, was in force, then ended.
    _, made = _assessment(
        b,
        p["B1"],
        started=date(2025, 6, 2),
        completed=date(2025, 6, 10),
        authorised=date(2025, 6, 12),
        outcome=extra,
        factors=[("Fg", pg), ("Fh", online)],
    )
    fa.update(made)
    plan = d.plans["P3"] = _plan(b, p["B1"], date(2025, 6, 13))
    _action(b, plan, kind=pg, partner=PartnerAgency.POLICE, due=date(2025, 8, 10), factor=fa["Fg"])
    _gap(b, plan, fa["Fh"])
    _in_force(b, plan, date(2025, 6, 15))
    plan_services.plan_end(
        actor=b, plan=plan, ended_on=date(2025, 7, 15), reason="Stepped down to early help."
    )

    # B3: authorised in June, outcome not yet known, no factors; a plan in force.
    _assessment(
        b,
        p["B3"],
        started=date(2025, 6, 3),
        completed=date(2025, 6, 18),
        authorised=date(2025, 6, 20),
        outcome=not_known,
    )
    plan = d.plans["P5"] = _plan(b, p["B3"], date(2025, 6, 21))
    _action(b, plan, kind=loc, partner=PartnerAgency.POLICE, due=date(2025, 9, 30))
    action = _action(b, plan, kind=school, partner=PartnerAgency.EDUCATION, due=date(2025, 9, 14))
    _progress(b, action, ActionProgress.IN_PROGRESS)
    _action(b, plan, kind=ContextKind.OTHER, partner=PartnerAgency.VOLUNTARY)  # no due date
    _in_force(b, plan, date(2025, 6, 25))

    # B2: completed in June but never authorised; its factor is not counted.
    _, made = _assessment(
        b,
        p["B2"],
        started=date(2025, 6, 1),
        completed=date(2025, 6, 25),
        authorised=None,
        outcome=extra,
        factors=[("Fi", loc)],
    )
    fa.update(made)

    # --- Relocations ------------------------------------------------------------------------
    yes, partly, no = (
        PlanAddressesFactors.YES,
        PlanAddressesFactors.PARTLY,
        PlanAddressesFactors.NO,
    )
    out, within = RelocationKind.OUT_OF_AREA, RelocationKind.WITHIN_AREA
    _move(a, p["A1"], date(2025, 5, 20), out, plan=d.plans["P1"], addresses=yes)
    _move(a, p["A1"], date(2025, 6, 25), within, plan=d.plans["P1"], addresses=partly)
    _move(a, p["A2"], date(2025, 6, 1), RelocationKind.SECURE, plan=d.plans["P2"], addresses=no)
    _move(a, p["A3"], date(2025, 3, 1), within)  # before the period
    _move(a, p["A4"], date(2025, 7, 10), out)  # after the period
    _move(b, p["B1"], date(2025, 4, 30), out)
    _move(b, p["B2"], date(2025, 5, 5), RelocationKind.OTHER)
    _move(b, p["B3"], date(2025, 6, 15), out, because=False)  # not because of EFH
    _move(b, p["B4"], date(2025, 4, 15), within)

    # --- Contexts ---------------------------------------------------------------------------
    c = d.contexts
    c["C1"] = _context(a, pg, date(2025, 4, 20), ["CCE"], area="Northbank")
    _link(a, c["C1"], p["A1"])
    _link(a, c["C1"], p["A2"])
    _context_action(a, c["C1"], PartnerAgency.POLICE, date(2025, 8, 1))
    _context_action(
        a, c["C1"], PartnerAgency.YOUTH_SERVICE, date(2025, 10, 10), ActionProgress.IN_PROGRESS
    )
    _context_action(
        a, c["C1"], PartnerAgency.EDUCATION, date(2025, 6, 1), ActionProgress.DONE, date(2025, 7, 1)
    )
    _context_action(a, c["C1"], PartnerAgency.OTHER, date(2025, 6, 1), ActionProgress.STOPPED)

    c["C2"] = _context(
        a, loc, date(2023, 6, 1), ["GANGS"], location_type=_location_type(park), postcode="NB1 2AA"
    )
    _link(a, c["C2"], p["A4"])
    ended = _link(a, c["C2"], p["A1"])
    link_services.context_link_end(actor=a, link=ended, reason="Moved away from the area.")
    _context_action(
        a, c["C2"], PartnerAgency.COMMUNITY_SAFETY, date(2025, 6, 1), ActionProgress.IN_PROGRESS
    )
    _context_action(a, c["C2"], PartnerAgency.POLICE, date(2025, 12, 1))

    c["C3"] = _context(b, school, date(2025, 5, 10), ["EXPLOITATION"], label="Northbank Academy")
    _link(b, c["C3"], p["B1"])
    _context_action(b, c["C3"], PartnerAgency.EDUCATION, date(2025, 7, 1))
    _close_context(b, c["C3"], date(2025, 6, 15), LinkEndRule.END)

    c["C4"] = _context(b, online, date(2024, 8, 1), ["CSE"], label="Chat app")
    _link(b, c["C4"], p["B2"])
    _link(b, c["C4"], p["B1"])
    _context_action(b, c["C4"], PartnerAgency.ONLINE_PLATFORM, date(2025, 9, 30))
    _close_context(b, c["C4"], date(2025, 5, 1), LinkEndRule.KEEP)
    context_services.context_reopen(
        actor=b, context=c["C4"], on=date(2025, 7, 1), reason="New concerns on the platform."
    )

    c["C5"] = _context(
        a, ContextKind.OTHER, date(2025, 1, 10), label="Youth club", area="Riverside"
    )

    c["C6"] = _context(b, pg, date(2025, 8, 20), ["GANGS"], area="Southgate")
    _link(b, c["C6"], p["B3"])
    _link(a, c["C6"], p["A1"])  # A1 is in two peer groups: counted once for the kind
    _context_action(
        b, c["C6"], PartnerAgency.POLICE, date(2025, 9, 10), ActionProgress.DONE, date(2025, 9, 12)
    )

    c["C7"] = _context(
        a,
        loc,
        date(2024, 1, 5),
        ["CCE"],
        location_type=_location_type("Stairwell or communal area"),
        postcode="NB2 3DD",
    )
    _link(a, c["C7"], p["A3"])
    _context_action(a, c["C7"], PartnerAgency.POLICE, date(2025, 1, 1))
    _close_context(a, c["C7"], date(2024, 12, 1), LinkEndRule.KEEP)

    # --- Cases closed: A3 before END (not open on END), A4 after it (open on END) -----------
    _close_case(clock, a, p["A3"], date(2025, 6, 10))
    _close_case(clock, a, p["A4"], date(2025, 7, 20))
    for key in p:
        p[key].refresh_from_db()
    return d


def build_bulk(*, manager_a, manager_b, count: int) -> None:
    """``count`` more young people, each with a referral and locations, current and archived
    flags of both natures, an authorised assessment with factors, a plan in force with
    contextual actions, relocations, and a context of their own with links and actions: rows
    for every measure, to show that the number of queries does not grow with them."""
    kinds = [ContextKind.PEER_GROUP, ContextKind.SCHOOL, ContextKind.ONLINE, ContextKind.OTHER]
    cce, da, gangs = _type("CCE"), _type("DA"), _type("GANGS")
    park = _location_type("Park or open space")
    for i in range(count):
        manager = manager_a if i % 2 == 0 else manager_b
        day = date(2025, 4 + i % 3, 1 + i % 28)
        person = case_services.young_person_create(
            actor=manager,
            first_name=f"Bulkfirst{i}",
            last_name=f"Bulklast{i}",
            date_of_birth=date(2010, 1, 1),
        )
        case_services.referral_record(
            actor=manager,
            young_person=person,
            received_on=day,
            source=ReferralSource.SCHOOLS,
            reason="Concerns at school.",
            nature_of_harm=[NatureOfHarm.EXTRA_FAMILIAL, NatureOfHarm.NOT_YET_KNOWN][i % 2],
            decision=ReferralDecision.ASSESSMENT,
            locations=[
                case_services.LocationInput(location_type=park, postcode=f"NB{4 + i % 5} 1AA"),
                case_services.LocationInput(location_type=park, place_name="Playing fields"),
            ],
        )
        for harm_type in (cce, da):
            case_services.harm_flag_raise(
                actor=manager,
                young_person=person,
                harm_type=harm_type,
                identified_at=IdentifiedAt.REFERRAL,
                identified_on=day,
            )
        archived = case_services.harm_flag_raise(
            actor=manager,
            young_person=person,
            harm_type=gangs,
            identified_at=IdentifiedAt.OTHER,
            identified_on=day,
        )
        case_services.harm_flag_archive(
            actor=manager,
            flag=archived,
            reason=[ArchiveReason.NEVER, ArchiveReason.ERROR][i % 2],
            rationale="Assessed.",
        )
        _, made = _assessment(
            manager,
            person,
            started=day,
            completed=day,
            authorised=day,
            outcome=NatureOfHarm.BOTH,
            factors=[("peer", ContextKind.PEER_GROUP), ("online", ContextKind.ONLINE)],
        )
        plan = _plan(manager, person, day)
        _action(
            manager,
            plan,
            kind=ContextKind.PEER_GROUP,
            partner=PartnerAgency.POLICE,
            due=date(2025, 8, 1),
            factor=made["peer"],
        )
        _gap(manager, plan, made["online"])
        _in_force(manager, plan, day)
        _move(manager, person, day, RelocationKind.OUT_OF_AREA, plan=plan, addresses="yes")
        _move(manager, person, day, RelocationKind.SECURE)
        kind = kinds[i % len(kinds)]
        context = _context(
            manager,
            kind,
            day,
            ["CCE"],
            label=f"Bulk place {i}",
            area=f"Bulk area {i}",
        )
        _link(manager, context, person)
        _context_action(manager, context, PartnerAgency.POLICE, date(2025, 8, 1))
        _context_action(
            manager, context, PartnerAgency.HEALTH, date(2025, 8, 1), ActionProgress.IN_PROGRESS
        )
        if i % 4 == 3:
            _close_context(manager, context, date(2025, 7, 1), LinkEndRule.END)


@dataclass(frozen=True)
class Cast:
    manager_a: object
    manager_b: object
    service_manager: object
    administrator: object


def make_cast() -> Cast:
    """Team A and Team B with a team manager each, a service manager and an administrator, as
    tests/conftest.py makes them, for fixtures wider than one test (which cannot use those)."""
    from csafe.accounts.models import Role
    from tests.factories import TeamFactory, UserFactory

    team_a, team_b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    return Cast(
        manager_a=UserFactory(username="manager", role=Role.TEAM_MANAGER, team=team_a),
        manager_b=UserFactory(username="othermgr", role=Role.TEAM_MANAGER, team=team_b),
        service_manager=UserFactory(username="servicemgr", role=Role.SERVICE_MANAGER),
        administrator=UserFactory(username="admin", role=Role.ADMINISTRATOR),
    )


def load_defaults() -> None:
    """The default taxonomy, location types and naming conventions, in case a test that commits
    has flushed what the migrations loaded (tests/conftest.py puts it back after each such test)."""
    from cases.defaults import load_default_location_types
    from contexts.defaults import load_default_conventions
    from contexts.models import ContextConfiguration, NamingConvention
    from harms.defaults import load_default_taxonomy

    load_default_taxonomy(HarmType, HarmType.history.model)
    load_default_location_types(LocationType)
    load_default_conventions(NamingConvention, ContextConfiguration)
