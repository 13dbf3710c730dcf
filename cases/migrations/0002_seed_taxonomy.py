from django.db import migrations

from taxonomy.seed import seed_taxonomy


def seed(apps, schema_editor):
    seed_taxonomy(apps.get_model("cases", "Theme"), apps.get_model("cases", "Actor"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
