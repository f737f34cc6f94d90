"""The database cache's table (settings.CACHES: rate limits count there), so `migrate` (and with it `anjian demo`, the
test run and a fresh checkout) creates it; createcachetable does nothing for a table that exists or a Redis cache."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_management")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
