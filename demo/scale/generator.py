"""The generator behind ``manage.py load_scale_data``: invented records at a chosen scale.

Shapes, chosen to look like a council's case load rather than uniform noise:
* about 1 in 3 young people came to the service in the last 24 months; most open cases are
  among them (about 45% of those are still open, 8% of those from two to five years ago, 1%
  of older ones), so a practitioner holds 15 to 20 open cases;
* each young person has 1 to 12 harm flags (about 5 on average), drawn without repeats from
  a profile (mostly extra-familial, mostly intra-familial, or mixed), so harms co-occur; closed
  cases' flags are nearly all archived, a third of open cases' flags are;
* one referral at first contact, a second for about half; assessments follow referrals that
  asked for one; plans follow authorised assessments; notes are denser in the last 24 months;
* contexts are opened over ten years (most older ones closed); young people with
  extra-familial flags are linked to contexts open around their time with the service (peer
  groups more often), so links per context are uneven.
Every row that the services would give a history row or an audit event gets one here too.
"""

from __future__ import annotations

import bisect
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import (
    Allocation,
    Assessment,
    AssessmentFactor,
    CaseNote,
    ContextualFactor,
    LocationOfHarm,
    LocationType,
    Plan,
    PlanAction,
    PlanReview,
    Referral,
    Relocation,
    YoungPerson,
    YoungPersonGroupObjectPermission,
    YoungPersonUserObjectPermission,
)
from cases.models.core import Ethnicity
from contexts.models import (
    Context,
    ContextLink,
    ContextPlanAction,
    ContextRecord,
    ContextStatusChange,
)
from csafe.accounts import services as account_services
from csafe.accounts.models import Role, Team, User
from csafe.audit.models import Event, EventKind, RecordAccess
from harms.models import HarmFlag, HarmType
from harms.models import Nature as HarmNature

from .. import synthetic_names
from . import STAFF_PASSWORD, Scale
from .copy import BulkWriter

YEARS = 10
CHUNK = 5_000
RECENT_DAYS = 730

# The demo's names and streets (csafe/core/synthetic_names.py) and more, for 200,000 people.
FIRST = [
    *synthetic_names.FIRST,
    *[
        "Orla",
        "Bilal",
        "Freya",
        "Dante",
        "Maryam",
        "Seren",
        "Kai",
        "Lola",
        "Ibrahim",
        "Thea",
        "Rory",
        "Ayesha",
        "Finley",
        "Skye",
        "Yusuf",
        "Mollie",
        "Ezra",
        "Halima",
        "Logan",
        "Jada",
        "Ravi",
        "Elodie",
        "Marcus",
        "Nadia",
        "Tobias",
        "Amelie",
        "Corey",
        "Farah",
        "Jude",
        "Iris",
        "Reece",
        "Hana",
    ],
]
LAST = [
    *synthetic_names.LAST,
    *[
        "Pryce",
        "Banerjee",
        "Holloway",
        "Kaczmarek",
        "Ellwood",
        "Asante",
        "Merriman",
        "Chowdhury",
        "Fairbairn",
        "Oyelaran",
        "Gallagher",
        "Stanhope",
        "Nkemelu",
        "Rutherford",
        "Szabo",
        "Blackwood",
        "Mahmood",
        "Dempsey",
        "Ogunleye",
        "Radcliffe",
        "Petrov",
        "Whitfield",
        "Amadi",
        "Kingsley",
        "Sorensen",
        "Hussain",
        "Ashworth",
        "Danjuma",
        "Penrose",
        "Wojcik",
    ],
]
STREETS = [
    *synthetic_names.STREETS,
    *["Ropewalk", "Chapel Fold", "Quarry Hill", "Linden Grove", "Weavers Yard", "Cobden Terrace"],
]
AREAS = [
    "Northbridge Central",
    "Eastgate",
    "Kilnfield",
    "Marsh End",
    "Highcross",
    "Riverside",
    "Castle Ward",
    "Brookvale",
    "Saltmoor",
    "Ferry Fields",
    "Greyfriars",
    "Ashby Park",
]
SCHOOLS = [
    "Northbridge Academy",
    "Kilnfield High School",
    "Riverside College",
    "Eastgate Free School",
    "Highcross Pupil Referral Unit",
    "St Brigid's Catholic High",
    "Marsh End Studio School",
]
PLATFORMS = ["A messaging app", "A video-sharing platform", "A gaming chat server", "A photo app"]
PLACES = [
    "the skate park",
    "the underpass by the ring road",
    "the chicken shop on the parade",
    "the bus station",
    "the car park behind the leisure centre",
    "the flats' stairwell",
    "the canal towpath",
    "the retail park",
    "the playing fields",
    "the estate's garages",
]
REFERRAL_REASONS = (
    "Police found the young person in another town late at night with cash and two phones.",
    "School reports unexplained absences, new expensive clothes and older associates.",
    "Seen at A&E with a stab wound; would not say how it happened.",
    "Parent reports the young person going missing overnight three times this month.",
    "Concerns about images shared by peers in a group chat.",
    "Disclosure to a teacher of controlling behaviour by a boyfriend.",
    "Neighbour reports shouting and violence at the family home.",
    "Health visitor concerned about neglect of the home and younger siblings.",
    "Youth worker reports the young person carrying a weapon for protection.",
    "Found in a trap house during a police warrant.",
)
RATIONALES = (
    "Reviewed at the multi-agency meeting: no contact with the group for six months.",
    "Assessment found no evidence of this harm; concern came from a misread message.",
    "Entered against the wrong type; the correct type has been flagged.",
    "Young person has moved school and the associates are no longer around.",
)
NOTE_SUBJECTS = (
    "Home visit",
    "School visit",
    "Strategy discussion",
    "Phone call with parent",
    "Return home interview",
    "Meeting with youth worker",
    "Multi-agency meeting",
    "Direct work session",
)
NOTE_BODY = (
    "Talked about how things are going at school and with friends. Agreed to meet again next "
    "week. No new concerns raised; safety plan reviewed together."
)
CONCLUSION = (
    "Harm arises mainly outside the home, from peers and a place in the neighbourhood. "
    "Parents are protective but their capacity is undermined by what happens there."
)
FACTORS = {
    "peer_group": "Older peers recruiting younger children into running drugs.",
    "school": "Excluded from school; spends the school day unsupervised.",
    "location": "The park after dark is where the group meets and sells.",
    "online": "Contacted through a gaming chat by adults offering money.",
    "other": "Works cash-in-hand for a takeaway linked to the group.",
}
CONTEXT_TEXT = (
    "A group of young people meeting at the same places, with reports of robbery and "
    "exploitation by older associates."
)
SOURCES = (("6", 30), ("2A", 20), ("3E", 6), ("3F", 5), ("5D", 8), ("1A", 12), ("5A", 8))
SOURCES += (("4", 3), ("8", 4), ("9", 2), ("1C", 2))
ETHNICITIES = [
    (e, w)
    for e, w in zip(Ethnicity.values[:12], (45, 2, 1, 8, 1, 4, 2, 2, 3, 3, 3, 2), strict=True)
]
ETHNICITIES += [(e, 3) for e in Ethnicity.values[12:]]
PARTNERS = [
    "police",
    "education",
    "youth_service",
    "community_safety",
    "health",
    "housing",
    "transport",
]
PARTNERS += ["voluntary", "online_platform", "youth_justice", "business"]
CIN_DECISIONS = {"cin": "cin", "strategy": "cp", "looked_after": "looked_after"}


def _weighted(pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return lambda rng: rng.choices(values, weights)[0]


pick_source = _weighted(SOURCES)
pick_ethnicity = _weighted(ETHNICITIES)
pick_nature = _weighted(
    [("extra_familial", 40), ("intra_familial", 35), ("both", 10), ("not_known", 15)]
)
pick_referral_decision = _weighted(
    [("assessment", 40), ("strategy", 8), ("early_help", 20), ("advice", 17), ("nfa", 15)]
)
pick_assessment_decision = _weighted(
    [("cin", 35), ("early_help", 20), ("nfa", 20), ("strategy", 12), ("looked_after", 5)]
    + [("continue", 8)]
)
pick_flag_count = _weighted(
    [(1, 10), (2, 13), (3, 14), (4, 13), (5, 12), (6, 10), (7, 8), (8, 6), (9, 5), (10, 4)]
    + [(11, 3), (12, 2)]
)
pick_archive_reason = _weighted([("no_longer", 75), ("never", 18), ("error", 7)])
pick_link_count = _weighted([(0, 58), (1, 24), (2, 10), (3, 5), (4, 3)])
pick_context_kind = _weighted(
    [("peer_group", 40), ("location", 25), ("school", 20), ("online", 10), ("other", 5)]
)


def _moment(day: date, rng: random.Random) -> datetime:
    """A working-hours time on ``day`` (UTC; good enough for invented data)."""
    at = datetime.combine(day, dtime(8 + rng.randrange(10), rng.randrange(60)))
    return timezone.make_aware(at, timezone.get_current_timezone())


def _between(start: date, end: date, rng: random.Random) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _postcode(district: str, rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district} {rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Staff:
    teams: list[Team]
    managers: dict[int, int] = field(default_factory=dict)  # team id -> team manager id
    practitioners: dict[int, list[int]] = field(default_factory=dict)  # team id -> user ids
    turn: dict[int, int] = field(default_factory=dict)

    def next_practitioner(self, team_id: int, rng: random.Random) -> int:
        """Round the team's practitioners in turn, with a little noise, so caseloads even out."""
        people = self.practitioners[team_id]
        self.turn[team_id] = (self.turn.get(team_id, 0) + 1 + (rng.random() < 0.2)) % len(people)
        return people[self.turn[team_id]]


@dataclass
class OpenContext:
    id: int
    opened: date
    closed: date | None
    weight: int


class Generator:
    def __init__(
        self,
        scale: Scale,
        *,
        seed: int = 2026,
        report: Callable[[str], None] = print,
        check_foreign_keys: bool = False,
    ) -> None:
        self.scale = scale
        self.check_foreign_keys = check_foreign_keys
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
        self.report = report
        self.today = timezone.localdate()
        self.start = self.today - timedelta(days=365 * YEARS)
        self.w = BulkWriter()
        self.ct = {
            m: ContentType.objects.get_for_model(m).pk
            for m in (YoungPerson, Allocation, Referral, HarmFlag, Assessment, Plan, CaseNote)
        }

        for model in (Context, ContextLink):
            self.ct[model] = ContentType.objects.get_for_model(model).pk

    # -- the whole run ----------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        started = time.monotonic()

        with connection.cursor() as cursor:
            try:
                if self.check_foreign_keys:
                    raise PermissionError("asked to keep the foreign-key triggers")
                with transaction.atomic():
                    # Foreign keys are checked by construction here; skipping the per-row
                    # triggers makes the load several times faster. Needs a superuser.
                    cursor.execute("SET session_replication_role = replica")
                self.report("Foreign-key triggers off for the load (session_replication_role)")
            except Exception:  # noqa: BLE001 - not a superuser, or asked: triggers stay on
                self.report("Loading with foreign-key triggers on")
        self.perms = self._permission_ids()
        self.harm_types = list(HarmType.objects.filter(is_active=True).values("id", "nature"))
        self.location_types = list(LocationType.objects.values_list("id", flat=True))
        with transaction.atomic():
            self.staff = self._staff()
        self.report(f"Staff: {User.objects.count():,} accounts in {len(self.staff.teams)} teams")
        self.w.start_ids(
            YoungPerson,
            Allocation,
            Referral,
            LocationOfHarm,
            HarmFlag,
            Assessment,
            AssessmentFactor,
            ContextualFactor,
            Plan,
            PlanAction,
            PlanReview,
            Relocation,
            CaseNote,
            Event,
            RecordAccess,
            YoungPersonUserObjectPermission,
            YoungPersonGroupObjectPermission,
            Context,
            ContextLink,
            ContextRecord,
            ContextPlanAction,
            ContextStatusChange,
            Context.harm_types.through,
        )
        with transaction.atomic():
            self.contexts = self._contexts()
            self.w.flush()
        self.report(f"Contexts: {self.scale.contexts:,}")
        total = self.scale.young_people
        done = 0
        while done < total:
            n = min(CHUNK, total - done)
            with transaction.atomic():
                for _ in range(n):
                    self._young_person()
                self.w.flush()
            done += n
            elapsed = time.monotonic() - started
            self.report(f"Young people: {done:,}/{total:,} ({done * 100 // total}%) {elapsed:.0f}s")
        self.w.reset_sequences()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            # VACUUM sets the visibility map, so index-only scans work as they would on a
            # database autovacuum has been keeping; it cannot run inside a transaction (tests).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.report(f"Vacuumed and analysed; done in {time.monotonic() - started:.0f}s")
        return dict(self.w.written)

    def _permission_ids(self) -> dict[str, int]:
        rows = Permission.objects.filter(
            content_type__app_label="cases",
            codename__in=["view_youngperson", "change_youngperson", "view_access_log"],
        )
        return {p.codename: p.pk for p in rows}

    # -- staff --------------------------------------------------------------------------------

    def _staff(self) -> Staff:
        rng = self.rng
        n_teams = max(2, self.scale.staff // 20)
        teams = []
        for i in range(n_teams):
            area = AREAS[i % len(AREAS)]
            name = f"{area} Adolescent Safeguarding {i // len(AREAS) + 1}"
            teams.append(account_services.team_create(actor=None, name=name))
        staff = Staff(teams=teams)
        password = make_password(STAFF_PASSWORD)
        service_managers = max(2, self.scale.staff // 100)
        administrators = max(1, self.scale.staff // 200)
        users = []
        for i in range(self.scale.staff):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if i < n_teams:
                role, team = Role.TEAM_MANAGER, teams[i]
            elif i < n_teams + service_managers:
                role, team = Role.SERVICE_MANAGER, None
            elif i < n_teams + service_managers + administrators:
                role, team = Role.ADMINISTRATOR, None
            else:
                role, team = Role.PRACTITIONER, teams[i % n_teams]
            username = f"{first}.{last}.{i + 1}".lower()
            users.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@northbridge.example",
                    password=password,
                    role=role,
                    team=team,
                    job_title=Role(role).label,
                    is_staff=role == Role.ADMINISTRATOR,
                )
            )
        users = User.objects.bulk_create(users, batch_size=1000)
        now = timezone.now()
        for user in users:
            values = {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}
            self.w.add_history(User, values, kind="+", at=now, by=None)
        self.w.flush()
        members = []
        devices = []
        for user in users:
            if user.role == Role.TEAM_MANAGER:
                staff.managers[user.team_id] = user.pk
                members.append(
                    User.groups.through(user_id=user.pk, group_id=user.team.managers_group_id)
                )
            elif user.role == Role.PRACTITIONER:
                staff.practitioners.setdefault(user.team_id, []).append(user.pk)
            if user.role != Role.PRACTITIONER:
                # Two-factor sign-in is required of these roles; the load test reads the key.
                devices.append(TOTPDevice(user=user, name="Authenticator app", confirmed=True))
        User.groups.through.objects.bulk_create(members)
        TOTPDevice.objects.bulk_create(devices)
        for team in teams:
            staff.practitioners.setdefault(team.pk, [staff.managers[team.pk]])
        return staff

    # -- contexts -----------------------------------------------------------------------------

    def _contexts(self) -> list[OpenContext]:

        rng, w = self.rng, self.w
        extra_types = [t["id"] for t in self.harm_types if t["nature"] == "extra_familial"]
        out = []
        for _ in range(self.scale.contexts):
            pk = w.next_id(Context)
            kind = pick_context_kind(rng)
            team = rng.choice(self.staff.teams)
            lead = self.staff.next_practitioner(team.pk, rng)
            opened = self.today - timedelta(days=int(365 * YEARS * rng.random() ** 1.3))
            area = rng.choice(AREAS)
            district = f"NB{AREAS.index(area) + 1}"
            postcode, label, location_type = "", "", None
            if kind == "location":
                location_type = rng.choice(self.location_types)
                postcode = _postcode(district, rng)
                name = f"{rng.choice(PLACES).capitalize()} – {postcode}"
            elif kind == "school":
                label = rng.choice(SCHOOLS)
                name = f"{label} – {opened:%Y-%m}"
            elif kind == "online":
                label = rng.choice(PLATFORMS)
                name = f"{label} – {area} – {opened:%Y-%m}"
            else:
                name = f"Group – {area} – {opened:%Y-%m}"
            age = (self.today - opened).days
            closed = None
            if rng.random() < (0.85 if age > 365 else 0.2):
                closed = _between(opened + timedelta(days=30), opened + timedelta(days=400), rng)
                closed = min(closed, self.today)
            opened_at = _moment(opened, rng)
            w.add_with_history(
                Context,
                {
                    "id": pk,
                    "kind": kind,
                    "name": name,
                    "normalised_name": _normalise(name),
                    "label": label,
                    "area": area,
                    "postcode": postcode,
                    "postcode_district": district if kind == "location" else "",
                    "location_type_id": location_type,
                    "opened_on": opened,
                    "incident": CONTEXT_TEXT,
                    "status": "closed" if closed else "open",
                    "lead_practitioner_id": lead,
                    "team_id": team.pk,
                    "plan_review_date": None if closed else self.today + timedelta(days=60),
                    "created_by_id": lead,
                    "created_at": opened_at,
                    "updated_at": opened_at,
                },
                at=opened_at,
                by=lead,
            )
            for harm_type in rng.sample(extra_types, k=min(len(extra_types), rng.randint(1, 3))):
                w.add(
                    Context.harm_types.through,
                    {
                        "id": w.next_id(Context.harm_types.through),
                        "context_id": pk,
                        "harmtype_id": harm_type,
                    },
                )
            self._event(EventKind.CONTEXT_OPENED, lead, Context, pk, opened_at)
            for n in range(rng.randint(1, 3)):
                held = _between(opened, closed or self.today, rng)
                w.add_with_history(
                    ContextRecord,
                    {
                        "id": w.next_id(ContextRecord),
                        "context_id": pk,
                        "kind": "assessment" if n == 0 else "meeting",
                        "held_on": held,
                        "functioning": "Members look out for each other; some carry weapons.",
                        "guardianship": "No capable guardians in the evenings.",
                        "environment": "Poorly lit, out of sight of the road.",
                        "weighting": "guardianship",
                        "weighting_reason": "Safety rises fastest if someone is watching.",
                        "recorded_by_id": lead,
                        "created_at": _moment(held, rng),
                    },
                    at=_moment(held, rng),
                    by=lead,
                )
            for _ in range(rng.randint(2, 4)):
                due = _between(opened + timedelta(days=14), opened + timedelta(days=200), rng)
                progress = "done" if closed else rng.choice(["not_started", "in_progress", "done"])
                done_on = min(due, closed or self.today) if progress == "done" else None
                w.add_with_history(
                    ContextPlanAction,
                    {
                        "id": w.next_id(ContextPlanAction),
                        "context_id": pk,
                        "side": rng.choice(["functioning", "guardianship", "environment"]),
                        "description": "Detached youth work at the meeting place on Fridays.",
                        "partner_agency": rng.choice(PARTNERS),
                        "owner": "Youth service lead",
                        "due_date": due,
                        "progress": progress,
                        "completed_on": done_on,
                        "created_by_id": lead,
                        "created_at": opened_at,
                        "updated_at": opened_at,
                    },
                    at=opened_at,
                    by=lead,
                )
            if closed:
                closed_at = _moment(closed, rng)
                w.add_with_history(
                    ContextStatusChange,
                    {
                        "id": w.next_id(ContextStatusChange),
                        "context_id": pk,
                        "action": "closed",
                        "on": closed,
                        "reason": "Safety increased: the group no longer meets there.",
                        "functioning_change": "Fewer members; no weapons seen.",
                        "guardianship_change": "Park wardens patrol in the evenings.",
                        "environment_change": "Lighting installed; hedges cut back.",
                        "links_rule": "end",
                        "by_id": lead,
                        "created_at": closed_at,
                    },
                    at=closed_at,
                    by=lead,
                )
                self._event(EventKind.CONTEXT_CLOSED, lead, Context, pk, closed_at)
            out.append(OpenContext(pk, opened, closed, 2 if kind == "peer_group" else 1))
        out.sort(key=lambda c: c.opened)
        self._context_days = [c.opened for c in out]
        return out

    # -- one young person and their record ----------------------------------------------------

    def _event(self, kind, actor, model, target_id, at, young_person=None, detail=None) -> None:
        self.w.add(
            Event,
            {
                "id": self.w.next_id(Event),
                "kind": kind.value,
                "actor_id": actor,
                "target_type_id": self.ct[model],
                "target_id": str(target_id),
                "young_person_id": young_person,
                "detail": detail or {},
                "occurred_at": at,
            },
        )

    def _young_person(self) -> None:
        rng, w, today = self.rng, self.w, self.today
        pk = w.next_id(YoungPerson)
        contact = today - timedelta(days=int(365 * YEARS * rng.random() ** 1.3))
        age = (today - contact).days
        open_chance = 0.45 if age < RECENT_DAYS else 0.08 if age < 5 * 365 else 0.01
        is_open = rng.random() < open_chance
        closed_on = None
        if not is_open:
            closed_on = _between(contact + timedelta(days=30), contact + timedelta(days=700), rng)
            closed_on = min(closed_on, today - timedelta(days=1))
            if closed_on < contact:
                closed_on = contact
        end = closed_on or today
        team = rng.choice(self.staff.teams)
        manager = self.staff.managers[team.pk]
        worker = self.staff.next_practitioner(team.pk, rng)
        born = contact - timedelta(days=rng.randint(10 * 365, 17 * 365 + 300))
        area = rng.randrange(len(AREAS))
        created = _moment(contact, rng)
        yp = {
            "id": pk,
            "local_identifier": f"SYN{pk:07d}",
            "first_name": rng.choice(FIRST),
            "last_name": rng.choice(LAST),
            "date_of_birth": born,
            "sex": rng.choices("FMU", [48, 48, 4])[0],
            "ethnicity": pick_ethnicity(rng),
            "address_line_1": f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            "town": "Northbridge",
            "postcode": _postcode(f"NB{area + 1}", rng),
            "status": "open",
            "team_id": team.pk,
            "created_at": created,
            "updated_at": created,
        }
        w.add_history(YoungPerson, yp, kind="+", at=created, by=manager)
        self._event(EventKind.YOUNG_PERSON_CREATED, manager, YoungPerson, pk, created, pk)
        if closed_on:
            closed_at = _moment(closed_on, rng)
            yp = {**yp, "status": "closed", "closed_on": closed_on, "updated_at": closed_at}
            w.add_history(YoungPerson, yp, kind="~", at=closed_at, by=worker, reason="Closed")
            self._event(
                EventKind.YOUNG_PERSON_STATUS_CHANGED,
                worker,
                YoungPerson,
                pk,
                closed_at,
                pk,
                {"status": "closed", "reason": "Plan goals met; safety increased."},
            )
        w.add(YoungPerson, yp)
        self._allocations(pk, team.pk, manager, worker, contact, closed_on)
        referrals = self._referrals(pk, team.pk, worker, contact, end)
        flags = self._flags(pk, worker, manager, referrals, contact, end, is_open)
        self._pathway(pk, worker, manager, referrals, flags, is_open, end)
        self._notes_and_views(pk, worker, contact, end, is_open)
        if any(nature == "extra_familial" for _, nature in flags):
            self._links(pk, worker, contact, closed_on)

    def _allocations(self, pk, team, manager, worker, contact, closed_on) -> None:
        rng, w = self.rng, self.w
        started = _moment(contact, rng)
        alloc = {"id": w.next_id(Allocation), "young_person_id": pk, "kind": "team"}
        alloc |= {"team_id": team, "started_at": started, "started_by_id": manager}
        w.add_with_history(Allocation, alloc, at=started, by=manager)
        self._event(
            EventKind.TEAM_ALLOCATED, manager, Allocation, alloc["id"], started, pk, {"team": team}
        )
        for codename in ("view_youngperson", "change_youngperson", "view_access_log"):
            w.add(
                YoungPersonGroupObjectPermission,
                {
                    "id": w.next_id(YoungPersonGroupObjectPermission),
                    "permission_id": self.perms[codename],
                    "group_id": self._group_of(team),
                    "content_object_id": pk,
                },
            )
        start = contact
        if closed_on is None and (self.today - contact).days > 365 and rng.random() < 0.3:
            # An earlier worker, ended when the case moved to the current one.
            previous = self.staff.next_practitioner(team, rng)
            if previous != worker:
                moved = _between(contact + timedelta(days=60), self.today, rng)
                self._allocation(pk, previous, manager, contact, moved, "Worker changed")
                start = moved
        self._allocation(pk, worker, manager, start, closed_on, "Case closed")

    def _allocation(self, pk, worker, manager, start, end, reason) -> None:
        rng, w = self.rng, self.w
        started = _moment(start, rng)
        values = {"id": w.next_id(Allocation), "young_person_id": pk, "kind": "worker"}
        values |= {"worker_id": worker, "started_at": started, "started_by_id": manager}
        w.add_history(Allocation, values, kind="+", at=started, by=manager)
        self._event(
            EventKind.WORKER_ALLOCATED,
            manager,
            Allocation,
            values["id"],
            started,
            pk,
            {"worker": worker},
        )
        if end is not None:
            ended = max(_moment(end, rng), started)
            values |= {"ended_at": ended, "ended_by_id": manager, "end_reason": reason}
            w.add_history(Allocation, values, kind="~", at=ended, by=manager)
            self._event(
                EventKind.WORKER_DEALLOCATED,
                manager,
                Allocation,
                values["id"],
                ended,
                pk,
                {"worker": worker, "reason": reason},
            )
        else:
            for codename in ("view_youngperson", "change_youngperson"):
                w.add(
                    YoungPersonUserObjectPermission,
                    {
                        "id": w.next_id(YoungPersonUserObjectPermission),
                        "permission_id": self.perms[codename],
                        "user_id": worker,
                        "content_object_id": pk,
                    },
                )
        w.add(Allocation, values)

    def _group_of(self, team_id: int) -> int:
        groups = getattr(self, "_groups", None)
        if groups is None:
            groups = self._groups = {t.pk: t.managers_group_id for t in self.staff.teams}
        return groups[team_id]

    def _referrals(self, pk, team, worker, contact, end) -> list[dict]:
        rng, w = self.rng, self.w
        ratio = self.scale.referrals / self.scale.young_people - 1
        days = [contact]
        if rng.random() < ratio:
            days.append(_between(contact + timedelta(days=20), end, rng))
        out = []
        for day in sorted(days):
            at = _moment(day, rng) + timedelta(hours=1)
            nature = pick_nature(rng)
            referral = {
                "id": w.next_id(Referral),
                "young_person_id": pk,
                "received_on": day,
                "source": pick_source(rng),
                "reason": rng.choice(REFERRAL_REASONS),
                "nature_of_harm": nature,
                "decision": pick_referral_decision(rng),
                "recorded_by_id": worker,
                "created_at": at,
            }
            w.add_with_history(Referral, referral, at=at, by=worker)
            self._event(EventKind.REFERRAL_RECORDED, worker, Referral, referral["id"], at, pk)
            if nature in ("extra_familial", "both") and rng.random() < 0.5:
                for _ in range(rng.choice((1, 1, 1, 2))):
                    district = f"NB{rng.randrange(len(AREAS)) + 1}"
                    w.add_with_history(
                        LocationOfHarm,
                        {
                            "id": w.next_id(LocationOfHarm),
                            "referral_id": referral["id"],
                            "young_person_id": pk,
                            "location_type_id": rng.choice(self.location_types),
                            "postcode": _postcode(district, rng),
                            "postcode_district": district,
                            "place_name": rng.choice(PLACES),
                        },
                        at=at,
                        by=worker,
                    )
            out.append(referral)
        return out

    def _flags(self, pk, worker, manager, referrals, contact, end, is_open) -> list[tuple]:
        rng, w = self.rng, self.w
        profile = rng.random()
        wants = "extra_familial" if profile < 0.6 else "intra_familial" if profile < 0.85 else ""
        weights = [
            4 if not wants or t["nature"] == wants or t["nature"] == "either" else 1
            for t in self.harm_types
        ]
        k = min(pick_flag_count(rng), len(self.harm_types))
        chosen: dict[int, dict] = {}
        while len(chosen) < k:
            t = rng.choices(self.harm_types, weights)[0]
            chosen[t["id"]] = t
        out = []
        for t in chosen.values():
            nature = t["nature"]
            if nature == HarmNature.EITHER:
                nature = rng.choice(["extra_familial", "intra_familial"])
            where = rng.choices(["referral", "assessment", "review", "other"], [50, 30, 15, 5])[0]
            referral = None
            if where == "referral":
                referral = rng.choice(referrals)
                on = referral["received_on"]
            else:
                on = _between(contact, end, rng)
            at = _moment(on, rng) + timedelta(hours=2)
            flag = {
                "id": w.next_id(HarmFlag),
                "young_person_id": pk,
                "harm_type_id": t["id"],
                "nature": nature,
                "identified_at": where,
                "identified_on": on,
                "raised_by_id": worker,
                "referral_id": referral["id"] if referral else None,
                "status": "active",
                "created_at": at,
            }
            w.add_history(HarmFlag, flag, kind="+", at=at, by=worker)
            self._event(
                EventKind.FLAG_RAISED,
                worker,
                HarmFlag,
                flag["id"],
                at,
                pk,
                {"harm_type": t["id"], "nature": nature},
            )
            if rng.random() < (0.33 if is_open else 0.95):
                archived = _between(on, end, rng)
                reason = pick_archive_reason(rng)
                archived_at = max(_moment(archived, rng), at)
                rationale = rng.choice(RATIONALES)
                flag |= {"status": "archived", "archived_at": archived_at, "archived_by_id": worker}
                flag |= {"archive_reason": reason, "archive_rationale": rationale}
                w.add_history(HarmFlag, flag, kind="~", at=archived_at, by=worker)
                self._event(
                    EventKind.FLAG_ARCHIVED,
                    worker,
                    HarmFlag,
                    flag["id"],
                    archived_at,
                    pk,
                    {"harm_type": t["id"], "reason": reason, "rationale": rationale},
                )
            else:
                days = rng.randint(-30, 180)
                flag["review_date"] = self.today + timedelta(days=days)
            w.add(HarmFlag, flag)
            out.append((flag, nature))
        return [(f["harm_type_id"], n) for f, n in out]

    def _pathway(self, pk, worker, manager, referrals, flags, is_open, end) -> None:
        """Assessments after referrals that asked for one, their factors, plans after them."""
        rng, w, today = self.rng, self.w, self.today
        codes = [c for c in self._cin_codes(flags)]
        current_plan_kinds: set[str] = set()
        for referral in referrals:
            if referral["decision"] not in ("assessment", "strategy"):
                continue
            started = referral["received_on"] + timedelta(days=rng.randint(0, 5))
            if started > today:
                continue
            completed = started + timedelta(days=rng.randint(10, 45))
            authorised = completed + timedelta(days=rng.randint(1, 7))
            if completed > end:
                completed = authorised = None
            elif authorised > today:
                authorised = None
            nature = referral["nature_of_harm"]
            outcome = nature if nature != "not_known" else rng.choice(["extra_familial", "both"])
            decision = pick_assessment_decision(rng)
            at = _moment(started, rng)
            values = {
                "id": w.next_id(Assessment),
                "young_person_id": pk,
                "referral_id": referral["id"],
                "started_on": started,
                "peers": "Spends time with an older group from another estate.",
                "school": "Attendance has fallen to half days.",
                "neighbourhood": "The park and the parade are where the group meets.",
                "recorded_by_id": worker,
                "created_at": at,
                "updated_at": at,
            }
            w.add_history(Assessment, values, kind="+", at=at, by=worker)
            self._event(EventKind.ASSESSMENT_STARTED, worker, Assessment, values["id"], at, pk)
            factor_ids = []
            if outcome in ("extra_familial", "both"):
                for domain in rng.sample(list(FACTORS), k=rng.randint(1, 3)):
                    factor_ids.append(w.next_id(ContextualFactor))
                    w.add_with_history(
                        ContextualFactor,
                        {
                            "id": factor_ids[-1],
                            "assessment_id": values["id"],
                            "young_person_id": pk,
                            "domain": domain,
                            "description": FACTORS[domain],
                            "recorded_by_id": worker,
                            "created_at": at,
                        },
                        at=at,
                        by=worker,
                    )
            if completed:
                done_at = _moment(completed, rng)
                values |= {"completed_on": completed, "outcome_nature": outcome}
                values |= {"decision": decision, "conclusion": CONCLUSION, "updated_at": done_at}
                for code in rng.sample(codes, k=min(len(codes), rng.randint(1, 3))):
                    w.add_with_history(
                        AssessmentFactor,
                        {
                            "id": w.next_id(AssessmentFactor),
                            "assessment_id": values["id"],
                            "code": code,
                        },
                        at=done_at,
                        by=worker,
                    )
                w.add_history(Assessment, values, kind="~", at=done_at, by=worker)
                self._event(
                    EventKind.ASSESSMENT_COMPLETED, worker, Assessment, values["id"], done_at, pk
                )
            if authorised:
                signed_at = _moment(authorised, rng)
                values |= {"authorised_on": authorised, "authorised_by_id": manager}
                values["updated_at"] = signed_at
                w.add_history(Assessment, values, kind="~", at=signed_at, by=manager)
                self._event(
                    EventKind.ASSESSMENT_AUTHORISED,
                    manager,
                    Assessment,
                    values["id"],
                    signed_at,
                    pk,
                )
            w.add(Assessment, values)
            kind = CIN_DECISIONS.get(decision)
            if authorised and kind:
                self._plan(pk, worker, values, kind, factor_ids, is_open, end, current_plan_kinds)
        if flags and any(n == "extra_familial" for _, n in flags) and rng.random() < 0.04:
            moved = _between(end - timedelta(days=365), end, rng)
            w.add_with_history(
                Relocation,
                {
                    "id": w.next_id(Relocation),
                    "young_person_id": pk,
                    "moved_on": moved,
                    "kind": rng.choice(["out_of_area", "within_area", "within_area", "secure"]),
                    "destination": "Another council in the region",
                    "reason": "To break contact with the group exploiting them.",
                    "because_of_extra_familial_harm": rng.random() < 0.8,
                    "plan_addresses_factors": "no_plan",
                    "recorded_by_id": worker,
                    "created_at": _moment(moved, rng),
                },
                at=_moment(moved, rng),
                by=worker,
            )

    def _cin_codes(self, flags) -> list[str]:
        codes = getattr(self, "_codes", None)
        if codes is None:
            codes = self._codes = dict(HarmType.objects.values_list("id", "cin_code"))
        found = sorted({codes[t] for t, _ in flags if codes.get(t)})
        return found or ["21"]

    def _plan(self, pk, worker, assessment, kind, factor_ids, is_open, end, current) -> None:
        rng, w = self.rng, self.w
        start = assessment["authorised_on"]
        at = _moment(start, rng)
        stays = is_open and kind not in current and (self.today - start).days < 400
        plan = {
            "id": w.next_id(Plan),
            "young_person_id": pk,
            "assessment_id": assessment["id"],
            "kind": kind,
            "start_date": start,
            "review_date": start + timedelta(days=90),
            "summary": "Reduce contact with the group and make the park safer.",
            "status": "active",
            "finalised_on": start,
            "finalised_by_id": worker,
            "created_by_id": worker,
            "created_at": at,
            "updated_at": at,
        }
        if stays:
            current.add(kind)
        else:
            ended = _between(start + timedelta(days=30), max(end, start), rng)
            ended = max(min(ended, self.today), start)
            plan |= {"status": "ended", "ended_on": ended, "end_reason": "Goals met"}
        w.add_with_history(Plan, plan, at=at, by=worker)
        self._event(EventKind.PLAN_CREATED, worker, Plan, plan["id"], at, pk)
        self._event(EventKind.PLAN_FINALISED, worker, Plan, plan["id"], at, pk)
        for n in range(rng.randint(2, 4)):
            contextual = n < len(factor_ids) or rng.random() < 0.3
            due = start + timedelta(days=rng.randint(14, 120))
            progress = (
                rng.choice(["not_started", "in_progress", "done"])
                if stays
                else rng.choice(["done", "done", "stopped"])
            )
            w.add_with_history(
                PlanAction,
                {
                    "id": w.next_id(PlanAction),
                    "plan_id": plan["id"],
                    "young_person_id": pk,
                    "description": "Mentoring through the youth service twice a week.",
                    "is_contextual": contextual,
                    "target_context_kind": rng.choice(list(FACTORS)) if contextual else "",
                    "factor_id": factor_ids[n] if contextual and n < len(factor_ids) else None,
                    "partner_agency": rng.choice(PARTNERS) if contextual else "",
                    "owner": "Allocated social worker",
                    "due_date": due,
                    "progress": progress,
                    "completed_on": min(due, self.today) if progress == "done" else None,
                    "created_by_id": worker,
                    "created_at": at,
                    "updated_at": at,
                },
                at=at,
                by=worker,
            )
        if stays:
            reviewed = start
            for _ in range(rng.randint(0, 3)):
                reviewed = reviewed + timedelta(days=rng.randint(60, 100))
                if reviewed > self.today:
                    break
                w.add_with_history(
                    PlanReview,
                    {
                        "id": w.next_id(PlanReview),
                        "plan_id": plan["id"],
                        "reviewed_on": reviewed,
                        "next_review_date": reviewed + timedelta(days=90),
                        "summary": "Some progress; attendance up, still seen with the group.",
                        "reviewed_by_id": worker,
                        "created_at": _moment(reviewed, rng),
                    },
                    at=_moment(reviewed, rng),
                    by=worker,
                )

    def _notes_and_views(self, pk, worker, contact, end, is_open) -> None:
        rng, w = self.rng, self.w
        since = max(contact, self.today - timedelta(days=RECENT_DAYS)) if is_open else contact
        for _ in range(rng.randint(4, 20) if is_open else rng.randint(0, 2)):
            on = _between(since, end, rng)
            at = _moment(on, rng) + timedelta(hours=1)
            note = {
                "id": w.next_id(CaseNote),
                "young_person_id": pk,
                "noted_on": on,
                "subject": rng.choice(NOTE_SUBJECTS),
                "body": NOTE_BODY,
                "author_id": worker,
                "created_at": at,
            }
            w.add_with_history(CaseNote, note, at=at, by=worker)
            self._event(EventKind.CASE_NOTE_ADDED, worker, CaseNote, note["id"], at, pk)
        for _ in range(rng.randint(4, 12) if is_open else rng.randint(0, 1)):
            w.add(
                RecordAccess,
                {
                    "id": w.next_id(RecordAccess),
                    "young_person_id": pk,
                    "user_id": worker,
                    "channel": "page",
                    "resource": f"/young-people/{pk}/",
                    "accessed_at": _moment(_between(since, end, rng), rng),
                },
            )

    def _links(self, pk, worker, contact, closed_on) -> None:

        rng, w = self.rng, self.w
        wanted = pick_link_count(rng)
        if not wanted:
            return
        end = closed_on or self.today
        lo = bisect.bisect_left(self._context_days, contact - timedelta(days=365))
        hi = bisect.bisect_right(self._context_days, end)
        window = self.contexts[lo:hi]
        window = [c for c in window if c.closed is None or c.closed >= contact]
        if not window:
            return
        seen = set()
        for _ in range(wanted):
            context = rng.choices(window, [c.weight for c in window])[0]
            if context.id in seen:
                continue
            seen.add(context.id)
            linked = _between(max(contact, context.opened), min(end, context.closed or end), rng)
            linked_at = _moment(linked, rng)
            link = {
                "id": w.next_id(ContextLink),
                "context_id": context.id,
                "young_person_id": pk,
                "reason": "Seen with the group at the same places; named in the same incidents.",
                "linked_by_id": worker,
                "linked_at": linked_at,
            }
            w.add_history(ContextLink, link, kind="+", at=linked_at, by=worker)
            self._event(
                EventKind.CONTEXT_LINKED,
                worker,
                ContextLink,
                link["id"],
                linked_at,
                pk,
                {"context": context.id},
            )
            ends = [d for d in (context.closed, closed_on) if d is not None]
            if ends:
                ended_at = max(_moment(min(ends), rng), linked_at)
                link |= {"ended_at": ended_at, "ended_by_id": worker}
                link["end_reason"] = "Context closed" if context.closed else "Case closed"
                w.add_history(ContextLink, link, kind="~", at=ended_at, by=worker)
                self._event(
                    EventKind.CONTEXT_LINK_ENDED,
                    worker,
                    ContextLink,
                    link["id"],
                    ended_at,
                    pk,
                    {"context": context.id},
                )
            w.add(ContextLink, link)
