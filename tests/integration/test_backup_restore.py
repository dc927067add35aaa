"""Backup and restore round trip: scripts/backup.sh on a seeded database and its
files, scripts/restore.sh into a new database and new folders, and every row and every file found
again, unchanged.

Seeded through the services: a young person with a referral (and its location of harm), harm
flags, an authorised assessment, a case note, two documents, a context with a link, and a finished
export. Compared table by table (every table in the schema, not only the models'): the same row
count and the same digest of the rows' text; the same sequence positions, so new rows after a
restore do not collide; and the same SHA-256 for every document and export file.

PostgreSQL only (the scripts use pg_dump and pg_restore); skipped on SQLite. Transactional, since
pg_dump reads the database through its own connection and sees only committed rows.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cases import files
from cases import services as case_services
from cases.models import Document, LocationType
from cases.services import assessments, documents, notes
from contexts.linking.services import context_link_young_person
from contexts.models import ContextLink
from csafe.exports import registry
from csafe.exports.models import ExportJob, ExportStatus
from csafe.exports.registry import ExportSource
from csafe.exports.services import export_start
from harms.models import HarmFlag, HarmType
from reporting.exports.access import sees_every_young_person
from tests.contexts.work_support import open_context_for_test

pytestmark = [
    pytest.mark.postgres(reason="backup and restore use pg_dump and pg_restore"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
TEXT_BYTES = b"School report for the strategy meeting\nAttendance 88%\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"


def _write_ids(user, params, out, progress):
    writer = csv.writer(out)
    writer.writerow(["young_person"])
    writer.writerow([params["young_person_id"]])
    progress(1)
    return [params["young_person_id"]]


ONE_ROW = ExportSource(
    key="test-backup-one-row",
    title="One row",
    content_type="text/csv",
    extension="csv",
    holds_personal_data=True,
    validate=lambda user, params: None,
    count=lambda user, params: 1,
    write=_write_ids,
    filename=lambda params: "one-row",
    may_hold=sees_every_young_person,
)


def _url(name: str) -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    return (
        f"postgres://{user}:{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or '5432'}/{name}"
    )


def _run(script: str, argument: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(ROOT / "scripts" / script), str(argument)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return result


TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
)
SEQUENCES = (
    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
    "ORDER BY sequencename"
)


def snapshot(cursor) -> dict:
    """Every table's row count and a digest of its rows, and every sequence's position."""
    cursor.execute(TABLES)
    tables = [row[0] for row in cursor.fetchall()]
    rows = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "  # noqa: S608
            f'FROM "{table}" t'
        )
        rows[table] = tuple(cursor.fetchone())
    cursor.execute(SEQUENCES)
    return {"rows": rows, "sequences": dict(cursor.fetchall())}


def sha256_of_folder(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CSAFE_EXPORT_ROOT = tmp_path / "exports"
    return tmp_path


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def seed(team_manager, practitioner, young_person, monkeypatch) -> None:
    cce = HarmType.objects.get(name="Child criminal exploitation, including county lines")
    case_services.referral_record(
        actor=practitioner,
        young_person=young_person,
        received_on=date(2025, 1, 6),
        source="2A",
        reason="Seen with older young people at the station late at night",
        nature_of_harm="extra_familial",
        decision="assessment",
        harms=[case_services.HarmInput(cce)],
        locations=[
            case_services.LocationInput(
                LocationType.objects.order_by("pk").first(), place_name="Station stairwell"
            )
        ],
    )
    case_services.harm_flag_raise(
        actor=practitioner,
        young_person=young_person,
        harm_type=HarmType.objects.filter(nature="extra_familial", is_active=True)
        .exclude(pk=cce.pk)
        .order_by("pk")
        .first(),
        identified_at="assessment",
        identified_on=date(2025, 1, 20),
        note="Raised at the assessment",
    )
    assessment = assessments.assessment_start(
        actor=practitioner,
        young_person=young_person,
        started_on=date(2025, 1, 10),
        peers="Spends evenings with an older group",
    )
    assessments.assessment_complete(
        actor=practitioner,
        assessment=assessment,
        completed_on=date(2025, 2, 3),
        conclusion="Extra-familial harm through the group at the station",
        outcome_nature="extra_familial",
        decision="cin",
        cin_factor_codes=["24A"],
    )
    assessments.assessment_authorise(
        actor=team_manager,
        assessment=assessment,
        authorised_on=date(2025, 2, 5),
        reason="The evidence supports the conclusion and the decision",
    )
    notes.case_note_add(
        actor=practitioner,
        young_person=young_person,
        noted_on=date(2025, 3, 25),
        subject="Home visit",
        body="Talked about the station and who she meets there.",
    )
    documents.document_upload(
        actor=practitioner,
        young_person=young_person,
        uploaded=SimpleUploadedFile("school report.txt", TEXT_BYTES),
        title="School report",
    )
    documents.document_upload(
        actor=practitioner,
        young_person=young_person,
        uploaded=SimpleUploadedFile("safety map.png", PNG_BYTES),
        title="Safety map",
    )
    context = open_context_for_test(lead=team_manager, area="Stationside")
    context_link_young_person(
        actor=practitioner,
        context=context,
        young_person=young_person,
        reason="Seen with the group at the station",
    )
    monkeypatch.setitem(registry._REGISTRY, ONE_ROW.key, ONE_ROW)
    # Run at once (tasks are eager in unit tests): a finished export with its file on disk.
    export_start(
        user=team_manager, source_key=ONE_ROW.key, params={"young_person_id": young_person.pk}
    )


def test_a_backup_restores_every_record_and_every_file(
    monkeypatch, folders, restored_database, team_manager, practitioner, young_person
):
    seed(team_manager, practitioner, young_person, monkeypatch)
    assert Document.objects.count() == 2
    assert HarmFlag.objects.count() == 2
    assert ContextLink.objects.count() == 1
    assert ExportJob.objects.get().status == ExportStatus.DONE

    backup = folders / "backup"
    _run(
        "backup.sh",
        backup,
        {
            "DATABASE_URL": _url(connection.settings_dict["NAME"]),
            "CSAFE_MEDIA_ROOT": str(folders / "media"),
            "CSAFE_EXPORT_ROOT": str(folders / "exports"),
        },
    )
    assert sorted(p.name for p in backup.iterdir()) == [
        "MANIFEST",
        "SHA256SUMS",
        "database.dump",
        "exports.tar",
        "media.tar",
    ]
    # Owner-only: the backup holds every child's record.
    assert {oct(p.stat().st_mode & 0o777) for p in backup.iterdir()} == {"0o600"}

    _run(
        "restore.sh",
        backup,
        {
            "DATABASE_URL": _url(restored_database),
            "CSAFE_MEDIA_ROOT": str(folders / "restored-media"),
            "CSAFE_EXPORT_ROOT": str(folders / "restored-exports"),
        },
    )

    with connection.cursor() as cursor:
        before = snapshot(cursor)
    db = connection.settings_dict
    with (
        psycopg.connect(
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or "5432",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname=restored_database,
        ) as restored,
        restored.cursor() as cursor,
    ):
        after = snapshot(cursor)

    # Every table of every model is there, and the seeded ones are not empty.
    from django.apps import apps

    model_tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    assert model_tables <= after["rows"].keys()
    for model in (Document, HarmFlag, ContextLink, ExportJob):
        assert after["rows"][model._meta.db_table][0] > 0
    assert after == before

    # Every document's bytes, checked against the digest its row recorded at upload.
    for document in Document.objects.all():
        restored_file = (
            folders
            / "restored-media"
            / files.path_for(document.stored_name).relative_to(folders / "media")
        )
        assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == document.sha256
    assert sha256_of_folder(folders / "restored-media") == sha256_of_folder(folders / "media")
    assert len(sha256_of_folder(folders / "media")) == 2
    assert sha256_of_folder(folders / "restored-exports") == sha256_of_folder(folders / "exports")
    assert list(sha256_of_folder(folders / "exports")) == [ExportJob.objects.get().stored_name]


def _restore_fails(backup: Path, database: str) -> str:
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore.sh"), str(backup)],
        env={**os.environ, "DATABASE_URL": _url(database)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    return result.stderr


def test_restore_refuses_a_database_in_use_and_a_damaged_backup(folders, restored_database):
    backup = folders / "backup"
    _run("backup.sh", backup, {"DATABASE_URL": _url(connection.settings_dict["NAME"])})
    # The test database itself: full of tables.
    in_use = _restore_fails(backup, connection.settings_dict["NAME"])
    assert "restore into a new, empty database" in in_use

    with (backup / "media.tar").open("ab") as tar:
        tar.write(b"\0")
    damaged = _restore_fails(backup, restored_database)
    assert "is damaged or incomplete (SHA256SUMS does not match)" in damaged
    # Nothing was restored.
    with psycopg.connect(_url(restored_database)) as restored, restored.cursor() as cursor:
        cursor.execute(TABLES)
        assert cursor.fetchall() == []
