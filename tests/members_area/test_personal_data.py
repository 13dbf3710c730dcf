"""Erasing an account removes the person's data from every corner of the site."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core import mail

from events.models import Registration
from forum import services as forum
from forum.models import Category
from members_area.models import Invitation
from members_area.services import invite_member
from newsletters.models import Subscriber
from tests.factories import (
    DEFAULT_PASSWORD,
    EventIndexPageFactory,
    EventPageFactory,
    MemberOrganisationFactory,
    make_member,
)

pytestmark = pytest.mark.django_db
LOGIN = "/medlemmer/log-ind/"
EMAIL = "gitte@vejle.dk"


@pytest.fixture
def gitte(client, home_page):
    """A member who has logged in (and later mistyped), registered, subscribed and posted."""
    member = make_member(username=EMAIL, email=EMAIL, first_name="Gitte")
    client.post(LOGIN, {"username": EMAIL, "password": DEFAULT_PASSWORD})
    client.post("/medlemmer/log-ud/")
    client.post(LOGIN, {"username": EMAIL, "password": "forkert"})
    events = EventIndexPageFactory(parent=home_page)
    event = EventPageFactory(parent=events, title="Netværksdag")
    Registration.objects.create(
        event=event, user=member, name="Gitte G.", email=EMAIL, status="confirmed"
    )
    Registration.objects.create(event=event, name="Anden", email="anden@x.dk", status="confirmed")
    # Registered for a workshop without logging in, with her own address.
    workshop = EventPageFactory(parent=events, title="Workshop")
    Registration.objects.create(
        event=workshop, name="Gitte G.", email=EMAIL.upper(), organisation="Vejle"
    )
    Subscriber.objects.create(email=EMAIL, name="Gitte", status="active")
    invite_member(email=EMAIL, organisation=MemberOrganisationFactory(name="Fredericia Kommune"))
    thread = forum.start_thread(
        member,
        category=Category.objects.create(name="Partnerskaber", slug="partnerskaber"),
        title="Erfaringer med frivillige",
        body="Vi har gode erfaringer.",
    )
    mail.outbox.clear()
    return {"user": member, "events": [event, workshop], "thread": thread}


def _erase(client, user):
    client.force_login(user)
    response = client.post("/medlemmer/slet-min-konto/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_erasure_removes_login_records_invitations_and_newsletter_subscription(client, gitte):
    assert AccessAttempt.objects.filter(username=EMAIL).exists()
    assert AccessLog.objects.filter(username=EMAIL).exists()
    _erase(client, gitte["user"])
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username__iexact=EMAIL).exists(), model.__name__
    assert not Invitation.objects.filter(email__iexact=EMAIL).exists()
    assert not Subscriber.objects.filter(email__iexact=EMAIL).exists()


def test_erasure_anonymises_event_registrations_but_keeps_the_head_count(client, gitte):
    event, workshop = gitte["events"]
    _erase(client, gitte["user"])
    assert event.registrations.count() == 2 and workshop.registrations.count() == 1
    assert not Registration.objects.filter(email__iexact=EMAIL).exists()
    assert not Registration.objects.filter(name__icontains="Gitte").exists()
    assert not Registration.objects.filter(organisation="Vejle").exists()
    assert event.registrations.filter(email="anden@x.dk").exists()  # others untouched


def test_erased_members_forum_posts_stay_as_former_member(client, gitte):
    _erase(client, gitte["user"])
    client.force_login(make_member(username="laeser@example.dk"))
    html = client.get(f"/medlemmer/forum/traad/{gitte['thread'].pk}/").content.decode()
    assert "Vi har gode erfaringer." in html
    assert "Tidligere medlem" in html and "Gitte" not in html
