from django.db import migrations

THEMES = [
    ("ikke-offentlige-aktoerer", "Hvor kan ikke-offentlige aktører bidrage?",
     "Where can non-public actors contribute?"),
    ("partnerskaber", "Hvordan struktureres partnerskaber?", "How to structure partnerships"),
    ("professionelle-job", "Beskyttelse af professionelle job", "Protecting professional jobs"),
    ("kvalitet", "Kvalitet med ikke-professionelle partnere",
     "Keeping quality with non-professional partners"),
    ("incitamenter", "Incitamenter for virksomheder og borgere",
     "Incentives for companies and citizens"),
    ("samspil", "Samspil mellem nye partnere og professionelle",
     "Interaction between new partners and professionals"),
    ("baeredygtighed-skalering", "Bæredygtighed og skalering", "Sustainability and scaling"),
]
ACTORS = [
    ("offentlig-sektor", "Offentlig sektor", "Public sector"),
    ("virksomheder", "Virksomheder", "Companies"),
    ("frivillige", "Frivillige", "Volunteers"),
    ("civilsamfund", "Civilsamfundsorganisationer", "Civil society organisations"),
    ("borgere", "Borgere", "Citizens"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("cases", "Theme")
    Actor = apps.get_model("cases", "Actor")
    for order, (slug, name, name_en) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en,
                                                         "sort_order": order})
    for order, (slug, name, name_en) in enumerate(ACTORS):
        Actor.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en,
                                                         "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
