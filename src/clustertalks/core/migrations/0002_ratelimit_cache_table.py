"""The table of the database cache that holds rate-limit counts when there is no Redis
(settings.CACHES["ratelimit"]). Created here rather than by `createcachetable`, so every
`migrate` (setup, tests, benchmarks, upgrades) has it."""

from django.db import migrations

TABLE = "clustertalks_ratelimit"


def create_table(apps, schema_editor):
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
