"""Fill an empty PostgreSQL database with invented records at a chosen scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/csafe_large \\
        python manage.py load_scale_data --scale large

Refuses a database that already holds young people, and SQLite (the load uses COPY). Every
generated staff account signs in with the password in demo.scale.STAFF_PASSWORD; the
managers and administrators have an authenticator app whose key is in the database (the load
test computes their codes from it). For benchmark databases only.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases.models import YoungPerson
from demo.scale import SCALES, STAFF_PASSWORD
from demo.scale.generator import Generator


class Command(BaseCommand):
    help = "Fill an empty PostgreSQL database with synthetic data at a chosen scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--check-foreign-keys",
            action="store_true",
            help="Keep PostgreSQL's foreign-key checks on during the load (slower)",
        )

    def handle(self, *args, scale, seed, check_foreign_keys, **options):
        if connection.vendor != "postgresql":
            raise CommandError("load_scale_data needs PostgreSQL (it loads with COPY)")
        if YoungPerson.objects.exists():
            raise CommandError(
                "This database already holds young people; load scale data into a new one"
            )
        started = time.monotonic()
        generator = Generator(
            SCALES[scale],
            seed=seed,
            report=lambda line: self.stdout.write(line),
            check_foreign_keys=check_foreign_keys,
        )
        written = generator.run()
        self.stdout.write("")
        for table, count in sorted(written.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {table:<45} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the {scale} scale in {time.monotonic() - started:.0f} s. "
                f"Every generated staff account's password: {STAFF_PASSWORD}"
            )
        )
