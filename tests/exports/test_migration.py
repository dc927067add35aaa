"""Export jobs moved from reporting to csafe.exports without touching their table.

From the state before the move (reporting's 0002, no exports migration), rows made then are the
same rows after ``migrate``; the job's content type keeps its id under the exports label, so
whatever points at it follows; the census permission keeps its id, its name
(reporting.download_census_return) and its grants. And the move runs back the same way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from csafe.accounts.models import Role
from csafe.exports.models import ExportJob, ExportStatus
from reporting.models import CensusExport
from reporting.permissions import CENSUS_PERMISSION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reporting", "0002_census_download_permission"), ("exports", None)]
CENSUS_CODENAME = "download_census_return"


def migrate(targets=None):
    """Migrate the test database to ``targets`` (every app's latest when None) and return the
    models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    reached = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(reached).apps


@pytest.fixture
def before_the_move():
    """The database as the release before the move left it; migrated to the latest afterwards
    whatever the test did."""
    old = migrate(BEFORE)
    try:
        yield old
    finally:
        migrate()


def test_a_new_database_has_the_table_once_and_both_content_types():
    # What post_migrate made after the migrations, on the test database made from empty.
    job_type = ContentType.objects.get_for_model(ExportJob)
    assert (job_type.app_label, job_type.model) == ("exports", "exportjob")
    assert not ContentType.objects.filter(app_label="reporting", model="exportjob").exists()
    census = Permission.objects.get(codename=CENSUS_CODENAME)
    assert census.content_type == ContentType.objects.get_for_model(
        CensusExport, for_concrete_model=False
    )
    assert ExportJob._meta.db_table == "reporting_exportjob"
    assert "reporting_exportjob" in connection.introspection.table_names()


def test_rows_grants_and_references_made_before_the_move_survive_it(before_the_move):
    old_job_model = before_the_move.get_model("reporting", "ExportJob")
    manager = UserFactory(role=Role.TEAM_MANAGER)
    lead = UserFactory(role=Role.SERVICE_MANAGER)
    finished = timezone.now()
    done = old_job_model.objects.create(
        requested_by_id=manager.pk,
        source_key="drill",
        params={"measure": "referrals", "end": "2026-03-31"},
        status=ExportStatus.DONE,
        rows_total=2,
        rows_written=2,
        stored_name="ab" * 24,
        size=120,
        finished_at=finished,
        expires_at=finished + timedelta(hours=24),
        young_person_ids=[7, 9],
        attempts=1,
    )
    waiting = old_job_model.objects.create(requested_by_id=lead.pk, source_key="cin_census_csv")
    old_type = ContentType.objects.get(app_label="reporting", model="exportjob")
    census = Permission.objects.get(content_type=old_type, codename=CENSUS_CODENAME)
    lead.user_permissions.add(census)
    view_jobs = Permission.objects.get(content_type=old_type, codename="view_exportjob")
    logged = LogEntry.objects.create(
        user_id=lead.pk,
        content_type_id=old_type.pk,
        object_id=str(done.pk),
        object_repr="Export",
        action_flag=CHANGE,
    )

    migrate()

    fields = ("pk", "requested_by", "source_key", "params", "status", "stored_name")
    assert list(ExportJob.objects.order_by("pk").values_list(*fields, "young_person_ids")) == [
        (
            done.pk,
            manager.pk,
            "drill",
            {"measure": "referrals", "end": "2026-03-31"},
            "done",
            "ab" * 24,
            [7, 9],
        ),
        (waiting.pk, lead.pk, "cin_census_csv", {}, "queued", "", []),
    ]
    assert ExportJob.objects.get(pk=done.pk).expires_at == done.expires_at
    # The content type is the same row under the new label: what pointed at it still does.
    job_type = ContentType.objects.get_for_model(ExportJob)
    assert (job_type.pk, job_type.app_label) == (old_type.pk, "exports")
    assert not ContentType.objects.filter(app_label="reporting", model="exportjob").exists()
    assert LogEntry.objects.get(pk=logged.pk).content_type_id == job_type.pk
    assert Permission.objects.get(pk=view_jobs.pk).content_type_id == job_type.pk
    # The census permission is the same row, granted to the same people, under its old name.
    moved = Permission.objects.get(codename=CENSUS_CODENAME)
    assert moved.pk == census.pk
    assert moved.content_type == ContentType.objects.get_for_model(
        CensusExport, for_concrete_model=False
    )
    assert list(moved.user_set.values_list("pk", flat=True)) == [lead.pk]
    lead = type(lead).objects.get(pk=lead.pk)
    assert lead.has_perm(CENSUS_PERMISSION)
    # New jobs go on numbering after the old ones.
    assert ExportJob.objects.create(requested_by=manager, source_key="drill").pk > waiting.pk


def test_the_move_runs_back_to_where_it_began():
    lead = UserFactory(role=Role.SERVICE_MANAGER)
    census = Permission.objects.get(codename=CENSUS_CODENAME)
    lead.user_permissions.add(census)
    job_type = ContentType.objects.get_for_model(ExportJob)
    job = ExportJob.objects.create(requested_by=lead, source_key="cin_census_csv")

    try:
        old = migrate(BEFORE)

        back = ContentType.objects.get(pk=job_type.pk)
        assert (back.app_label, back.model) == ("reporting", "exportjob")
        assert Permission.objects.get(pk=census.pk).content_type_id == back.pk
        assert not ContentType.objects.filter(app_label="reporting", model="censusexport").exists()
        old_jobs = old.get_model("reporting", "ExportJob").objects
        assert list(old_jobs.values_list("pk", flat=True)) == [job.pk]
        assert type(lead).objects.get(pk=lead.pk).has_perm("reporting.download_census_return")
    finally:
        migrate()

    assert ContentType.objects.get_for_model(ExportJob).pk == job_type.pk
    assert type(lead).objects.get(pk=lead.pk).has_perm(CENSUS_PERMISSION)
