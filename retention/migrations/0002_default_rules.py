"""Loads the starting retention rules; retention/defaults.py says why they are only that."""

from django.db import migrations

from retention.defaults import load_default_rules


def load(apps, schema_editor):
    load_default_rules(apps.get_model("retention", "RetentionRule"))


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
