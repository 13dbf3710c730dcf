"""Theme and Actor leave the cases app's state once nothing there points at them any more.

State only: the tables now belong to taxonomy.Theme and taxonomy.Actor (``db_table``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_move_taxonomy"),
        ("events", "0005_themes_from_taxonomy"),
        ("resources", "0002_themes_from_taxonomy"),
        ("members_area", "0003_interests_from_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Actor"),
                migrations.DeleteModel(name="Theme"),
            ],
            database_operations=[],
        ),
    ]
