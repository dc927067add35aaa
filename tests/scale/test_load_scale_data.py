"""The scale-data generator (manage.py load_scale_data): its rows satisfy every constraint and
foreign key, carry history and audit events like the services' rows, give practitioners
caseloads they can open, and leave the sequences ready for the application's own inserts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cases import permissions
from cases.models import Allocation, CaseNote, Referral, YoungPerson
from contexts.models import Context, ContextLink
from csafe.accounts.models import Role, User
from csafe.audit.models import Event
from demo.scale import SCALES, STAFF_PASSWORD, Scale
from demo.scale.generator import Generator
from harms.models import HarmFlag
from tests.two_factor import verify_client

pytestmark = pytest.mark.django_db

TINY = Scale("tiny", young_people=150, referrals=225, flags=750, contexts=12, links=75, staff=40)
needs_postgres = pytest.mark.postgres(reason="the generator loads with PostgreSQL's COPY")


@pytest.fixture
def generated():
    out = []
    written = Generator(TINY, seed=7, report=out.append, check_foreign_keys=True).run()
    return written, out


@needs_postgres
def test_counts_follow_the_scale(generated):
    written, report = generated
    assert YoungPerson.objects.count() == TINY.young_people
    assert Context.objects.count() == TINY.contexts
    assert TINY.referrals * 0.8 < Referral.objects.count() < TINY.referrals * 1.2
    assert TINY.flags * 0.8 < HarmFlag.objects.count() < TINY.flags * 1.2
    assert 0 < ContextLink.objects.count() < TINY.links * 2
    assert written["cases_youngperson"] == TINY.young_people
    assert any("100%" in line for line in report)


@needs_postgres
def test_every_foreign_key_and_constraint_holds(generated):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred checks run now, or fail
    # Several active flags of different types, never two of one type (the unique index held).
    assert HarmFlag.objects.filter(status="active").count() > 0
    assert HarmFlag.objects.filter(status="archived").exclude(archive_rationale="").exists()


@needs_postgres
def test_history_and_events_match_the_rows(generated):
    flags = HarmFlag.objects.count()
    archived = HarmFlag.objects.filter(status="archived").count()
    assert HarmFlag.history.count() == flags + archived
    assert Event.objects.filter(kind="harm_flag.raised").count() == flags
    assert Event.objects.filter(kind="harm_flag.archived").count() == archived
    assert CaseNote.history.count() == CaseNote.objects.count()
    assert YoungPerson.history.filter(history_type="+").count() == TINY.young_people
    # Links are on the child's chronology, named by context id only.
    event = Event.objects.filter(kind="context.linked").first()
    assert event is not None and set(event.detail) == {"context"}


@needs_postgres
def test_open_cases_are_allocated_and_visible_to_their_worker(generated, client):
    active = Allocation.objects.filter(kind="worker", ended_at__isnull=True)
    assert active.exists()
    allocation = active.select_related("worker", "young_person").first()
    worker = allocation.worker
    assert worker.role == Role.PRACTITIONER
    assert worker.check_password(STAFF_PASSWORD)
    visible = permissions.young_people_visible_to(worker)
    assert allocation.young_person in visible
    assert set(visible.values_list("pk", flat=True)) == set(
        active.filter(worker=worker).values_list("young_person_id", flat=True)
    )
    client.force_login(worker)
    response = client.get(reverse("cases:detail", args=[allocation.young_person_id]))
    assert response.status_code == 200
    assert response.context["young_person"].pk == allocation.young_person_id
    assert (
        client.get(reverse("cases:chronology", args=[allocation.young_person_id])).status_code
        == 200
    )
    # A young person allocated to someone else is not found for this worker.
    other = YoungPerson.objects.exclude(pk__in=visible.values("pk")).first()
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 404


@needs_postgres
def test_managers_see_their_team_and_the_dashboard_counts(generated, client):
    manager = User.objects.filter(role=Role.TEAM_MANAGER).first()
    client.force_login(manager)
    verify_client(client, manager)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    team_people = YoungPerson.objects.filter(team=manager.team)
    assert set(permissions.young_people_visible_to(manager).values_list("pk", flat=True)) == set(
        team_people.values_list("pk", flat=True)
    )


@needs_postgres
def test_sequences_move_past_generated_ids(generated):
    user = User.objects.filter(role=Role.PRACTITIONER).first()
    note = CaseNote.objects.create(
        young_person=YoungPerson.objects.first(), noted_on="2026-01-05", subject="s", body="b",
        author=user,
    )  # fmt: skip
    assert note.pk > CaseNote.objects.exclude(pk=note.pk).order_by("-pk").first().pk


@needs_postgres
def test_refuses_a_database_with_young_people(generated):
    with pytest.raises(CommandError, match="already holds young people"):
        call_command("load_scale_data", "--scale", "small", stdout=StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
def test_refuses_sqlite():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("load_scale_data", stdout=StringIO())


def test_large_is_a_large_councils_ten_years():
    large = SCALES["large"]
    assert (large.young_people, large.referrals, large.flags) == (200_000, 300_000, 1_000_000)
    assert (large.contexts, large.links, large.staff) == (10_000, 100_000, 2_000)
