"""Demo events: the network's year of meetings, in Danish with English translations.

A translation is its own event page (own registrations and seats), as in Wagtail i18n.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone
from wagtail.models import Locale

from core.demo import demo_loader
from home.demo import child_by_slug, translate

from .models import EventIndexPage, EventPage

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def _at(days_from_now: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days_from_now)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


ENGLISH = {
    "foraarskonference": dict(
        slug="spring-conference",
        title="Spring conference: New partnerships in welfare",
        summary="Danish and international experts share knowledge about partnerships between "
        "municipalities, civil society and companies.",
        programme=[
            (
                "item",
                {
                    "start": datetime.time(9, 30),
                    "end": datetime.time(10, 0),
                    "title": "Welcome",
                    "description": "",
                    "speakers": [],
                },
            ),
            (
                "item",
                {
                    "start": datetime.time(10, 0),
                    "end": datetime.time(11, 0),
                    "title": "Scaling that works",
                    "description": "Experience from the Netherlands.",
                    "speakers": [
                        {"name": "Jos de Blok", "title": "Buurtzorg", "photo": None, "bio": ""}
                    ],
                },
            ),
        ],
    ),
    "temaeftermiddag-frivillige": dict(
        slug="themed-afternoon-volunteers",
        title="Themed afternoon: Volunteers and professionals",
        summary="How do volunteers and staff work well together? Open to everyone interested.",
    ),
    "workshop-efteraar": dict(
        slug="autumn-workshop",
        title="Autumn workshop: From idea to agreement",
        summary="Group work on your own cases and the network's template for cooperation "
        "agreements.",
    ),
}


def load_english(index: EventIndexPage) -> None:
    en = Locale.objects.get(language_code="en")
    translate(
        index,
        en,
        title="Events",
        slug="events",
        intro="<p>Network days for members and themed afternoons for everyone.</p>",
    )
    for event in EventPage.objects.child_of(index).filter(slug__in=ENGLISH):
        translate(event, en, **ENGLISH[event.slug])


@demo_loader(order=50)
def load(home_page) -> dict:
    index = child_by_slug(
        home_page,
        EventIndexPage,
        "arrangementer",
        title="Arrangementer",
        show_in_menus=True,
        intro="<p>Netværksdage for medlemmer og temaeftermiddage for alle.</p>",
    )
    events = [
        dict(
            slug="foraarskonference",
            title="Forårskonference: Nye partnerskaber i velfærden",
            event_type="conference",
            audience="members",
            capacity=150,
            start=_at(40, 9, 30),
            end=_at(40, 16),
            venue_name="Teknologisk Institut",
            street_address="Gregersensvej 1",
            postal_code="2630",
            city="Taastrup",
            summary="Danske og internationale eksperter deler viden om partnerskaber mellem kommuner, civilsamfund og virksomheder.",
            programme=[
                (
                    "item",
                    {
                        "start": datetime.time(9, 30),
                        "end": datetime.time(10, 0),
                        "title": "Velkomst",
                        "description": "",
                        "speakers": [],
                    },
                ),
                (
                    "item",
                    {
                        "start": datetime.time(10, 0),
                        "end": datetime.time(11, 0),
                        "title": "Skalering der virker",
                        "description": "Erfaringer fra Holland.",
                        "speakers": [
                            {"name": "Jos de Blok", "title": "Buurtzorg", "photo": None, "bio": ""}
                        ],
                    },
                ),
            ],
        ),
        dict(
            slug="temaeftermiddag-frivillige",
            title="Temaeftermiddag: Frivillige og fagprofessionelle",
            event_type="afternoon",
            audience="open",
            capacity=60,
            start=_at(14, 13),
            end=_at(14, 16),
            venue_name="Dokk1",
            street_address="Hack Kampmanns Plads 2",
            postal_code="8000",
            city="Aarhus",
            summary="Hvordan arbejder frivillige og medarbejdere godt sammen? Åben for alle interesserede.",
        ),
        dict(
            slug="workshop-efteraar",
            title="Efterårsworkshop: Fra idé til aftale",
            event_type="workshop",
            audience="members",
            capacity=40,
            start=_at(90, 9, 30),
            end=_at(90, 15, 30),
            venue_name="Vejle Rådhus",
            city="Vejle",
            summary="Gruppearbejde med egne cases og netværkets skabelon for samarbejdsaftaler.",
        ),
    ]
    for data in events:
        if not EventPage.objects.child_of(index).filter(slug=data["slug"]).exists():
            event = EventPage(**data)
            index.add_child(instance=event)
            event.save_revision().publish()
    load_english(index)
    return {"events": EventPage.objects.child_of(index).count()}
