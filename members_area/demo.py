"""Demo member organisations, the members' section and a demo member account."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model

from home.demo import child_by_slug, rich

from .access import members_group
from .models import MemberOrganisation, MemberProfile, MembersAreaPage, MembersPage

DEMO_MEMBER_EMAIL = "medlem@example.dk"
DEMO_MEMBER_PASSWORD = "demo-medlem-2026"

ORGANISATIONS = [
    ("Aarhus Kommune", "midtjylland", "751"),
    ("Odense Kommune", "syddanmark", "461"),
    ("Aalborg Kommune", "nordjylland", "851"),
    ("Vejle Kommune", "syddanmark", "630"),
    ("Holstebro Kommune", "midtjylland", "661"),
    ("Herning Kommune", "midtjylland", "657"),
    ("Roskilde Kommune", "sjaelland", "265"),
    ("Gladsaxe Kommune", "hovedstaden", "159"),
    ("Horsens Kommune", "midtjylland", "615"),
    ("Næstved Kommune", "sjaelland", "370"),
]


def load(home_page) -> dict:
    for name, region, code in ORGANISATIONS:
        MemberOrganisation.objects.get_or_create(
            name=name,
            defaults={
                "region": region,
                "municipality_code": code,
                "member_since": datetime.date(2026, 1, 15),
            },
        )
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
            vejle.save(update_fields=["contact_person"])
    return {"organisations": MemberOrganisation.objects.count()}
