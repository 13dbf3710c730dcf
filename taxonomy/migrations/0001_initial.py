"""Theme and Actor move from the cases app to taxonomy without touching their tables.

The tables (``cases_theme``, ``cases_actor``) were created by ``cases.0001_initial`` and stay:
this migration only declares the models in taxonomy's state, and renames their content types
so permissions, snippet revisions and references keep pointing at them.
``cases.0003_move_taxonomy`` then drops them from the cases state.
"""

from django.db import migrations, models

MODELS = ("theme", "actor")


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label="taxonomy", model=model).exists():
            content_type.objects.using(db).filter(app_label="cases", model=model).update(
                app_label="taxonomy"
            )


def restore_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label="cases", model=model).exists():
            content_type.objects.using(db).filter(app_label="taxonomy", model=model).update(
                app_label="cases"
            )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0002_seed_taxonomy"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Actor",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="navn")),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="navn på engelsk"
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(max_length=100, unique=True, verbose_name="kort navn"),
                        ),
                        (
                            "sort_order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="rækkefølge"),
                        ),
                    ],
                    options={
                        "verbose_name": "aktørtype",
                        "verbose_name_plural": "aktørtyper",
                        "db_table": "cases_actor",
                        "ordering": ["sort_order", "name"],
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="navn")),
                        (
                            "name_en",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="navn på engelsk"
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(max_length=100, unique=True, verbose_name="kort navn"),
                        ),
                        (
                            "sort_order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="rækkefølge"),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="beskrivelse")),
                    ],
                    options={
                        "verbose_name": "tema",
                        "verbose_name_plural": "temaer",
                        "db_table": "cases_theme",
                        "ordering": ["sort_order", "name"],
                        "abstract": False,
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
