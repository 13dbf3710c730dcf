"""Members' interests point at taxonomy.Theme (the same ``cases_theme`` table): state only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members_area", "0002_public_member_directory"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="memberprofile",
                    name="interests",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        to="taxonomy.theme",
                        verbose_name="interesseområder",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
