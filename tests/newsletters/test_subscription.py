import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.outbox.models import OutboundEmail
from core.outbox.services import deliver_due
from core.outbox.tasks import deliver_emails
from newsletters import services
from newsletters.models import ConsentRecord, Subscriber
from tests.factories import CaseIndexPageFactory, CasePageFactory, make_member, restrict_to_members
from tests.newsletters.conftest import make_subscribers

pytestmark = pytest.mark.django_db


def _confirm_link(message) -> str:
    return re.search(r"http://[^/\s]+(/nyhedsbrev/bekraeft/\S+/)", message.body).group(1)


def _subscribe(client, email):
    # The confirmation e-mail leaves after COMMIT, as it does outside tests.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/nyhedsbrev/tilmeld/", {"email": email, "name": "Anna", "consent": "on"}
        )


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
    path = re.sub(r"^http://[^/]+", "", unsubscribe_url)

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


def _a_while_later():
    """The retry delay has passed (the outbox backs off after a failure)."""
    OutboundEmail.objects.update(next_attempt_at=timezone.now())


def test_with_the_mail_server_down_subscribing_still_works_and_the_mail_follows(
    client, home_page, smtp_down
):
    response = _subscribe(client, "anna@example.dk")

    assert response.status_code == 200 and "Tjek din e-mail" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "pending" and subscriber.consents.get().action == "subscribe"
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == "pending"  # waiting for its retry

    smtp_down()  # the mail server recovers
    assert deliver_due() == 0 and mail.outbox == []  # not before the retry delay
    _a_while_later()
    deliver_due()  # the beat

    assert [m.to for m in mail.outbox] == [["anna@example.dk"]]
    client.post(_confirm_link(mail.outbox[0]))
    assert Subscriber.objects.get().status == "active"
    _a_while_later()
    deliver_due()
    assert len(mail.outbox) == 1  # sent once, not again


def _broker_down(monkeypatch):
    from kombu.exceptions import OperationalError

    from newsletters import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(tasks.subscribe_task.app.conf, "task_always_eager", False)
    for task in (tasks.subscribe_task, deliver_emails):
        monkeypatch.setattr(task, "apply_async", broker_down)


def test_with_the_broker_down_the_confirmation_is_sent_inline(client, home_page, monkeypatch):
    _broker_down(monkeypatch)

    response = _subscribe(client, "anna@example.dk")

    assert "Tjek din e-mail" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["anna@example.dk"]]
    assert OutboundEmail.objects.get().status == "sent"


def test_with_broker_and_mail_server_down_the_subscription_is_kept_for_the_retry(
    client, home_page, monkeypatch, smtp_down
):
    _broker_down(monkeypatch)

    response = _subscribe(client, "anna@example.dk")

    assert response.status_code == 200 and "Tjek din e-mail" in response.content.decode()
    assert Subscriber.objects.get().status == "pending" and mail.outbox == []
    smtp_down()
    _a_while_later()
    assert deliver_due() == 1
    assert [m.to for m in mail.outbox] == [["anna@example.dk"]]


def test_a_new_and_an_active_address_cost_the_request_the_same_work(client, home_page, monkeypatch):
    """Timing: the request only validates and queues one job, whoever the address is."""
    from newsletters import tasks

    queued = []
    monkeypatch.setitem(tasks.subscribe_task.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        tasks.subscribe_task, "apply_async", lambda args, kwargs: queued.append(args[0])
    )
    Subscriber.objects.create(email="aktiv@example.dk", status="active")
    # The site's settings row is created on first use, which purges the page cache; the worker's
    # per-process lookups (core.site_state) refill once after that. Two warm-up requests.
    pages = []
    for email in ("opvarmning@example.dk", "igen@example.dk", "ny@example.dk", "aktiv@example.dk"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            with CaptureQueriesContext(connection) as queries:
                response = client.post(
                    "/nyhedsbrev/tilmeld/", {"email": email, "name": "Anna", "consent": "on"}
                )
        pages.append((response.content, len(queries)))

    assert queued == [
        "opvarmning@example.dk",
        "igen@example.dk",
        "ny@example.dk",
        "aktiv@example.dk",
    ]
    assert pages[2] == pages[3]  # same page, same number of queries
    assert Subscriber.objects.count() == 1  # nothing decided in the request


def test_a_member_whose_address_bounced_is_told_why_and_stays_suppressed(home_page):
    member = make_member(email="mette@vejle.dk")
    Subscriber.objects.create(email="mette@vejle.dk", status="bounced")

    with pytest.raises(services.SubscriptionError) as error:
        services.subscribe_member(member)

    assert "mette@vejle.dk" in str(error.value) and "afvist" in str(error.value)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "bounced" and not subscriber.consents.exists()


def test_a_bounced_member_subscribing_from_the_profile_is_told_why(client, home_page):
    member = make_member(email="mette@vejle.dk")
    Subscriber.objects.create(email="mette@vejle.dk", status="bounced")
    client.force_login(member)

    response = client.post("/medlemmer/profil/", {"newsletter": "on"}, follow=True)

    assert response.status_code == 200
    assert "afvist" in response.content.decode()
    assert Subscriber.objects.get().status == "bounced"


def test_a_member_who_complained_stays_suppressed(home_page):
    member = make_member(email="mette@vejle.dk")
    Subscriber.objects.create(email="mette@vejle.dk", status="complained")
    with pytest.raises(services.SubscriptionError):
        services.subscribe_member(member)
    assert Subscriber.objects.get().status == "complained"


def test_a_member_who_unsubscribed_can_subscribe_again_from_the_profile(home_page):
    member = make_member(email="mette@vejle.dk")
    Subscriber.objects.create(email="mette@vejle.dk", status="unsubscribed")
    assert services.subscribe_member(member).status == "active"


def _preferences_path(message) -> str:
    return re.search(r"/nyhedsbrev/indstillinger/\S+/", message.body).group(0)


def test_preferences_link_in_every_newsletter_lets_the_reader_choose_lists(client, issue):
    from newsletters.models import NewsletterList

    services.default_lists()
    events = NewsletterList.objects.create(name="Arrangementer", slug="arrangementer")
    (reader,) = make_subscribers("laeser@example.dk")
    reader.lists.add(events)
    send = services.create_send(issue)
    services.queue_deliveries(send)
    services.send_batch(send.pk)
    path = _preferences_path(mail.outbox[-1])

    page = client.get(path).content.decode()
    assert "laeser@example.dk" in page
    assert page.count("checked") == 2

    client.post(path, {"lists": [events.pk]})
    assert list(reader.lists.all()) == [events]
    assert reader.consents.filter(action="preferences", source="indstillinger").exists()
    assert "Dine valg er gemt." in client.get(path).content.decode()

    client.post(path, {})  # nothing chosen: unsubscribed altogether
    reader.refresh_from_db()
    assert reader.status == "unsubscribed"


def test_a_tampered_preferences_link_is_refused(client, home_page):
    (reader,) = make_subscribers("laeser@example.dk")
    token = services.preferences_token(reader)
    response = client.get(f"/nyhedsbrev/indstillinger/{token[:-3]}abc/")
    assert response.status_code == 400 and "ugyldigt" in response.content.decode()


def test_fifteen_sign_ups_for_someone_elses_address_from_many_ips_send_five_mails(
    client, home_page
):
    """Mail-bombing: the per-address budget holds whichever IPs the requests come from, and
    the answer stays the same."""
    answers = set()
    for n in range(15):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                "/nyhedsbrev/tilmeld/",
                {"email": "offer@example.dk", "consent": "on"},
                REMOTE_ADDR=f"198.51.100.{n}",
            )
        answers.add((response.status_code, "Tjek din e-mail" in response.content.decode()))
        Subscriber.objects.update(status="unsubscribed")  # each request would mail again

    assert answers == {(200, True)}
    assert len(mail.outbox) == 5  # MAIL_TO_ADDRESS_RATELIMIT, 5 an hour
