"""Trigram search over task label, title and text: FTS5 on SQLite, pg_trgm on PostgreSQL."""

from django.db import migrations


def install(apps, schema_editor):
    from luoshi.ledger import search

    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from luoshi.ledger import search

    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
