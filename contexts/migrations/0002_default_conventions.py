"""Loads the default naming conventions; contexts/defaults.py lists them."""

from django.db import migrations

from contexts.defaults import load_default_conventions


def load(apps, schema_editor):
    load_default_conventions(
        apps.get_model("contexts", "NamingConvention"),
        apps.get_model("contexts", "ContextConfiguration"),
    )


class Migration(migrations.Migration):
    dependencies = [("contexts", "0001_contexts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
