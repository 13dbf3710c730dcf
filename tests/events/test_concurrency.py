"""Capacity under real concurrency: PostgreSQL row locks, one connection per thread."""

import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import Registration
from tests.factories import EventIndexPageFactory, EventPageFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(functions):
    """Start every function at the same moment in its own thread; return errors raised."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def runner(function):
        try:
            barrier.wait()
            function()
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def event(home_page):
    index = EventIndexPageFactory(parent=home_page)
    return EventPageFactory(parent=index, capacity=20)


def test_fifty_simultaneous_confirmations_fill_twenty_seats_exactly(event):
    assert connection.vendor == "postgresql"
    pending = [
        services.register_for_event(event, name=f"P{n}", email=f"p{n}@example.dk")
        for n in range(50)
    ]
    tokens = [services.confirm_token(r) for r in pending]
    errors = run_at_once([lambda t=t: services.confirm_registration(t) for t in tokens])
    assert errors == []
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") == 20
    assert statuses.count("waitlisted") == 30


def test_fifty_members_registering_at_once_get_twenty_seats_and_thirty_waiting(event):
    """The issue's scenario on the one-click member path: no double opt-in, no errors."""
    from members_area.models import MemberOrganisation
    from tests.factories import MemberOrganisationFactory, make_member

    organisation = MemberOrganisationFactory()
    # An unusable password: hashing fifty real ones would dominate the test's run time.
    members = [
        make_member(organisation=organisation, username=f"m{n}", first_name=f"M{n}", password="!")
        for n in range(50)
    ]
    assert MemberOrganisation.objects.count() == 1
    errors = run_at_once(
        [
            lambda m=m: services.register_for_event(event, name=m.first_name, email=m.email, user=m)
            for m in members
        ]
    )
    assert errors == []
    registrations = list(Registration.objects.filter(event=event).order_by("pk"))
    assert len(registrations) == 50 and all(r.is_member for r in registrations)
    statuses = [r.status for r in registrations]
    assert statuses.count("confirmed") == 20 and statuses.count("waitlisted") == 30
    # Rows are written under the event's lock, so primary keys give the order of arrival:
    # the first twenty got the seats, the rest queue behind them in the same order.
    assert statuses == ["confirmed"] * 20 + ["waitlisted"] * 30
    waiting = [r for r in registrations if r.status == "waitlisted"]
    queue = sorted(waiting, key=lambda r: (r.queued_at, r.pk))
    positions = {r.pk: position for position, r in enumerate(queue, start=1)}
    assert sorted(positions.values()) == list(range(1, 31))
    assert [positions[r.pk] for r in waiting] == list(range(1, 31))
    assert len({r.queued_at for r in waiting}) == 30


def test_concurrent_cancellations_promote_each_waiting_person_exactly_once(event):
    people = []
    for n in range(30):
        registration = services.register_for_event(event, name=f"P{n}", email=f"p{n}@example.dk")
        people.append(services.confirm_registration(services.confirm_token(registration)))
    confirmed = [p for p in people if p.status == "confirmed"]
    waiting = [p for p in people if p.status == "waitlisted"]
    assert len(confirmed) == 20 and len(waiting) == 10

    cancel_tokens = [services.cancel_token(p) for p in confirmed[:8]]
    # Each token twice: double clicks must not free two seats.
    errors = run_at_once([lambda t=t: services.cancel_registration(t) for t in cancel_tokens * 2])
    assert errors == []
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert sum(1 for s in statuses.values() if s == "confirmed") == 20
    promoted = [p.email for p in waiting if statuses[p.email] == "confirmed"]
    assert promoted == [p.email for p in waiting[:8]]  # first come, first served
    assert sum(1 for s in statuses.values() if s == "waitlisted") == 2


def test_simultaneous_duplicate_registrations_create_one(event):
    errors = run_at_once(
        [
            lambda: services.register_for_event(event, name="Anna", email="anna@example.dk")
            for _ in range(10)
        ]
    )
    assert Registration.objects.count() == 1
    assert all(isinstance(e, services.RegistrationError) for e in errors) and len(errors) == 9


def test_simultaneous_renewals_of_an_expired_registration_leave_one(event):
    import datetime

    from django.utils import timezone

    services.register_for_event(event, name="Anna", email="anna@example.dk")
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    errors = run_at_once(
        [
            lambda: services.register_for_event(event, name="Anna", email="anna@example.dk")
            for _ in range(10)
        ]
    )
    assert all(isinstance(e, services.RegistrationError) for e in errors) and len(errors) == 9
    renewed = Registration.objects.get()
    assert renewed.status == "pending" and not renewed.confirmation_expired()


def test_a_member_taking_over_a_pending_registration_gets_exactly_one_seat(event):
    from tests.factories import make_member

    member = make_member(email="mette@vejle.dk", first_name="Mette")
    services.register_for_event(event, name="Nogen", email="mette@vejle.dk")
    errors = run_at_once(
        [
            lambda: services.register_for_event(
                event, name="Mette", email="mette@vejle.dk", user=member
            )
            for _ in range(5)
        ]
    )
    assert len(errors) == 4
    assert list(Registration.objects.values_list("status", "user")) == [("confirmed", member.pk)]


def _translated(event):
    from wagtail.models import Locale

    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    english.refresh_from_db()
    return english


def test_fifty_people_on_the_danish_and_english_pages_share_twenty_seats(event):
    """One pool per event across its translations: half register on each language's page,
    all at once, and the same addresses try the other language's page at the same moment."""
    pages = [event, _translated(event)] * 25
    registrations = [
        lambda n=n, page=page: services.register_for_event(
            page, name=f"P{n}", email=f"p{n}@example.dk"
        )
        for n, page in enumerate(pages)
    ]
    doubles = [
        lambda n=n: services.register_for_event(
            pages[n + 1], name=f"P{n}", email=f"P{n}@example.dk"
        )
        for n in range(10)
    ]
    errors = run_at_once(registrations + doubles)
    assert len(errors) == 10
    assert all(isinstance(e, services.RegistrationError) for e in errors)
    tokens = [services.confirm_token(r) for r in Registration.objects.all()]
    assert run_at_once([lambda t=t: services.confirm_registration(t) for t in tokens]) == []
    rows = list(Registration.objects.values_list("event", "email", "status"))
    assert len(rows) == 50 and {event_id for event_id, _, _ in rows} == {event.pk}
    assert len({email for _, email, _ in rows}) == 50
    statuses = [status for _, _, status in rows]
    assert statuses.count("confirmed") == 20 and statuses.count("waitlisted") == 30


def test_fifty_members_on_both_language_pages_at_once_get_twenty_seats(event):
    from tests.factories import MemberOrganisationFactory, make_member

    organisation = MemberOrganisationFactory()
    members = [
        make_member(organisation=organisation, username=f"m{n}", first_name=f"M{n}", password="!")
        for n in range(50)
    ]
    pages = [event, _translated(event)] * 25
    errors = run_at_once(
        [
            lambda m=m, page=page: services.register_for_event(
                page, name=m.first_name, email=m.email, user=m
            )
            for m, page in zip(members, pages, strict=True)
        ]
    )
    assert errors == []
    rows = list(Registration.objects.values_list("event", "language", "status"))
    assert {event_id for event_id, _, _ in rows} == {event.pk}
    assert sorted(language for _, language, _ in rows) == ["da"] * 25 + ["en"] * 25
    statuses = [status for _, _, status in rows]
    assert statuses.count("confirmed") == 20 and statuses.count("waitlisted") == 30
