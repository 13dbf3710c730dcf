"""Event themes point at taxonomy.Theme (the same ``cases_theme`` table): state only."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_registrations_belong_to_source_event"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="eventpage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="events", to="taxonomy.theme", verbose_name="temaer"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
