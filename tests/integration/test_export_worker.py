"""A long export run by a real Celery worker on Redis: the request only queues
it, the progress the page reads moves while the worker writes, and the finished file goes to the
person who asked, each young person in it logged on download.

Runs when REDIS_URL is set (CI sets it); skipped otherwise, unless CSAFE_REQUIRE_SERVICES is set,
in which case a missing Redis is a failure rather than a skip. Transactional, since the worker
thread has its own database connection: every service here commits, as in real use.
"""

from __future__ import annotations

import csv
import time

import pytest
from django.urls import reverse

from csafe.audit.models import AccessChannel, RecordAccess
from csafe.exports import registry
from csafe.exports.models import ExportJob, ExportStatus
from csafe.exports.registry import ExportSource
from csafe.exports.runner import PROGRESS_EVERY
from csafe.exports.services import export_request
from reporting.exports.access import sees_every_young_person
from tests.celery_worker import wait_for
from tests.factories import YoungPersonFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROWS = 6000


def _write(user, params, out, progress):
    ids = params["young_person_ids"]
    writer = csv.writer(out)
    writer.writerow(["row", "young_person"])
    for row in range(1, ROWS + 1):
        writer.writerow([row, ids[row % len(ids)]])
        progress(row)
        if row % 100 == 0:
            # Slow enough (about three seconds in all) for the progress to be seen moving.
            time.sleep(0.05)
    return list(ids)


SLOW_ROWS = ExportSource(
    key="test-slow-rows",
    title="Slow test rows",
    content_type="text/csv",
    extension="csv",
    holds_personal_data=True,
    validate=lambda user, params: None,
    count=lambda user, params: ROWS,
    write=_write,
    filename=lambda params: "slow-test-rows",
    may_hold=sees_every_young_person,
)


@pytest.fixture
def slow_source(monkeypatch, settings, tmp_path):
    monkeypatch.setitem(registry._REGISTRY, SLOW_ROWS.key, SLOW_ROWS)
    settings.CSAFE_EXPORT_ROOT = tmp_path / "exports"
    settings.CSAFE_EXPORT_INLINE_ROWS = 2000
    return tmp_path / "exports"


def test_a_long_export_runs_on_the_worker_with_progress(
    redis_worker, slow_source, client_for, team_manager, young_person
):
    second = YoungPersonFactory(actor=team_manager)
    ids = [young_person.pk, second.pk]
    client = client_for(team_manager)

    job = export_request(
        user=team_manager, source_key=SLOW_ROWS.key, params={"young_person_ids": ids}
    )
    assert isinstance(job, ExportJob)
    status_url = reverse("exports:export_job_status", args=[job.pk])

    seen: list[tuple[str, int]] = []

    def finished() -> bool:
        body = client.get(status_url).json()
        seen.append((body["status"], body["rows_written"]))
        return body["finished"]

    assert wait_for(finished, timeout=60), "the worker did not finish the export"

    running = [rows for status, rows in seen if status == "running"]
    moving = sorted({rows for rows in running if 0 < rows < ROWS})
    assert len(moving) >= 2, f"progress was not seen moving: {seen}"
    assert running == sorted(running), "progress went backwards"
    assert all(rows % PROGRESS_EVERY == 0 for rows in moving)
    assert seen[-1] == ("done", ROWS)

    job.refresh_from_db()
    assert (job.status, job.rows_total, job.attempts) == (ExportStatus.DONE, ROWS, 1)
    assert job.young_person_ids == sorted(ids)
    assert not RecordAccess.objects.exists()

    response = client.post(reverse("exports:export_download", args=[job.pk]))
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == ROWS + 1
    assert sorted(
        RecordAccess.objects.values_list("young_person", "channel", "resource")
    ) == sorted((pk, AccessChannel.EXPORT, f"export:{job.pk}") for pk in ids)
    assert [p.name for p in slow_source.iterdir()] == [job.stored_name]
