"""Build the demo: teams, one login per role, a few hundred invented young people with their
referrals, assessments, plans, relocations and notes, and context records with their links.

Idempotent: run it again and it adds nothing that is already there. Every person here is invented;
names are drawn at random from short lists of common first and last names and combined by a seeded
generator, addresses are in the fictional borough of Northbridge (postcode area NB), and dates of
birth are random. Writes go through the services, so history, events and permissions are real.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cases import services as case_services
from cases.models import Ethnicity, LocationType, Referral, Sex, YoungPerson
from csafe.accounts import permissions as role_permissions
from csafe.accounts import services as account_services
from csafe.accounts import two_factor
from csafe.accounts.models import Role, Team, User
from demo.contexts import add_contexts
from demo.pathway import add_pathway
from demo.synthetic_names import FIRST, LAST, STREETS
from harms.models import HarmType

TEAMS = [
    ("Adolescent Safeguarding North", "Extra-familial harm work in the north of the borough"),
    ("Adolescent Safeguarding South", "Extra-familial harm work in the south of the borough"),
    ("Early Help East", "Early help for families in the east of the borough"),
]
STAFF = [
    # username, first, last, role, team index or None, job title
    ("practitioner", "Priya", "Halden", Role.PRACTITIONER, 0, "Social worker"),
    ("practitioner2", "Marcus", "Feld", Role.PRACTITIONER, 0, "Senior social worker"),
    ("practitioner3", "Joanne", "Ridley", Role.PRACTITIONER, 1, "Social worker"),
    ("practitioner4", "Sam", "Okoro", Role.PRACTITIONER, 1, "Youth worker"),
    ("practitioner5", "Helen", "Vasquez", Role.PRACTITIONER, 2, "Early help practitioner"),
    ("teammanager", "Grace", "Aldous", Role.TEAM_MANAGER, 0, "Team manager"),
    ("teammanager2", "Daniel", "Moyo", Role.TEAM_MANAGER, 1, "Team manager"),
    ("teammanager3", "Fiona", "Kerr", Role.TEAM_MANAGER, 2, "Team manager"),
    ("servicemanager", "Robert", "Ainsley", Role.SERVICE_MANAGER, None, "Head of service"),
    ("administrator", "Lena", "Brooks", Role.ADMINISTRATOR, None, "Systems administrator"),
]
DEMO_PASSWORD_DEFAULT = "csafe-demo-password"
EXTRA_FAMILIAL_DEMO = [
    "Child criminal exploitation, including county lines",
    "Child criminal exploitation, including county lines",
    "Child sexual exploitation",
    "Serious youth violence",
    "Going missing",
    "Peer-on-peer physical abuse",
    "Peer-on-peer sexual abuse",
    "Teenage relationship abuse",
    "Online harm",
    "Gangs",
    "Trafficking and modern slavery",
    "Radicalisation",
]
INTRA_FAMILIAL_DEMO = [
    "Domestic abuse in the home",
    "Neglect",
    "Parental mental health",
    "Parental drug misuse",
    "Emotional abuse",
]
REFERRAL_REASONS = [
    "Found by police in a flat linked to drug supply with older young people.",
    "Missing from home overnight; returned with new clothes and a second phone.",
    "School reports injuries consistent with a fight near the bus station.",
    "Disclosed to a school nurse that an older boyfriend controls her phone.",
    "A&E attendance with a stab wound; would not say how it happened.",
    "Seen by youth workers at a party at the home of an adult unknown to the family.",
    "Concerns about messages from an online contact asking to meet.",
    "Mother reports domestic abuse at home and that her son is out late every night.",
]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXY"  # the letters a postcode's inward code may use


class Command(BaseCommand):
    help = "Load invented demonstration data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--young-people", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, young_people: int, seed: int, **options):
        if not settings.DEMO_DATA:
            self.stderr.write("Refusing to load demo data: CSAFE_DEMO_DATA is off for this site.")
            raise SystemExit(1)
        password = getattr(settings, "CSAFE_DEMO_PASSWORD", "") or DEMO_PASSWORD_DEFAULT
        rng = random.Random(seed)  # noqa: S311 - reproducible invented data, not security
        # The allocation e-mails of hundreds of invented cases are not worth printing.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            teams = self._teams()
            staff = self._staff(teams, password)
            created = self._young_people(rng, teams, staff, young_people)
            # Their own generator, so adding contexts does not change the young people drawn.
            contexts = add_contexts(
                random.Random(seed + 1),  # noqa: S311 - reproducible invented data
                staff=staff,
                today=timezone.localdate(),
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({created} young people and {contexts} contexts added)."
            )
        )
        self.stdout.write(f"\nDemo logins (password for all: {password}):")
        for username, first, last, role, team_index, _ in STAFF:
            team = f", {TEAMS[team_index][0]}" if team_index is not None else ""
            self.stdout.write(f"  {username:<16} {first} {last}: {role.label}{team}")
        self._two_factor(staff)

    def _two_factor(self, staff: dict[str, User]) -> None:
        """Managers and administrators must use two-factor sign-in: switch it on for their demo
        logins and print every recovery code each account still holds (invented, demo-only), so
        the count the account page shows ("9 recovery codes left") matches what was printed."""
        self.stdout.write(
            "\nTeam managers, service managers and the administrator use two-factor sign-in."
            "\nAfter the password, enter one of these recovery codes (each works once). Then set"
            "\nup an authenticator app from 'Your account' if you want to use one instead."
            "\nEvery unused code each account holds is shown:"
        )
        for username, user in staff.items():
            if role_permissions.requires_two_factor(user):
                codes = two_factor.two_factor_demo_enrol(user=user)
                self.stdout.write(f"  {username:<16} {' '.join(codes)} ({len(codes)} codes)")

    def _teams(self) -> list[Team]:
        teams = []
        for name, description in TEAMS:
            team = Team.objects.filter(name=name).first()
            if team is None:
                team = account_services.team_create(actor=None, name=name, description=description)
            teams.append(team)
        return teams

    def _staff(self, teams: list[Team], password: str) -> dict[str, User]:
        staff = {}
        for username, first, last, role, team_index, title in STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = account_services.user_create(
                    actor=None,
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@northbridge.example",
                    role=role,
                    team=teams[team_index] if team_index is not None else None,
                    job_title=title,
                    phone=f"01632 96{len(staff):04d}",  # Ofcom's drama range: never a real line
                )
                # Invented demo logins get the printed demo password (refused off the demo).
                account_services.user_demo_password_set(user=user, password=password)
            staff[username] = user
        return staff

    def _flags(self, rng, young_person, actor, today) -> Referral:
        """A referral in the last 24 months with its locations of harm and the flags it raised:
        mostly extra-familial, often with an intra-familial harm alongside; some flags later
        archived (including "never a concern"), and some reviews overdue."""
        types = {t.name: t for t in HarmType.objects.filter(is_active=True)}
        places = list(LocationType.objects.filter(is_active=True))
        received_on = today - timedelta(days=rng.randint(0, 730))
        flagged = rng.random() < 0.75
        extra = rng.sample(EXTRA_FAMILIAL_DEMO, k=rng.choice([1, 1, 1, 2, 2, 3])) if flagged else []
        intra = rng.sample(INTRA_FAMILIAL_DEMO, k=1) if flagged and rng.random() < 0.3 else []
        names = [n for n in dict.fromkeys(extra + intra) if n in types]  # the list repeats CCE
        nature = "both" if extra and intra else "extra_familial" if extra else "not_known"
        locations = [
            case_services.LocationInput(
                location_type=rng.choice(places),
                postcode=f"NB{rng.randint(1, 9)} {rng.randint(1, 9)}"
                + "".join(rng.choice(INWARD_LETTERS) for _ in range(2)),
            )
            for _ in range(rng.choice([0, 1, 1, 2]) if extra else 0)
        ]
        outcome = case_services.referral_record(
            actor=actor,
            young_person=young_person,
            received_on=received_on,
            source=rng.choice(["6", "6", "2A", "5A", "3E", "1A", "5D"]),
            reason=rng.choice(REFERRAL_REASONS),
            nature_of_harm=nature,
            decision=rng.choice(["assessment", "assessment", "strategy", "early_help", "nfa"]),
            harms=[case_services.HarmInput(harm_type=types[n]) for n in names],
            locations=locations,
        )
        for flag in outcome.flags_raised:
            if rng.random() < 0.6:
                case_services.harm_flag_review(
                    actor=actor,
                    flag=flag,
                    next_review_date=today + timedelta(days=rng.choice([14, 28, 56, 90])),
                    note="Reviewed at supervision; the concern continues.",
                )
            roll = rng.random()
            if roll < 0.1:
                case_services.harm_flag_archive(
                    actor=actor,
                    flag=flag,
                    reason="never",
                    rationale="Assessment found no evidence of this harm.",
                )
            elif roll < 0.2:
                case_services.harm_flag_archive(
                    actor=actor,
                    flag=flag,
                    reason="no_longer",
                    rationale="Safety plan completed and the concern has not recurred.",
                )
        return outcome.referral

    def _young_people(self, rng, teams, staff, count: int) -> int:
        today = timezone.localdate()
        by_team = {team.pk: [u for u in staff.values() if u.team_id == team.pk] for team in teams}
        created = 0
        for index in range(count):
            local_id = f"NB{index + 1:06d}"
            # Draw every value even when the record exists, so the sequence stays stable.
            first, last = rng.choice(FIRST), rng.choice(LAST)
            age_days = rng.randint(10 * 365, 18 * 365 - 30)
            team = teams[index % len(teams)]
            workers = by_team[team.pk]
            manager = next(u for u in workers if u.role == Role.TEAM_MANAGER)
            practitioners = [u for u in workers if u.role == Role.PRACTITIONER]
            worker = rng.choice(practitioners)
            sex = rng.choice([Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.FEMALE, Sex.UNKNOWN])
            ethnicity = rng.choice(list(Ethnicity.values))
            street = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
            unit = "".join(rng.choice(INWARD_LETTERS) for _ in range(2))
            postcode = f"NB{rng.randint(1, 9)} {rng.randint(1, 9)}{unit}"
            closed = rng.random() < 0.15
            if YoungPerson.objects.filter(local_identifier=local_id).exists():
                continue
            with transaction.atomic():
                young_person = case_services.young_person_create(
                    actor=manager,
                    local_identifier=local_id,
                    first_name=first,
                    last_name=last,
                    date_of_birth=today - timedelta(days=age_days),
                    sex=sex,
                    ethnicity=ethnicity,
                    address_line_1=street,
                    town="Northbridge",
                    postcode=postcode,
                )
                allocated = rng.random() < 0.9
                if allocated:
                    case_services.young_person_allocate_worker(
                        actor=manager, young_person=young_person, worker=worker
                    )
                holder = worker if allocated else manager
                referral = self._flags(rng, young_person, holder, today)
                add_pathway(rng, referral=referral, worker=holder, manager=manager, today=today)
                if closed:
                    case_services.young_person_set_status(
                        actor=manager,
                        young_person=young_person,
                        status="closed",
                        reason="Plan ended: safety increased",
                    )
            created += 1
        return created
