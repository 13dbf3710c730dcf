"""Dietary and accessibility needs can be health data: explained, consented to, erased after."""

import datetime

import pytest
from django.utils import timezone

from events import services
from events.models import Registration
from home.models import SiteSettings
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def _post(client, event, **extra):
    data = {"name": "Anna Andersen", "email": "anna@example.dk", **extra}
    return client.post(f"/arrangementer/{event.pk}/tilmeld/", data)


def test_the_form_says_why_it_asks_and_links_the_privacy_policy(client, home_page, open_event):
    policy = StandardPageFactory(parent=home_page, title="Privatlivspolitik", slug="privatliv")
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.privacy_policy_page = policy
    site_settings.save()

    html = client.get(f"/arrangementer/{open_event.pk}/tilmeld/").content.decode()

    assert "sige noget om dit helbred" in html
    assert "sletter dem, når det er slut" in html
    assert 'name="needs_consent"' in html
    assert 'href="/privatliv/"' in html


def test_needs_without_consent_are_refused_and_nothing_is_lost(client, open_event):
    response = _post(client, open_event, needs="Glutenfri")

    html = response.content.decode()
    assert "Sæt kryds for at give samtykke" in html
    assert "Glutenfri" in html  # what was typed is still in the form
    assert not Registration.objects.exists()


def test_needs_with_consent_are_kept_with_the_time_of_consent(client, open_event):
    _post(client, open_event, needs="Glutenfri", needs_consent="on")

    registration = Registration.objects.get()
    assert registration.needs == "Glutenfri"
    assert registration.needs_consent_at is not None


def test_no_needs_need_no_consent(client, open_event):
    _post(client, open_event)

    registration = Registration.objects.get()
    assert registration.needs == "" and registration.needs_consent_at is None


def test_the_service_never_keeps_needs_without_consent(open_event):
    registration = services.register_for_event(
        open_event, name="Bo", email="bo@example.dk", needs="Kørestol"
    )
    assert registration.needs == ""


def test_needs_are_erased_once_the_event_is_over(open_event, event_index):
    from tests.factories import EventPageFactory

    kept = services.register_for_event(
        open_event, name="Bo", email="bo@example.dk", needs="Vegansk", needs_consent=True
    )
    past = EventPageFactory(parent=event_index, title="Afholdt")
    erased = services.register_for_event(
        past, name="Eva", email="eva@example.dk", needs="Teleslynge", needs_consent=True
    )
    past.start = timezone.now() - datetime.timedelta(days=2)
    past.end = timezone.now() - datetime.timedelta(hours=2)
    past.save()

    assert services.erase_needs_after_events() == 1

    erased.refresh_from_db()
    kept.refresh_from_db()
    assert erased.needs == "" and erased.needs_consent_at is None
    assert erased.email == "eva@example.dk"  # the registration itself stays until retention
    assert kept.needs == "Vegansk"
