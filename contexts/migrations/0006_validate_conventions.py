"""Every stored naming convention is checked against the rules the service now applies (known
fields only; after {opened:} only the date codes of contexts.naming.DATE_CODES). A convention
that fails, such as ``{opened:%Q}``, goes back to its kind's default, which passes; one that
passes is left exactly as it is, so the defaults and every good convention keep working."""

from django.db import migrations

from contexts.defaults import DEFAULT_CONVENTIONS
from csafe.core.errors import ApplicationError


def reset_refused_conventions(apps, schema_editor):
    from contexts.naming import template_fields

    NamingConvention = apps.get_model("contexts", "NamingConvention")
    for convention in NamingConvention.objects.all():
        try:
            template_fields(convention.template)
        except ApplicationError:
            default = DEFAULT_CONVENTIONS.get(convention.kind)
            if default is not None:
                convention.template = str(default)
                convention.save(update_fields=["template"])


class Migration(migrations.Migration):
    dependencies = [("contexts", "0005_text_corrections")]
    operations = [migrations.RunPython(reset_refused_conventions, migrations.RunPython.noop)]
