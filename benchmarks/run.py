"""Time csafe's main pages, API endpoints and dashboard measures, and the privacy guard on a
10,000-character context note, on the data already in the database, print a table and write it
all to JSON; or compare the query counts of two such files.

    DATABASE_URL=postgres://... python -m benchmarks.run --label large --repeat 30 \\
        --out benchmarks/results/large.json
    DATABASE_URL=postgres://... python -m benchmarks.run --only guard --label large-guard
    python -m benchmarks.run --compare benchmarks/results/small.json benchmarks/results/large.json

Runs in-process through Django's test client (the whole middleware stack) with the settings in
benchmarks.settings, DEBUG off while timing. Query counts and rows returned come from one more,
untimed request. Viewing records writes to the access log as any view does, and issuing the
API tokens replaces the chosen users' tokens: run it on a benchmark database, not a live one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from .output import compare_lines, report_lines
from .timing import BenchmarkError

PARTS = ("pages", "measures", "guard")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--label", default="local", help="a name for this run, e.g. the scale")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument(
        "--practitioner",
        choices=["median", "largest"],
        default="median",
        help="whose caseload: the median practitioner's or the largest (default median)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="run only this part (pages, measures or guard); repeat for more (default all)",
    )
    parser.add_argument("--out", type=Path, help="write the results here as JSON")
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("A.json", "B.json"),
        help="print the query counts of two result files side by side; exit 1 if any differ",
    )
    return parser


def row_counts() -> dict[str, int]:
    """The size of the main tables, so the scale of a run is on the record."""
    from cases.models import Allocation, Referral, YoungPerson
    from contexts.models import Context, ContextLink
    from csafe.accounts.models import User
    from csafe.audit.models import Event, RecordAccess
    from harms.models import HarmFlag

    models = {
        "young people": YoungPerson,
        "referrals": Referral,
        "harm flags": HarmFlag,
        "contexts": Context,
        "context links": ContextLink,
        "users": User,
        "allocations": Allocation,
        "audit events": Event,
        "record accesses": RecordAccess,
    }
    return {name: model.objects.count() for name, model in models.items()}


def run(
    *,
    label: str,
    repeat: int,
    warmup: int,
    practitioner: str = "median",
    only: list[str] | None = None,
) -> dict:
    """Every benchmark once (or those of the parts in ``only``); the results as a JSON-ready
    dict, a part not run an empty list. Raises BenchmarkError."""
    # Models can be imported only once Django is set up (see the bottom of this file).
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, reverse

    from .guard import bench_guard
    from .measures import bench_measures
    from .pages import bench_pages
    from .subjects import pick_subjects

    if repeat < 1 or warmup < 0:
        raise BenchmarkError("--repeat must be at least 1 and --warmup at least 0")
    try:
        reverse("bench-floor")
    except NoReverseMatch as exc:
        raise BenchmarkError(
            "The floor route is missing: run with DJANGO_SETTINGS_MODULE=benchmarks.settings"
        ) from exc
    warnings = []
    if connection.vendor != "postgresql":
        warnings.append(
            f"{connection.vendor} is not PostgreSQL: these times say nothing about production, "
            "and the rows a query returned cannot be read (max rows n/a)"
        )
    counts = row_counts()
    subjects = pick_subjects(practitioner=practitioner)
    parts = set(only or PARTS)
    with override_settings(DEBUG=False):
        pages = bench_pages(subjects, repeat=repeat, warmup=warmup) if "pages" in parts else []
        measures = (
            bench_measures(subjects, repeat=repeat, warmup=warmup) if "measures" in parts else []
        )
        guard = bench_guard(subjects, repeat=repeat, warmup=warmup) if "guard" in parts else []
    return {
        "label": label,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": settings.SETTINGS_MODULE,
        "database": {
            "vendor": connection.vendor,
            "name": str(settings.DATABASES["default"]["NAME"]),
        },
        "repeat": repeat,
        "warmup": warmup,
        "row_counts": counts,
        "subjects": subjects.as_dict(),
        "pages": pages,
        "measures": measures,
        "guard": guard,
        "warnings": warnings,
    }


def compare(first: Path, second: Path) -> int:
    lines, differences = compare_lines(
        json.loads(first.read_text()), json.loads(second.read_text())
    )
    print("\n".join(lines))
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    try:
        results = run(
            label=args.label,
            repeat=args.repeat,
            warmup=args.warmup,
            practitioner=args.practitioner,
            only=args.only,
        )
    except BenchmarkError as exc:
        print(f"Benchmark failed: {exc}", file=sys.stderr)
        return 1
    print("\n".join(report_lines(results)))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nWritten to {args.out}")
    return 0


if __name__ == "__main__":
    # Always the benchmark settings: csafe.settings lacks the floor route and leaves DEBUG on.
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    import django

    django.setup()
    sys.exit(main())
