import json
import re

import pytest
from django.core import mail

from newsletters import services
from newsletters.models import ConsentRecord, Subscriber
from tests.factories import CaseIndexPageFactory, CasePageFactory, make_member, restrict_to_members

pytestmark = pytest.mark.django_db


def _confirm_link(message) -> str:
    return (
        re.search(r"http://\S+/nyhedsbrev/bekraeft/\S+/", message.body)
        .group(0)
        .split(":8000", 1)[1]
    )


def _subscribe(client, email):
    return client.post("/nyhedsbrev/tilmeld/", {"email": email, "name": "Anna", "consent": "on"})


def test_double_opt_in_with_consent_record(client, home_page):
    response = _subscribe(client, "anna@example.dk")
    assert "Tjek din e-mail" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending"
    link = _confirm_link(mail.outbox[0])
    client.get(link)
    assert Subscriber.objects.get().status == "pending"  # GET (link scanners) confirms nothing
    client.post(link)
    subscriber.refresh_from_db()
    assert subscriber.status == "active" and subscriber.confirmed_at
    actions = list(subscriber.consents.values_list("action", "consent_text_version", "source"))
    assert actions == [
        ("subscribe", services.CONSENT_TEXT_VERSION, "web-formular"),
        ("confirm", services.CONSENT_TEXT_VERSION, "e-mail"),
    ]


def test_consent_box_is_required(client, home_page):
    response = client.post("/nyhedsbrev/tilmeld/", {"email": "anna@example.dk"})
    assert response.status_code == 400 and Subscriber.objects.count() == 0


def test_same_answer_for_known_unknown_and_suppressed_addresses(client, home_page):
    Subscriber.objects.create(email="aktiv@example.dk", status="active")
    Subscriber.objects.create(email="bounce@example.dk", status="bounced")
    pages = [
        _subscribe(client, email).content.decode()
        for email in ("ny@example.dk", "aktiv@example.dk", "bounce@example.dk")
    ]
    assert pages[0] == pages[1] == pages[2]
    assert [m.to for m in mail.outbox] == [["ny@example.dk"]]
    assert Subscriber.objects.get(email="bounce@example.dk").status == "bounced"


def test_tampered_and_expired_confirmation_links(client, home_page, settings):
    _subscribe(client, "anna@example.dk")
    link = _confirm_link(mail.outbox[0])
    assert client.post(link[:-4] + "xyz/").status_code == 400
    settings.NEWSLETTER_CONFIRM_HOURS = -1
    response = client.post(link)
    assert response.status_code == 400 and "udløbet" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def test_one_click_unsubscribe_headers_and_behaviour(client, issue):
    subscriber = Subscriber.objects.create(email="laeser@example.dk", status="active")
    subscriber.lists.set(services.default_lists())
    send = services.create_send(issue)
    services.queue_deliveries(send)
    services.send_batch(send.pk)
    message = mail.outbox[-1]
    unsubscribe_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url.endswith(f"/nyhedsbrev/afmeld/{subscriber.key}/")
    path = unsubscribe_url.split(":8000", 1)[1]

    page = client.get(path)
    assert page.status_code == 200 and 'type="submit"' in page.content.decode()
    assert Subscriber.objects.get().status == "active"  # a bare GET changes nothing

    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)  # mail clients have no CSRF token
    response = mail_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert subscriber.consents.filter(action="unsubscribe", source="one-click").exists()


def test_email_has_inlined_css_text_part_and_view_in_browser_link(issue):
    html, text = services.render_newsletter(issue)
    assert "<style" not in html and 'style="' in html
    assert "Se nyhedsbrevet i browseren" in html and issue.url in html
    assert "Kære læser" in text and "<p>" not in text


def test_public_newsletter_never_carries_members_only_content(home_page, archive):
    from tests.newsletters.conftest import NewsletterPageFactory

    cases = CaseIndexPageFactory(parent=home_page)
    public = CasePageFactory(parent=cases, title="Åben case", summary="Offentligt resumé")
    members_only = CasePageFactory(
        parent=cases,
        title="Medlemscase",
        members_only=True,
        summary="Teaser",
        challenge="<p>HEMMELIG123</p>",
    )
    restricted = CasePageFactory(parent=cases, title="Lukket case XYZ")
    restrict_to_members(restricted)
    issue = NewsletterPageFactory(
        parent=archive,
        body=[("cases", {"heading": "Nye cases", "pages": [public, members_only, restricted]})],
    )
    html, text = services.render_newsletter(issue)
    assert "Åben case" in html and "Medlemscase" in html and "Teaser" in html
    assert "HEMMELIG123" not in html + text
    assert "Lukket case XYZ" not in html + text


def test_scheduled_send_waits_for_its_time(issue):
    import datetime

    from django.utils import timezone

    later = services.create_send(issue, scheduled_at=timezone.now() + datetime.timedelta(hours=1))
    now = services.create_send(issue)
    assert list(services.due_sends()) == [now]
    later.scheduled_at = timezone.now() - datetime.timedelta(seconds=1)
    later.save()
    assert set(services.due_sends()) == {now, later}


def test_archive_lists_public_issues_and_hides_members_only_ones(client, archive):
    from tests.newsletters.conftest import NewsletterPageFactory

    NewsletterPageFactory(parent=archive, title="Offentligt nyhedsbrev")
    internal = NewsletterPageFactory(parent=archive, title="Internt medlemsbrev")
    restrict_to_members(internal)
    html = client.get(archive.url).content.decode()
    assert "Offentligt nyhedsbrev" in html and "Internt medlemsbrev" not in html
    rss = client.get(archive.url + "rss/").content.decode()
    assert "Offentligt nyhedsbrev" in rss and "Internt medlemsbrev" not in rss
    client.force_login(make_member())
    assert "Internt medlemsbrev" in client.get(archive.url).content.decode()


def test_bounce_webhook_suppresses_addresses(client, home_page, settings):
    settings.NEWSLETTER_WEBHOOK_SECRET = "hemmelig-nøgle"
    Subscriber.objects.create(email="hard@example.dk", status="active")
    payload = json.dumps([{"email": "hard@example.dk", "type": "bounce"}])
    denied = client.post("/nyhedsbrev/webhook/bounce/", payload, content_type="application/json")
    assert denied.status_code == 403
    ok = client.post(
        "/nyhedsbrev/webhook/bounce/",
        payload,
        content_type="application/json",
        HTTP_X_WEBHOOK_TOKEN="hemmelig-nøgle",
    )
    assert ok.json() == {"suppressed": 1}
    assert Subscriber.objects.get().status == "bounced"
    assert ConsentRecord.objects.filter(action="suppress").exists()
    bad = client.post(
        "/nyhedsbrev/webhook/bounce/",
        "ikke json",
        content_type="application/json",
        HTTP_X_WEBHOOK_TOKEN="hemmelig-nøgle",
    )
    assert bad.status_code == 400


def test_member_subscribes_from_profile_without_double_opt_in(home_page):
    member = make_member(email="mette@vejle.dk")
    subscriber = services.subscribe_member(member)
    assert subscriber.status == "active" and subscriber.user == member
    assert subscriber.consents.get().source == "profil"


def test_member_toggles_newsletter_on_profile_and_erasure_removes_subscription(client, home_page):
    from members_area.services import erase_personal_data

    member = make_member(email="mette@vejle.dk")
    client.force_login(member)
    client.post("/medlemmer/profil/", {"newsletter": "on"})
    assert Subscriber.objects.get(email="mette@vejle.dk").status == "active"
    assert "Afmeld nyhedsbrevet" in client.get("/medlemmer/profil/").content.decode()
    assert client.get("/medlemmer/mine-data/").json()["newsletters"][0]["email"] == "mette@vejle.dk"
    erase_personal_data(member)
    assert not Subscriber.objects.filter(email="mette@vejle.dk").exists()


def test_subscriber_import_is_validated_and_all_or_nothing(home_page):
    from newsletters.importing import import_subscribers

    services.default_lists()
    Subscriber.objects.create(email="afmeldt@example.dk", status="unsubscribed")
    bad = (
        "email,name,lists\nok@example.dk,Ok,\nikke-en-adresse,X,\n"
        "ok@example.dk,Igen,\nx@example.dk,,findes-ikke\n"
    )
    imported, errors = import_subscribers(bad, source="test")
    assert imported == 0 and len(errors) == 3
    assert (
        errors[0].startswith("linje 3:") and "linje 4:" in errors[1] and "findes-ikke" in errors[2]
    )
    assert not Subscriber.objects.filter(email="ok@example.dk").exists()

    good = "email,name,lists\nok@example.dk,Ok,nyhedsbrev\nafmeldt@example.dk,,\n"
    assert import_subscribers(good, source="test") == (1, [])
    assert Subscriber.objects.get(email="ok@example.dk").status == "active"
    assert Subscriber.objects.get(email="afmeldt@example.dk").status == "unsubscribed"
