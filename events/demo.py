"""Demo events: the network's year of meetings (Danish)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from home.demo import child_by_slug

from .models import EventIndexPage, EventPage

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def _at(days_from_now: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days_from_now)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=CPH)


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
    return {"events": EventPage.objects.child_of(index).count()}
