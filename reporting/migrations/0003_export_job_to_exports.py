# Export jobs moved to csafe.exports with their table (exports' 0001 takes the model over under
# the same table name). Here the model leaves reporting's picture, nothing in the database
# changes, and two rows follow the model:
#
# * its content type is renamed to the exports app, keeping its id, so whatever points at it
#   (its permissions and their grants, admin log entries, object permissions, audit events)
#   follows without a row being copied;
# * the census permission, which hung on export jobs as reporting.download_census_return and is
#   granted to service managers by hand, moves to reporting's CensusExport proxy, keeping its id
#   and so its grants, and keeps its name.
#
# On a new database there are no content types yet: post_migrate makes them afresh.

from django.db import migrations

OLD = ("reporting", "exportjob")
NEW = ("exports", "exportjob")
CENSUS = ("reporting", "censusexport")
CENSUS_CODENAME = "download_census_return"


def _content_type(apps, db, key):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.using(db).filter(app_label=key[0], model=key[1]).first()


def _rename(apps, db, source_key, target_key):
    """Rename content type ``source_key`` to ``target_key``, if it exists. A content type already
    there under the new name can only have been made by post_migrate after a migrate that
    stopped between the two apps' migrations, with nothing yet pointing at its permissions: it
    gives way to the old one, which carries the history (a delete that would lose a protected
    row fails loudly instead)."""
    source = _content_type(apps, db, source_key)
    if source is None:
        return None
    target = _content_type(apps, db, target_key)
    if target is not None:
        target.delete()
    source.app_label, source.model = target_key
    source.save(update_fields=["app_label", "model"])
    return source


def _move_permission(apps, db, codename, source, target) -> None:
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(db)
    moving = permissions.filter(content_type=source, codename=codename).first()
    if moving is None:
        return
    permissions.filter(content_type=target, codename=codename).exclude(pk=moving.pk).delete()
    moving.content_type = target
    moving.save(update_fields=["content_type"])


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    old = _content_type(apps, db, OLD)
    if old is None:
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    census, _ = ContentType.objects.using(db).get_or_create(app_label=CENSUS[0], model=CENSUS[1])
    _move_permission(apps, db, CENSUS_CODENAME, old, census)
    _rename(apps, db, OLD, NEW)


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    job = _rename(apps, db, NEW, OLD)
    census = _content_type(apps, db, CENSUS)
    if job is None or census is None:
        return
    _move_permission(apps, db, CENSUS_CODENAME, census, job)
    census.delete()  # it holds nothing else: CensusExport has no default permissions


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("exports", "0001_initial"),
        ("reporting", "0002_census_download_permission"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportJob")],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="CensusExport",
            fields=[],
            options={
                "permissions": [
                    (
                        "download_census_return",
                        "Can download the CIN census return, which identifies children",
                    )
                ],
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("exports.exportjob",),
        ),
        migrations.RunPython(forwards, backwards),
    ]
