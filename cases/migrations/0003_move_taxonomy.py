"""Cases' themes and actors now point at taxonomy.Theme / taxonomy.Actor (same tables).

State only: the many-to-many tables and their foreign keys already reference ``cases_theme``
and ``cases_actor``, which taxonomy's models keep as ``db_table``.
"""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_seed_taxonomy"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="casepage",
                    name="actors",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="cases", to="taxonomy.actor", verbose_name="aktører"
                    ),
                ),
                migrations.AlterField(
                    model_name="casepage",
                    name="themes",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True, related_name="cases", to="taxonomy.theme", verbose_name="temaer"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
