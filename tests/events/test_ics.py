import datetime
import zoneinfo

import pytest
from django.core import mail
from icalendar import Calendar

from events import services
from events.ics import calendar_for
from tests.factories import EventPageFactory, make_member, restrict_to_members

pytestmark = pytest.mark.django_db
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def _event(cal_bytes):
    return next(c for c in Calendar.from_ical(cal_bytes).walk("VEVENT"))


@pytest.mark.parametrize(
    "day, expected_utc_hour",
    [
        (datetime.date(2026, 10, 24), 12),  # summer time (CEST, UTC+2) the day before the change
        (datetime.date(2026, 10, 26), 13),  # winter time (CET, UTC+1) the day after
        (datetime.date(2026, 3, 28), 13),  # still winter time
        (datetime.date(2026, 3, 30), 12),  # summer time again
    ],
)
def test_times_are_copenhagen_local_across_daylight_saving(event_index, day, expected_utc_hour):
    start = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=CPH)
    event = EventPageFactory(
        parent=event_index, start=start, end=start + datetime.timedelta(hours=2)
    )
    ics = calendar_for([event])
    assert b"BEGIN:VTIMEZONE" in ics and b"TZID:Europe/Copenhagen" in ics
    vevent = _event(ics)
    dtstart = vevent.decoded("dtstart")
    assert dtstart.hour == 14 and str(dtstart.tzinfo) == "Europe/Copenhagen"
    assert dtstart.astimezone(datetime.UTC).hour == expected_utc_hour
    assert b"DTSTART;TZID=Europe/Copenhagen:" in ics


def test_ics_content(event_index):
    event = EventPageFactory(
        parent=event_index,
        title="Temaeftermiddag",
        venue_name="Dokk1",
        street_address="Hack Kampmanns Plads 2",
        postal_code="8000",
        city="Aarhus",
    )
    vevent = _event(calendar_for([event], method="REQUEST"))
    assert str(vevent["summary"]) == "Temaeftermiddag"
    assert str(vevent["uid"]) == f"event-{event.pk}@socialinnovation.dk"
    assert "Hack Kampmanns Plads 2, 8000 Aarhus" in str(vevent["location"])


def _invitation(message):
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    _name, content, mimetype = attachment
    assert mimetype.startswith("text/calendar; method=REQUEST")
    return _event(content.encode() if isinstance(content, str) else content)


def test_invitations_name_the_network_as_organizer(event_index, settings):
    settings.DEFAULT_FROM_EMAIL = "Netværket for Social Innovation <kontakt@socialinnovation.dk>"
    event = EventPageFactory(parent=event_index)
    ics = calendar_for([event], method="REQUEST")
    assert b"METHOD:REQUEST" in ics
    organizer = _event(ics)["organizer"]
    assert str(organizer) == "mailto:kontakt@socialinnovation.dk"
    assert organizer.params["CN"] == "Netværket for Social Innovation"


def test_confirmation_and_reminder_update_one_calendar_entry(event_index):
    event = EventPageFactory(parent=event_index)
    member = make_member(email="mette@vejle.dk", first_name="Mette")
    services.register_for_event(event, name="Mette", email="mette@vejle.dk", user=member)
    confirmation = _invitation(mail.outbox[-1])
    mail.outbox.clear()
    assert services.send_reminders(event.start - datetime.timedelta(days=1)) == 1
    reminder = _invitation(mail.outbox[-1])
    assert (
        str(confirmation["uid"]) == str(reminder["uid"]) == f"event-{event.pk}@socialinnovation.dk"
    )
    assert str(reminder["organizer"]) == str(confirmation["organizer"])
    assert str(reminder["organizer"]).startswith("mailto:")


def test_calendar_feed_hides_members_only_events_from_the_public(client, event_index):
    EventPageFactory(parent=event_index, title="Åben eftermiddag")
    secret = EventPageFactory(parent=event_index, title="Lukket styregruppemøde")
    restrict_to_members(secret)
    feed = client.get("/arrangementer/kalender.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    assert b"\xc3\x85ben eftermiddag" in feed.content and b"Lukket" not in feed.content
    assert client.get(f"/arrangementer/{secret.pk}/kalender.ics").status_code == 404
