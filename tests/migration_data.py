"""What the data migrations load, loaded again as they load it after a test that commits has
emptied every table (tests/conftest.py calls ``load_the_migrations_data``).

Every data migration of csafe's apps is listed here: one that loads rows in ``RELOADED`` with
the loader that loads them again, one that only changes rows already there (a flushed database
has none to change) in ``BACKFILLS``. tests/core/test_migration_data.py fails for a data
migration in neither, so a new one cannot leave the tests on a database without its rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from cases.defaults import load_default_location_types, load_default_plan_sign_off_rules
from contexts.defaults import load_default_conventions
from harms.defaults import load_default_taxonomy
from retention.defaults import load_default_hold_rule, load_default_rules


@functools.cache
def migration_models():
    """The models as the migrations see them: they keep no history, as in a data migration."""
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(None, ignore_no_migrations=True).project_state().apps


# (app label, migration name) -> the loader, called with the migrations' models, in the order
# the migrations run (the hold rule names harm types of the taxonomy).
RELOADED: dict[tuple[str, str], Callable] = {
    ("harms", "0002_default_taxonomy"): lambda apps: load_default_taxonomy(
        apps.get_model("harms", "HarmType"), apps.get_model("harms", "HistoricalHarmType")
    ),
    # It sets the private-address flag itself, so cases 0011's backfill has nothing to add.
    ("cases", "0003_default_location_types"): lambda apps: load_default_location_types(
        apps.get_model("cases", "LocationType")
    ),
    ("cases", "0012_everyday_work"): lambda apps: load_default_plan_sign_off_rules(
        apps.get_model("cases", "PlanSignOffRule")
    ),
    ("contexts", "0002_default_conventions"): lambda apps: load_default_conventions(
        apps.get_model("contexts", "NamingConvention"),
        apps.get_model("contexts", "ContextConfiguration"),
    ),
    ("retention", "0002_default_rules"): lambda apps: load_default_rules(
        apps.get_model("retention", "RetentionRule")
    ),
    ("retention", "0004_default_hold_rule"): lambda apps: load_default_hold_rule(
        apps.get_model("retention", "LegalHoldRule"), apps.get_model("harms", "HarmType")
    ),
}

BACKFILLS = {
    ("cases", "0007_assessment_return_reason"),
    ("cases", "0008_young_person_closed_on"),
    ("cases", "0011_location_type_private_address"),
    # Dates and explains types retired before retirements carried a reason.
    ("harms", "0006_harm_type_retirement"),
    # Puts a stored convention the rules now refuse back to its kind's default.
    ("contexts", "0006_validate_conventions"),
    # Moves the export job's content type and the census permission; post_migrate makes both
    # afresh on an emptied database.
    ("reporting", "0003_export_job_to_exports"),
}


def load_the_migrations_data() -> None:
    """Load what the data migrations load, through the same idempotent loaders."""
    apps = migration_models()
    for load in RELOADED.values():
        load(apps)
