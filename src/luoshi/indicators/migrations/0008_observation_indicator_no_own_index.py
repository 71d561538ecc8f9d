from django.db import migrations, models

# The index Django made for the foreign key (the name is the same on SQLite and PostgreSQL).
# Dropped directly: altering the field would make SQLite copy the whole table, 3,000,000 rows.
INDEX = "indicators_observation_indicator_id_a297e6a9"


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_crosscity_services"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="observation",
                    name="indicator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="observations",
                        to="indicators.indicator",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX "{INDEX}" ON "indicators_observation" ("indicator_id")',
                ),
            ],
        ),
    ]
