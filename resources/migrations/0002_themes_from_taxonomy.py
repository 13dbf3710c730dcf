"""Resource themes point at taxonomy.Theme (the same ``cases_theme`` table): state only."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="resourcepage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        related_name="resources",
                        to="taxonomy.theme",
                        verbose_name="temaer",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
