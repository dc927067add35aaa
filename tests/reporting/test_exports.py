"""Exports: short ones at once, long ones as a background job with progress,
whose file only the person who asked may download, for a limited time, with each download of
personal data written to the access log.

Two test-only sources stand in for the real ones: ``test-rows`` names young people (its params
say which), ``test-aggregate`` does not. Each writes ``rows`` synthetic CSV rows.
"""

from __future__ import annotations

import csv
import re
import stat
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import OperationalError
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from cases import services as case_services
from cases.permissions import young_people_visible_to
from csafe.audit.models import AccessChannel, RecordAccess
from csafe.core.errors import ApplicationError
from csafe.exports import registry, services
from csafe.exports.files import export_root
from csafe.exports.models import ExportJob, ExportStatus
from csafe.exports.registry import ExportSource
from csafe.exports.runner import MAX_ATTEMPTS, export_job_run, exports_expire
from csafe.exports.services import MAX_ACTIVE_JOBS_PER_USER, export_inline, export_start
from csafe.exports.tasks import run_export
from tests.cases.helpers import sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.html_pages import text_of

pytestmark = pytest.mark.django_db

INLINE_ROWS = 20
REFUSAL = "Choose a period of one year or less."
# Run after each row a source writes, to look at the job from outside while it runs.
ROW_HOOKS: list = []
# Raised by the source's write while it is not empty (each raise takes one off).
WRITE_FAILURES: list[BaseException] = []


def _validate(user, params):
    if params.get("refuse"):
        raise ApplicationError(REFUSAL)
    if user.pk in params.get("deny_users", []):
        raise PermissionDenied


def _count(user, params):
    return params["rows"]


def _write(user, params, out, progress):
    ids = params.get("young_person_ids", [])
    writer = csv.writer(out)
    writer.writerow(["row", "young_person"])
    for row in range(1, params["rows"] + 1):
        if WRITE_FAILURES and row == params.get("fail_at_row", 1):
            raise WRITE_FAILURES.pop(0)
        writer.writerow([row, ids[row % len(ids)] if ids else ""])
        progress(row)
        for hook in ROW_HOOKS:
            hook(row)
    return list(ids)


def _filename(params):
    return f"test-rows-{params['rows']}"


def _may_hold(user, young_person_ids):
    # As a source over the case records says it: each one a young person the user may see now.
    visible = young_people_visible_to(user).filter(pk__in=young_person_ids).count()
    return visible == len(young_person_ids)


PERSONAL = ExportSource(
    key="test-rows",
    title="Test rows of young people",
    content_type="text/csv",
    extension="csv",
    holds_personal_data=True,
    validate=_validate,
    count=_count,
    write=_write,
    filename=_filename,
    may_hold=_may_hold,
)
# Writes the same rows and (against the interface) hands back ids: still nothing is logged.
AGGREGATE = ExportSource(
    key="test-aggregate",
    title="Test aggregate table",
    content_type="text/csv",
    extension="csv",
    holds_personal_data=False,
    validate=_validate,
    count=_count,
    write=_write,
    filename=lambda params: "test-aggregate",
)


@pytest.fixture(autouse=True)
def export_sources(monkeypatch, settings, tmp_path):
    """The two test sources registered, a private export folder of this test's own, a small
    inline threshold."""
    monkeypatch.setitem(registry._REGISTRY, PERSONAL.key, PERSONAL)
    monkeypatch.setitem(registry._REGISTRY, AGGREGATE.key, AGGREGATE)
    settings.CSAFE_EXPORT_ROOT = tmp_path / "exports"
    settings.CSAFE_EXPORT_INLINE_ROWS = INLINE_ROWS
    settings.CSAFE_EXPORT_TTL_HOURS = 24
    ROW_HOOKS.clear()
    WRITE_FAILURES.clear()
    yield tmp_path / "exports"
    ROW_HOOKS.clear()
    WRITE_FAILURES.clear()


@pytest.fixture
def people(team_manager, young_person):
    second = YoungPersonFactory(actor=team_manager, first_name="Marisol", last_name="Thistlewood")
    return [young_person, second]


def run(user, *, source=PERSONAL.key, **params) -> ExportJob:
    """Start an export and run its task (eagerly, as the demo does) once the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = export_start(user=user, source_key=source, params=params)
    return ExportJob.objects.get(pk=job.pk)


def queue(user, *, source=PERSONAL.key, **params) -> ExportJob:
    """Start an export whose task has not run yet (the request has not committed)."""
    with TestCase.captureOnCommitCallbacks(execute=False):
        return export_start(user=user, source_key=source, params=params)


def job_url(job):
    return reverse("exports:export_job", args=[job.pk])


def status_url(job):
    return reverse("exports:export_job_status", args=[job.pk])


def download_url(job):
    return reverse("exports:export_download", args=[job.pk])


def list_url():
    return reverse("exports:export_list")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def export_request(user):
    request = RequestFactory().get("/reporting/drill/")
    # As the authentication middleware leaves it.
    request.user = SimpleLazyObject(lambda: user)
    return request


OTHERS = ["teammate", "other_team_manager", "service_manager", "administrator"]


# --- The registry -----------------------------------------------------------------------------


class TestRegistry:
    def test_a_source_is_found_by_its_key(self):
        assert registry.source("test-rows") is PERSONAL

    def test_an_unknown_key_is_a_lookup_error(self):
        with pytest.raises(LookupError, match="No export source is registered as 'nope'"):
            registry.source("nope")

    def test_two_sources_may_not_share_a_key(self):
        clash = ExportSource(**{**PERSONAL.__dict__, "write": lambda *args: []})
        with pytest.raises(ImproperlyConfigured, match="Two export sources use the key"):
            registry.register(clash)

    def test_registering_the_same_source_again_is_harmless(self):
        assert registry.register(PERSONAL) is PERSONAL
        assert registry.source("test-rows") is PERSONAL

    def test_a_source_of_personal_data_must_say_who_may_hold_it(self):
        with pytest.raises(ImproperlyConfigured, match="'test-rows' holds personal data"):
            ExportSource(**{**PERSONAL.__dict__, "may_hold": None})


# --- At once or as a job ----------------------------------------------------------------------


class TestInlineOrJob:
    def test_up_to_the_threshold_the_file_comes_at_once(self, team_manager, people):
        from csafe.exports.views import export_response

        ids = [p.pk for p in people]
        response = export_response(
            export_request(team_manager),
            "test-rows",
            {"rows": INLINE_ROWS, "young_person_ids": ids},
        )

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="test-rows-20.csv"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert "no-store" in response["Cache-Control"]
        rows = list(csv.reader(response.content.decode().splitlines()))
        assert rows[0] == ["row", "young_person"]
        assert len(rows) == INLINE_ROWS + 1
        assert not ExportJob.objects.exists()

    def test_over_the_threshold_a_job_is_queued_after_commit(
        self, team_manager, django_capture_on_commit_callbacks
    ):
        from csafe.exports.views import export_response

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = export_response(
                export_request(team_manager), "test-rows", {"rows": INLINE_ROWS + 1}
            )

        job = ExportJob.objects.get()
        assert (response.status_code, response["Location"]) == (302, job_url(job))
        # Nothing runs until the request's transaction commits.
        assert len(callbacks) == 1
        assert (job.status, job.rows_total, job.rows_written) == (ExportStatus.QUEUED, 21, 0)
        assert (job.requested_by, job.source_key) == (team_manager, "test-rows")
        assert job.params == {"rows": 21}
        assert job.stored_name == ""

    def test_an_inline_export_of_personal_data_logs_each_young_person_once(
        self, team_manager, people
    ):
        ids = [p.pk for p in people]
        result = export_inline(
            user=team_manager,
            source_key="test-rows",
            params={"rows": 5, "young_person_ids": ids + ids[:1]},
        )

        assert result.filename == "test-rows-5.csv"
        assert result.content_type == "text/csv"
        assert sorted(
            RecordAccess.objects.values_list("user", "young_person", "channel", "resource")
        ) == sorted(
            (team_manager.pk, pk, AccessChannel.EXPORT, "export:inline:test-rows") for pk in ids
        )

    def test_an_inline_export_without_personal_data_logs_nothing(self, team_manager, people):
        result = export_inline(
            user=team_manager,
            source_key="test-aggregate",
            params={"rows": 5, "young_person_ids": [p.pk for p in people]},
        )

        assert result.content.startswith("row,young_person\r\n")
        assert not RecordAccess.objects.exists()

    def test_the_sources_refusal_reaches_the_caller_and_nothing_is_made(self, team_manager):
        with pytest.raises(ApplicationError) as refused:
            services.export_request(
                user=team_manager, source_key="test-rows", params={"rows": 500, "refuse": True}
            )

        assert refused.value.message == REFUSAL
        assert not ExportJob.objects.exists()

    def test_params_must_be_json(self, team_manager):
        with pytest.raises(ValueError, match="JSON-serialisable"):
            export_start(
                user=team_manager, source_key="test-rows", params={"rows": 50, "x": object()}
            )

    def test_asking_again_while_the_job_waits_gives_the_same_job(
        self, team_manager, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            first = export_start(user=team_manager, source_key="test-rows", params={"rows": 50})
            again = export_start(user=team_manager, source_key="test-rows", params={"rows": 50})
            other = export_start(user=team_manager, source_key="test-rows", params={"rows": 51})

        assert again.pk == first.pk
        assert other.pk != first.pk
        assert ExportJob.objects.count() == 2

    def test_a_person_may_have_only_so_many_exports_waiting(
        self, team_manager, service_manager, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            for rows in range(50, 50 + MAX_ACTIVE_JOBS_PER_USER):
                export_start(user=team_manager, source_key="test-rows", params={"rows": rows})
            with pytest.raises(ApplicationError) as refused:
                export_start(user=team_manager, source_key="test-rows", params={"rows": 99})
            # Someone else is not held back by them.
            export_start(user=service_manager, source_key="test-rows", params={"rows": 99})

        assert refused.value.message == (
            "You already have 5 exports waiting or in progress. "
            "Wait for one to finish, then try again."
        )
        assert ExportJob.objects.filter(requested_by=team_manager).count() == 5


# --- Running a job ----------------------------------------------------------------------------


class TestRun:
    def test_a_job_writes_its_file_privately_and_records_what_it_holds(
        self, export_sources, team_manager, people
    ):
        ids = [p.pk for p in people]
        before = timezone.now()

        job = run(team_manager, rows=1234, young_person_ids=list(reversed(ids)))

        assert job.status == ExportStatus.DONE
        assert (job.rows_total, job.rows_written, job.attempts) == (1234, 1234, 1)
        assert job.young_person_ids == sorted(ids)
        assert before <= job.started_at <= job.finished_at
        assert job.expires_at == job.finished_at + timedelta(hours=24)
        assert job.error == ""
        assert re.fullmatch(r"[0-9a-f]{48}", job.stored_name)
        path = export_sources / job.stored_name
        assert [p.name for p in export_sources.iterdir()] == [job.stored_name]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(export_sources.stat().st_mode) == 0o700
        assert job.size == path.stat().st_size
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        assert len(rows) == 1235
        # Running a job is not looking at anybody's record: only downloads are logged.
        assert not RecordAccess.objects.exists()

    def test_a_source_without_personal_data_keeps_no_ids(self, team_manager, people):
        job = run(team_manager, source="test-aggregate", rows=30, young_person_ids=[people[0].pk])

        assert job.status == ExportStatus.DONE
        assert job.young_person_ids == []

    def test_progress_is_saved_every_500_rows_while_the_job_runs(self, team_manager, client_for):
        seen = []
        answers = []
        client = client_for(team_manager)

        def look(row):
            if row % 250 == 0:
                seen.append(ExportJob.objects.values_list("status", "rows_written").get())
            if row == 1750:
                answers.append(client.get(status_url(ExportJob.objects.get())).json())

        ROW_HOOKS.append(look)
        job = run(team_manager, rows=2000)

        assert seen == [
            ("running", 0),
            ("running", 500),
            ("running", 500),
            ("running", 1000),
            ("running", 1000),
            ("running", 1500),
            ("running", 1500),
            ("running", 2000),
        ]
        assert answers == [
            {
                "status": "running",
                "status_label": "In progress",
                "finished": False,
                "rows_written": 1500,
                "rows_total": 2000,
                "percent": 75,
            }
        ]
        assert (job.status, job.rows_written) == (ExportStatus.DONE, 2000)

    def test_a_finished_job_run_again_is_left_alone(self, team_manager):
        job = run(team_manager, rows=40)
        content = (export_root() / job.stored_name).read_bytes()

        assert export_job_run(job_id=job.pk) == ExportStatus.DONE
        run_export.delay(job.pk)

        again = ExportJob.objects.get(pk=job.pk)
        assert (again.stored_name, again.finished_at, again.attempts) == (
            job.stored_name,
            job.finished_at,
            1,
        )
        assert (export_root() / job.stored_name).read_bytes() == content

    def test_a_job_left_running_by_a_dead_worker_starts_again_from_the_top(
        self, export_sources, team_manager
    ):
        job = queue(team_manager, rows=1200, fail_at_row=700)
        # The worker dies part-way (nothing in the task catches SystemExit): the row stays
        # "running" and a part-written file stays behind.
        WRITE_FAILURES.append(SystemExit())
        with pytest.raises(SystemExit):
            export_job_run(job_id=job.pk)
        crashed = ExportJob.objects.get(pk=job.pk)
        assert (crashed.status, crashed.rows_written, crashed.attempts) == ("running", 500, 1)
        assert [p.name for p in export_sources.iterdir()] == [crashed.stored_name]

        # The broker hands the message to another worker.
        assert run_export.delay(job.pk).get() == ExportStatus.DONE

        done = ExportJob.objects.get(pk=job.pk)
        assert (done.status, done.rows_written, done.attempts) == ("done", 1200, 2)
        assert done.stored_name != crashed.stored_name
        assert [p.name for p in export_sources.iterdir()] == [done.stored_name]
        lines = (export_sources / done.stored_name).read_text().splitlines()
        assert len(lines) == 1201
        assert lines[1] == "1,"

    def test_a_run_that_was_superseded_stops_and_removes_only_its_own_file(
        self, export_sources, team_manager
    ):
        job = queue(team_manager, rows=1000)

        def another_worker_takes_over(row):
            if row == 600:
                ExportJob.objects.filter(pk=job.pk).update(stored_name="ab" * 24)

        ROW_HOOKS.append(another_worker_takes_over)

        assert export_job_run(job_id=job.pk) == ExportStatus.RUNNING
        assert list(export_sources.iterdir()) == []
        assert ExportJob.objects.get(pk=job.pk).stored_name == "ab" * 24

    def test_an_unexpected_error_fails_the_job_with_a_plain_message(
        self, export_sources, team_manager, caplog
    ):
        WRITE_FAILURES.append(ValueError("Zephyrine Quillfeather has no postcode"))

        job = run(team_manager, rows=800, fail_at_row=600)

        assert job.status == ExportStatus.FAILED
        assert job.error == (
            "The export could not be finished. Start it again, and if it fails again tell "
            "your system administrator."
        )
        assert job.finished_at is not None
        assert (job.stored_name, job.young_person_ids) == ("", [])
        assert list(export_sources.iterdir()) == []
        assert f"Export job {job.pk} failed" in caplog.text

    def test_a_refusal_from_the_source_at_run_time_is_shown_as_it_is(self, team_manager):
        job = queue(team_manager, rows=300)
        # Refused when it runs, say because the rules changed since it was asked for.
        ExportJob.objects.filter(pk=job.pk).update(params={"rows": 300, "refuse": True})

        assert export_job_run(job_id=job.pk) == ExportStatus.FAILED

        failed = ExportJob.objects.get(pk=job.pk)
        assert (failed.status, failed.error) == (ExportStatus.FAILED, REFUSAL)

    def test_access_lost_before_the_job_ran_fails_it(self, team_manager):
        job = queue(team_manager, rows=300)
        ExportJob.objects.filter(pk=job.pk).update(
            params={"rows": 300, "deny_users": [team_manager.pk]}
        )

        assert export_job_run(job_id=job.pk) == ExportStatus.FAILED

        failed = ExportJob.objects.get(pk=job.pk)
        assert failed.error == "You no longer have access to the records in this export."

    @pytest.fixture
    def eager_retries(self):
        """Eager tasks retry in-process only when their errors are not raised to the caller."""
        conf = run_export.app.conf
        previous = conf.task_eager_propagates
        conf.task_eager_propagates = False
        yield
        conf.task_eager_propagates = previous

    def test_a_passing_database_error_is_retried(self, export_sources, team_manager, eager_retries):
        WRITE_FAILURES.extend(
            [OperationalError("server closed the connection"), OperationalError()]
        )

        job = run(team_manager, rows=900, fail_at_row=550)

        assert (job.status, job.rows_written, job.attempts) == (ExportStatus.DONE, 900, 3)
        assert [p.name for p in export_sources.iterdir()] == [job.stored_name]

    def test_a_database_error_that_does_not_pass_fails_the_job_in_the_end(
        self, export_sources, team_manager, eager_retries
    ):
        WRITE_FAILURES.extend([OperationalError("down")] * 10)

        job = run(team_manager, rows=900)

        assert job.status == ExportStatus.FAILED
        assert job.attempts == run_export.max_retries + 1
        assert job.error.startswith("The export could not be finished.")
        assert list(export_sources.iterdir()) == []

    def test_a_job_that_keeps_killing_its_worker_is_given_up(self, team_manager):
        job = queue(team_manager, rows=100)
        WRITE_FAILURES.extend([SystemExit()] * MAX_ATTEMPTS)
        for _ in range(MAX_ATTEMPTS):
            with pytest.raises(SystemExit):
                export_job_run(job_id=job.pk)

        assert export_job_run(job_id=job.pk) == ExportStatus.FAILED
        assert ExportJob.objects.get(pk=job.pk).attempts == MAX_ATTEMPTS

    def test_a_missing_job_is_nothing_to_do(self):
        assert export_job_run(job_id=987654) is None


# --- Downloading ------------------------------------------------------------------------------


class TestDownload:
    def test_the_requester_gets_the_file_and_each_young_person_is_logged(
        self, client_for, team_manager, people
    ):
        ids = [p.pk for p in people]
        job = run(team_manager, rows=60, young_person_ids=ids)

        response = client_for(team_manager).post(download_url(job))

        assert response.status_code == 200
        assert body_of(response) == (export_root() / job.stored_name).read_bytes()
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="test-rows-60.csv"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert "no-store" in response["Cache-Control"]
        assert sorted(
            RecordAccess.objects.values_list("user", "young_person", "channel", "resource")
        ) == sorted((team_manager.pk, pk, AccessChannel.EXPORT, f"export:{job.pk}") for pk in ids)

    def test_each_download_is_logged_again(self, client_for, team_manager, people):
        job = run(team_manager, rows=60, young_person_ids=[people[0].pk])
        client = client_for(team_manager)

        client.post(download_url(job))
        client.post(download_url(job))

        assert RecordAccess.objects.filter(young_person=people[0]).count() == 2

    def test_the_log_is_written_in_bulk(
        self, client_for, team_manager, django_assert_num_queries, people
    ):
        many = people + [YoungPersonFactory(actor=team_manager) for _ in range(8)]
        job = run(team_manager, rows=60, young_person_ids=[p.pk for p in many])
        client = client_for(team_manager)

        # session, user, the job; every young person in it still one the user may see (one
        # count); savepoint, one INSERT for all ten rows, release; the session saved (savepoint,
        # update, release: SESSION_SAVE_EVERY_REQUEST).
        with django_assert_num_queries(10):
            response = client.post(download_url(job))

        assert response.status_code == 200
        assert RecordAccess.objects.count() == 10

    def test_a_file_without_personal_data_is_not_logged(self, client_for, team_manager, people):
        job = run(team_manager, source="test-aggregate", rows=60, young_person_ids=[people[0].pk])

        response = client_for(team_manager).post(download_url(job))

        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="test-aggregate.csv"'
        assert not RecordAccess.objects.exists()

    @pytest.mark.parametrize("who", OTHERS)
    def test_anybody_else_gets_404_and_nothing_is_logged(
        self, request, client_for, team_manager, people, who
    ):
        job = run(team_manager, rows=60, young_person_ids=[people[0].pk])

        response = client_for(request.getfixturevalue(who)).post(download_url(job))

        assert response.status_code == 404
        assert b"row,young_person" not in response.content
        assert not RecordAccess.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client, team_manager, people):
        job = run(team_manager, rows=60, young_person_ids=[people[0].pk])

        response = client.post(download_url(job))

        assert (response.status_code, response["Location"]) == (
            302,
            sign_in_redirect(download_url(job)),
        )
        assert not RecordAccess.objects.exists()

    def test_a_job_not_yet_done_has_nothing_to_download(self, client_for, team_manager):
        job = queue(team_manager, rows=60)

        assert client_for(team_manager).post(download_url(job)).status_code == 404

    def test_a_failed_job_has_nothing_to_download(self, client_for, team_manager):
        WRITE_FAILURES.append(ValueError("broken"))
        job = run(team_manager, rows=60)

        assert client_for(team_manager).post(download_url(job)).status_code == 404

    def test_a_missing_file_is_404_and_not_logged(self, client_for, team_manager, people):
        job = run(team_manager, rows=60, young_person_ids=[people[0].pk])
        (export_root() / job.stored_name).unlink()

        assert client_for(team_manager).post(download_url(job)).status_code == 404
        assert not RecordAccess.objects.exists()

    def test_a_file_naming_a_young_person_the_user_may_no_longer_see_is_404(
        self, client_for, team_manager, team_b, people
    ):
        """The source's may_hold is asked at the download, not only when the file was written."""
        job = run(team_manager, rows=60, young_person_ids=[p.pk for p in people])
        case_services.young_person_transfer_team(
            actor=team_manager, young_person=people[1], team=team_b, reason="Moved area"
        )

        response = client_for(team_manager).post(download_url(job))

        assert response.status_code == 404
        assert not RecordAccess.objects.exists()


# --- Expiry -----------------------------------------------------------------------------------


class TestExpiry:
    def test_past_its_period_the_download_is_gone_even_before_the_sweep(
        self, client_for, team_manager, people
    ):
        job = run(team_manager, rows=60, young_person_ids=[people[0].pk])
        ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

        response = client_for(team_manager).post(download_url(job))

        assert response.status_code == 410
        page = text_of(response.content.decode())
        assert "This export has expired" in page
        assert "could be downloaded for 24 hours after it was ready" in page
        assert not RecordAccess.objects.exists()

    def test_the_sweep_removes_the_file_and_keeps_the_row(
        self, export_sources, client_for, team_manager, people
    ):
        expiring = run(team_manager, rows=60, young_person_ids=[people[0].pk])
        ExportJob.objects.filter(pk=expiring.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        current = run(team_manager, rows=61)

        assert exports_expire() == {"expired": 1, "abandoned": 0, "orphans": 0}

        expired = ExportJob.objects.get(pk=expiring.pk)
        assert (expired.status, expired.stored_name) == (ExportStatus.EXPIRED, "")
        assert expired.young_person_ids == [people[0].pk]  # the record of what it held stays
        assert [p.name for p in export_sources.iterdir()] == [current.stored_name]
        response = client_for(team_manager).post(download_url(expired))
        assert response.status_code == 410
        assert "This export has expired" in response.content.decode()
        # Run again: nothing more to do.
        assert exports_expire() == {"expired": 0, "abandoned": 0, "orphans": 0}

    def test_jobs_that_never_finished_are_ended_and_stray_files_removed(
        self, export_sources, team_manager, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            waiting = export_start(user=team_manager, source_key="test-rows", params={"rows": 60})
        done = run(team_manager, rows=61)
        stray = export_sources / ("cd" * 24)
        stray.write_text("left by a run whose row update failed")
        (export_sources / "not-an-export.txt").write_text("kept")

        # Now is a day and a bit later: the waiting job is stale, the done one has expired.
        later = timezone.now() + timedelta(hours=25)
        assert exports_expire(now=later) == {"expired": 1, "abandoned": 1, "orphans": 1}

        stale = ExportJob.objects.get(pk=waiting.pk)
        assert (stale.status, stale.error) == (
            ExportStatus.FAILED,
            "The export did not finish. Start it again.",
        )
        assert ExportJob.objects.get(pk=done.pk).status == ExportStatus.EXPIRED
        assert [p.name for p in export_sources.iterdir()] == ["not-an-export.txt"]
        assert ExportJob.objects.count() == 2  # nothing is deleted

    def test_a_recent_stray_file_is_left_for_its_run(self, export_sources, team_manager):
        run(team_manager, rows=60)  # makes the folder
        stray = export_sources / ("ef" * 24)
        stray.write_text("a run that has just started")

        assert exports_expire()["orphans"] == 0
        assert stray.exists()

    def test_the_sweep_is_scheduled_hourly_and_runs_as_a_task(self, settings, team_manager):
        entry = settings.CELERY_BEAT_SCHEDULE["exports-expire"]
        assert entry["task"] == "csafe.exports.tasks.exports_expire"
        assert entry["schedule"].minute == {15}
        assert entry["schedule"].hour == set(range(24))
        from csafe.exports.tasks import exports_expire

        job = run(team_manager, rows=60)
        ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
        assert exports_expire.delay().get() == {"expired": 1, "abandoned": 0, "orphans": 0}


# --- Pages ------------------------------------------------------------------------------------


def scripts_of(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>", html)


class TestJobPage:
    def test_while_waiting_it_shows_progress_and_how_to_refresh(self, client_for, team_manager):
        job = queue(team_manager, rows=3000)

        response = client_for(team_manager).get(job_url(job))

        assert response.status_code == 200
        html = response.content.decode()
        page = text_of(html)
        assert "Test rows of young people" in page
        assert "Waiting to start" in page
        assert (
            '<progress id="export-progress" class="csafe-progress" max="100" value="0" '
            "data-export-bar>0%</progress>"
        ) in html
        assert (
            '<span role="status" data-export-status><strong class="govuk-tag govuk-tag--grey">'
            "Waiting to start</strong></span>"
        ) in html
        assert "0% done (0 of 3,000 rows)" in page
        assert f'data-export-progress="{status_url(job)}"' in html
        assert 'data-export-finished="false"' in html
        assert (
            f'<noscript><p class="govuk-body"><a class="govuk-link" href="{job_url(job)}" '
            'data-testid="export-refresh">Refresh this page</a>'
        ) in html
        # No inline script (CSP): only files, and the progress script among them.
        assert all(" src=" in tag for tag in scripts_of(html))
        assert '<script type="module" src="/static/exports/export-progress.js">' in html
        assert "Download the file" not in page

    def test_when_done_it_offers_the_download_until_it_expires(self, client_for, team_manager):
        job = run(team_manager, rows=60)

        response = client_for(team_manager).get(job_url(job))

        html = response.content.decode()
        page = text_of(html)
        assert "Ready to download" in page
        assert f'action="{download_url(job)}"' in html
        local = timezone.localtime(job.expires_at)
        assert f"You can download it until {local:%-d %B %Y} at {local:%H:%M}." in page
        assert "Each download is written to the access log of every young person in it." in page
        assert "<progress" not in html
        assert "export-progress.js" not in html
        assert 'data-export-finished="true"' in html

    def test_a_file_without_personal_data_has_no_access_log_warning(self, client_for, team_manager):
        job = run(team_manager, source="test-aggregate", rows=60)

        page = text_of(client_for(team_manager).get(job_url(job)).content.decode())

        assert "Test aggregate table" in page
        assert "access log" not in page

    def test_a_failed_job_says_why(self, client_for, team_manager):
        WRITE_FAILURES.append(ValueError("Zephyrine"))
        job = run(team_manager, rows=60)

        page = text_of(client_for(team_manager).get(job_url(job)).content.decode())

        assert "The export did not finish" in page
        assert "The export could not be finished. Start it again" in page
        assert "Zephyrine" not in page

    def test_an_expired_job_says_so(self, client_for, team_manager):
        job = run(team_manager, rows=60)
        exports_expire(now=timezone.now() + timedelta(hours=24))

        response = client_for(team_manager).get(job_url(job))

        assert response.status_code == 200
        page = text_of(response.content.decode())
        assert "This export has expired" in page
        assert "Download the file" not in page

    @pytest.mark.parametrize("who", OTHERS)
    def test_anybody_else_gets_404(self, request, client_for, team_manager, who):
        job = run(team_manager, rows=60)

        client = client_for(request.getfixturevalue(who))

        assert client.get(job_url(job)).status_code == 404
        assert client.get(status_url(job)).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, team_manager):
        job = run(team_manager, rows=60)

        for url in (job_url(job), status_url(job)):
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))

    def test_the_page_costs_a_fixed_number_of_queries(
        self, client_for, team_manager, django_assert_num_queries
    ):
        job = run(team_manager, rows=60)
        client = client_for(team_manager)

        # session, user, the job, unread notifications (the page shell), the session saved
        # (savepoint, update, release).
        with django_assert_num_queries(7):
            client.get(job_url(job))
        # session, user, the job, the session saved.
        with django_assert_num_queries(6):
            client.get(status_url(job))


class TestStatus:
    def test_a_finished_job(self, client_for, team_manager):
        job = run(team_manager, rows=60)

        assert client_for(team_manager).get(status_url(job)).json() == {
            "status": "done",
            "status_label": "Ready to download",
            "finished": True,
            "rows_written": 60,
            "rows_total": 60,
            "percent": 100,
        }

    def test_a_job_past_its_period_reads_as_expired(self, client_for, team_manager):
        job = run(team_manager, rows=60)
        ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

        body = client_for(team_manager).get(status_url(job)).json()

        assert (body["status"], body["status_label"], body["finished"]) == (
            "expired",
            "Expired",
            True,
        )

    def test_a_waiting_job(self, client_for, team_manager):
        job = queue(team_manager, rows=60)

        response = client_for(team_manager).get(status_url(job))

        assert response["Cache-Control"].startswith("max-age=0")
        assert response.json()["status"] == "queued"
        assert response.json()["finished"] is False


class TestList:
    def test_it_lists_only_the_users_own_exports_newest_first(
        self, client_for, team_manager, service_manager
    ):
        first = run(team_manager, rows=60)
        WRITE_FAILURES.append(ValueError("broken"))
        second = run(team_manager, source="test-aggregate", rows=61)
        run(service_manager, rows=62)

        response = client_for(team_manager).get(list_url())

        assert response.status_code == 200
        html = response.content.decode()
        links = re.findall(r'href="(/reporting/exports/\d+/)"', html)
        assert links == [job_url(second), job_url(first)]
        page = text_of(html)
        assert "Test aggregate table" in page and "Failed" in page
        assert "Ready to download" in page and "62" not in page

    def test_none_yet(self, client_for, teammate):
        response = client_for(teammate).get(list_url())

        assert "You have no exports." in text_of(response.content.decode())

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(list_url())

        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(list_url()))

    @pytest.mark.parametrize("count", [1, 30])
    def test_the_page_costs_the_same_whatever_the_number(
        self, client_for, team_manager, django_assert_num_queries, count
    ):
        for rows in range(count):
            run(team_manager, source="test-aggregate", rows=100 + rows)
        client = client_for(team_manager)

        # session, user, count, one page of jobs, unread notifications (the page shell), the
        # session saved (savepoint, update, release).
        with django_assert_num_queries(8):
            response = client.get(list_url())

        assert response.status_code == 200
        assert len(re.findall(r'href="/reporting/exports/\d+/"', response.content.decode())) == min(
            count, 25
        )
