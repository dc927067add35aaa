"""Background work for exports: running long exports and expiring their files.

Tasks load by id and are safe to run twice (runner.py says how).
"""

from __future__ import annotations

from celery import shared_task

from . import runner

# Well inside the broker's visibility timeout (an hour), so a long export is stopped and failed
# rather than handed to a second worker while the first is still writing it.
SOFT_TIME_LIMIT = 50 * 60


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=4,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 5 * 60,
)
def run_export(self, job_id: int) -> str | None:
    """Run export job ``job_id``. A database error that may pass (a restart, a lost connection)
    is retried after 15 s, 30 s, 60 s, 120 s; after the last, the job fails with a plain
    message. Returns the job's status afterwards."""
    try:
        return runner.export_job_run(job_id=job_id)
    except runner.TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            runner.export_job_fail(job_id=job_id)
            return "failed"
        raise self.retry(exc=exc, countdown=15 * 2**self.request.retries) from exc


@shared_task
def exports_expire() -> dict[str, int]:
    """Remove expired export files and mark their jobs expired. Run hourly by beat; idempotent."""
    return runner.exports_expire()
