"""Demo member organisations, the members' section and a demo member account."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from core.demo import demo_loader
from home.demo import child_by_slug, rich, translate
from home.models import StandardPage

from .access import members_group
from .models import (
    MemberDirectoryPage,
    MemberOrganisation,
    MemberProfile,
    MembersAreaPage,
    MembersPage,
)

DEMO_MEMBER_EMAIL = "medlem@example.dk"
DEMO_MEMBER_PASSWORD = "demo-medlem-2026"

# Name, region, municipality code, population (rounded demo figures, early 2025), website.
ORGANISATIONS = [
    ("Aarhus Kommune", "midtjylland", "751", 373_000, "https://www.aarhus.dk/"),
    ("Odense Kommune", "syddanmark", "461", 210_000, "https://www.odense.dk/"),
    ("Aalborg Kommune", "nordjylland", "851", 223_000, "https://www.aalborg.dk/"),
    ("Vejle Kommune", "syddanmark", "630", 122_000, "https://www.vejle.dk/"),
    ("Holstebro Kommune", "midtjylland", "661", 59_000, "https://www.holstebro.dk/"),
    ("Herning Kommune", "midtjylland", "657", 90_000, "https://www.herning.dk/"),
    ("Roskilde Kommune", "sjaelland", "265", 91_000, "https://www.roskilde.dk/"),
    ("Gladsaxe Kommune", "hovedstaden", "159", 70_000, "https://gladsaxe.dk/"),
    ("Horsens Kommune", "midtjylland", "615", 99_000, "https://horsens.dk/"),
    ("Næstved Kommune", "sjaelland", "370", 84_000, "https://www.naestved.dk/"),
]


def load_directory(home_page) -> None:
    """The public list of member municipalities, under the membership page (both languages)."""
    membership = StandardPage.objects.child_of(home_page).filter(slug="medlemskab").first()
    parent = membership or home_page
    directory = child_by_slug(
        parent,
        MemberDirectoryPage,
        "medlemskommuner",
        title="Medlemskommuner",
        intro="Kommunerne i netværket. Listen opdateres af sig selv, når en kommune melder "
        "sig ind eller ud.",
        listing_summary="Se hvilke kommuner der er med i netværket, og hvor mange borgere de "
        "dækker.",
    )
    english_parent = parent.get_translation_or_none(Locale.objects.get(language_code="en"))
    if english_parent is not None:
        translate(
            directory,
            english_parent.locale,
            title="Member municipalities",
            slug="member-municipalities",
            intro="The municipalities in the network. The list updates itself when a "
            "municipality joins or leaves.",
            listing_summary="Which municipalities take part, and how many citizens they cover.",
            population_source="Statistics Denmark, FOLK1A, 1 January 2025",
        )


@demo_loader(order=30)
def load(home_page) -> dict:
    for name, region, code, population, website in ORGANISATIONS:
        organisation, _created = MemberOrganisation.objects.get_or_create(
            name=name,
            defaults={
                "region": region,
                "municipality_code": code,
                "member_since": datetime.date(2026, 1, 15),
            },
        )
        if organisation.population is None:
            organisation.population = population
            organisation.website = website
            organisation.save(update_fields=["population", "website"])
    load_directory(home_page)
    area = child_by_slug(
        home_page,
        MembersAreaPage,
        "for-medlemmer",
        title="For medlemmer",
        show_in_menus=True,
        intro="Materialer fra netværksmøderne, referater og arbejdspapirer.",
    )
    child_by_slug(
        area,
        MembersPage,
        "referat-workshop-2026",
        title="Referat fra workshoppen 2026",
        intro="Opsamling på gruppearbejdet om partnerskaber.",
        body=rich(
            "Grupperne arbejdede med egne cases og de syv spørgsmål. Næste skridt: en "
            "fælles skabelon for samarbejdsaftaler med foreninger."
        ),
    )
    if not settings.PRODUCTION:
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_MEMBER_EMAIL,
            defaults={"email": DEMO_MEMBER_EMAIL, "first_name": "Mette", "last_name": "Medlem"},
        )
        if created:
            user.set_password(DEMO_MEMBER_PASSWORD)
            user.save()
        user.groups.add(members_group())
        vejle = MemberOrganisation.objects.get(name="Vejle Kommune")
        MemberProfile.objects.get_or_create(
            user=user, defaults={"organisation": vejle, "job_title": "Udviklingskonsulent"}
        )
        if vejle.contact_person_id is None:
            vejle.contact_person = user
            vejle.contact_email = vejle.contact_email or DEMO_MEMBER_EMAIL
            # Vejle agreed to show its contact person on the public list of members.
            vejle.publish_contact = True
            vejle.save(update_fields=["contact_person", "contact_email", "publish_contact"])
    return {"organisations": MemberOrganisation.objects.count()}
