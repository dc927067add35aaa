"""Loads the starting legal hold rule; retention/defaults.py says where it comes from."""

from django.db import migrations

from retention.defaults import load_default_hold_rule


def load(apps, schema_editor):
    load_default_hold_rule(
        apps.get_model("retention", "LegalHoldRule"), apps.get_model("harms", "HarmType")
    )


class Migration(migrations.Migration):
    # The harm types it names come from the default taxonomy.
    dependencies = [("retention", "0003_legal_holds"), ("harms", "0002_default_taxonomy")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
