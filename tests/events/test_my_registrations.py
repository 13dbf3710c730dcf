"""A member's own registrations: "Mine tilmeldinger", cancelling, and their status on the event
page, which never reaches anyone else (nor the anonymous page cache)."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from events import services
from events.models import Registration
from tests.factories import EventPageFactory, make_member

pytestmark = pytest.mark.django_db
MY_REGISTRATIONS = "/medlemmer/tilmeldinger/"


def _register(event, member):
    return services.register_for_event(
        event, name=member.get_full_name() or member.username, email=member.email, user=member
    )


@pytest.fixture
def mette():
    return make_member(email="mette@vejle.dk", first_name="Mette")


@pytest.fixture
def ole():
    return make_member(email="ole@odense.dk", first_name="Ole")


@pytest.fixture
def past_event(event_index):
    now = timezone.now()
    return EventPageFactory(
        parent=event_index,
        title="Netværksmødet sidste forår",
        start=now - datetime.timedelta(days=60),
        end=now - datetime.timedelta(days=60, hours=-3),
    )


def test_the_list_shows_my_registrations_only_coming_first(
    client, event_index, open_event, past_event, mette, ole
):
    later = EventPageFactory(
        parent=event_index,
        title="Workshop om samskabelse",
        start=open_event.start + datetime.timedelta(days=20),
        end=open_event.end + datetime.timedelta(days=20),
    )
    others = EventPageFactory(parent=event_index, title="Oles eget arrangement")
    _register(later, mette)
    _register(open_event, mette)
    _register(others, ole)
    Registration.objects.create(
        event=past_event,
        user=mette,
        name="Mette",
        email=mette.email,
        status=Registration.Status.CONFIRMED,
        attended=True,
    )
    client.force_login(mette)

    response = client.get(MY_REGISTRATIONS)

    html = response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "Oles eget arrangement" not in html
    positions = [html.index(title) for title in (open_event.title, later.title, past_event.title)]
    assert positions == sorted(positions)  # coming events by date, then the past ones
    assert "Du deltog." in html
    assert html.count("/afmeld/") == 2  # past events cannot be cancelled


def test_the_list_needs_a_login(client):
    response = client.get(MY_REGISTRATIONS)
    assert response.status_code == 302 and "/medlemmer/log-ind/" in response["Location"]


def test_the_list_shows_my_place_on_the_waiting_list(client, open_event, mette):
    for n in range(2):
        _register(open_event, make_member(email=f"m{n}@aarhus.dk"))
    _register(open_event, make_member(email="first-in-line@aarhus.dk"))
    _register(open_event, mette)
    client.force_login(mette)

    assert "Du står på venteliste som nr. 2." in client.get(MY_REGISTRATIONS).content.decode()
    assert "Du står på venteliste som nr. 2." in client.get(open_event.url).content.decode()


def test_cancelling_asks_first_then_frees_the_seat_for_the_waiting_list(client, open_event, mette):
    mine = _register(open_event, mette)
    _register(open_event, make_member(email="anden@aarhus.dk"))
    waiting = _register(open_event, make_member(email="venter@aarhus.dk"))
    assert waiting.status == "waitlisted"
    client.force_login(mette)
    url = f"{MY_REGISTRATIONS}{mine.pk}/afmeld/"

    question = client.get(url)
    assert f"Vil du afmelde dig {open_event.title}?" in question.content.decode()
    mine.refresh_from_db()
    assert mine.status == "confirmed"  # a GET changes nothing
    mail.outbox.clear()

    response = client.post(url, follow=True)

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == "cancelled" and waiting.status == "confirmed"
    assert "Du er afmeldt" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["venter@aarhus.dk"]]  # the promotion e-mail
    assert "Du er ikke tilmeldt nogen kommende arrangementer." in response.content.decode()


def test_someone_else_cannot_see_or_cancel_my_registration(client, open_event, mette, ole):
    mine = _register(open_event, mette)
    client.force_login(ole)
    url = f"{MY_REGISTRATIONS}{mine.pk}/afmeld/"

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    assert open_event.title not in client.get(MY_REGISTRATIONS).content.decode()


def test_anonymous_cannot_cancel_by_guessing_ids(client, open_event, mette):
    mine = _register(open_event, mette)
    response = client.post(f"{MY_REGISTRATIONS}{mine.pk}/afmeld/")
    assert response.status_code == 302 and "/medlemmer/log-ind/" in response["Location"]
    mine.refresh_from_db()
    assert mine.status == "confirmed"


def test_after_cancelling_on_the_event_page_i_return_there_but_never_elsewhere(
    client, open_event, mette
):
    mine = _register(open_event, mette)
    client.force_login(mette)
    url = f"{MY_REGISTRATIONS}{mine.pk}/afmeld/"

    outside = client.post(url + "?next=https://phish.example/", {"next": "https://phish.example/"})
    assert outside["Location"] == MY_REGISTRATIONS

    again = _register(open_event, mette)
    back = client.post(f"{MY_REGISTRATIONS}{again.pk}/afmeld/", {"next": open_event.url})
    assert back["Location"] == open_event.url


def test_the_event_page_shows_my_status_and_a_cancel_button_instead_of_the_form(
    client, open_event, mette
):
    mine = _register(open_event, mette)
    client.force_login(mette)

    html = client.get(open_event.url).content.decode()

    assert "Du er tilmeldt." in html
    assert f"{MY_REGISTRATIONS}{mine.pk}/afmeld/" in html
    assert "Tilmeld mig" not in html


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_my_status_never_reaches_anonymous_visitors_or_other_members(
    client, open_event, mette, ole, page_cache_on
):
    member_client, other_client = Client(), Client()
    member_client.force_login(mette)
    other_client.force_login(ole)
    anonymous_first = client.get(open_event.url)
    assert anonymous_first["X-Page-Cache"] == "miss"
    mine = _register(open_event, mette)
    cancel_link = f"{MY_REGISTRATIONS}{mine.pk}/afmeld/"

    mettes = member_client.get(open_event.url)
    assert "Du er tilmeldt." in mettes.content.decode()
    assert "private" in mettes["Cache-Control"] and "X-Page-Cache" not in mettes
    # Mette's page went to no cache: the next anonymous visitor, and Ole, see none of it.
    for response in (client.get(open_event.url), client.get(open_event.url)):
        html = response.content.decode()
        assert "Du er tilmeldt." not in html and cancel_link not in html
    assert client.get(open_event.url)["X-Page-Cache"] == "hit"
    oles = other_client.get(open_event.url).content.decode()
    assert "Du er tilmeldt." not in oles and cancel_link not in oles and "Tilmeld mig" in oles


def test_registrations_show_the_event_in_the_visitors_language(client, open_event, mette):
    english = open_event.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    english.title = "Volunteers and professionals"
    english.save_revision().publish()
    _register(open_event, mette)  # on the Danish page: it belongs to the source event
    client.force_login(mette)

    danish = client.get(MY_REGISTRATIONS).content.decode()
    in_english = client.get(f"/en{MY_REGISTRATIONS}").content.decode()

    assert open_event.title in danish and "Volunteers and professionals" not in danish
    assert "My registrations" in in_english and "You are registered." in in_english
    assert f'href="{english.url}"' in in_english and open_event.title not in in_english
