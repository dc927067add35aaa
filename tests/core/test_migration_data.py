"""After a test that commits, pytest-django empties every table; tests/conftest.py then loads
again what the data migrations loaded (tests/migration_data.py), so the next test starts from the
database the migrations made: the harm taxonomy, location types, naming conventions, retention
rules and the legal hold rule among them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from cases.defaults import LOCATION_TYPES, PRIVATE_ADDRESS_TYPES
from retention.defaults import DEFAULT_RULES, HOLD_CIN_CODES
from tests.migration_data import BACKFILLS, RELOADED, load_the_migrations_data
from tests.project_apps import is_project_app


def test_every_data_migration_is_loaded_again_or_is_a_backfill():
    project = {config.label for config in apps.get_app_configs() if is_project_app(config)}
    data_migrations = {
        key
        for key, migration in MigrationLoader(
            None, ignore_no_migrations=True
        ).disk_migrations.items()
        if key[0] in project and any(isinstance(op, RunPython) for op in migration.operations)
    }
    listed = set(RELOADED) | BACKFILLS
    assert sorted(data_migrations - listed) == [], "list these in tests/migration_data.py"
    assert sorted(listed - data_migrations) == [], "these are no data migrations any more"


def row_counts() -> dict[str, int]:
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


@pytest.mark.django_db
def test_after_a_flush_what_the_migrations_loaded_is_loaded_again():
    from retention.models import LegalHoldRule, RetentionRule

    as_migrated = row_counts()
    # As pytest-django empties the database after a test that commits; here in the test's own
    # transaction, which is rolled back.
    call_command("flush", interactive=False, verbosity=0)
    assert RetentionRule.objects.count() == 0

    load_the_migrations_data()

    assert row_counts() == as_migrated
    # And what the migrations load, read from their own defaults rather than from the database
    # (which an earlier test that commits may have left as this reload leaves it).
    assert sorted(RetentionRule.objects.values_list("kind", "basis", "years")) == sorted(
        (rule["kind"], rule["basis"], rule["years"]) for rule in DEFAULT_RULES
    )
    [hold_rule] = LegalHoldRule.objects.all()
    assert sorted(hold_rule.harm_types.values_list("cin_code", flat=True)) == sorted(HOLD_CIN_CODES)
    location_types = apps.get_model("cases", "LocationType").objects
    assert sorted(location_types.values_list("name", flat=True)) == sorted(LOCATION_TYPES)
    assert set(
        location_types.filter(is_private_address=True).values_list("name", flat=True)
    ) == set(PRIVATE_ADDRESS_TYPES)
