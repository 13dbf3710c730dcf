"""The taxonomy the network starts with: its seven questions as themes, and actor types.

Editors manage themes and actors as snippets afterwards; seeding only adds what is missing.
"""

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
]  # fmt: skip
ACTORS = [
    ("offentlig-sektor", "Offentlig sektor", "Public sector"),
    ("virksomheder", "Virksomheder", "Companies"),
    ("frivillige", "Frivillige", "Volunteers"),
    ("civilsamfund", "Civilsamfundsorganisationer", "Civil society organisations"),
    ("borgere", "Borgere", "Citizens"),
]


def seed_taxonomy(theme_model, actor_model) -> None:
    """Create the missing themes and actor types; takes models so migrations can use it."""
    for model, rows in ((theme_model, THEMES), (actor_model, ACTORS)):
        for order, (slug, name, name_en) in enumerate(rows):
            model.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
            )
