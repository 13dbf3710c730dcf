"""Editors in the Wagtail admin: sending (only with the permission), lists, CSV import."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from core.outbox.models import OutboundEmail
from newsletters import services
from newsletters.models import NewsletterList, NewsletterSend, Subscriber
from newsletters.tasks import dispatch_due_newsletters
from tests.factories import UserFactory
from tests.newsletters.conftest import make_subscribers

pytestmark = pytest.mark.django_db


def _editor(*permissions: str, username="redaktoer"):
    """A Wagtail editor (admin access, may edit every page) holding the given
    ``app_label.codename`` permissions."""
    group = Group.objects.create(name=f"Redaktører {username}")
    for name in ("wagtailadmin.access_admin", *permissions):
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    GroupPagePermission.objects.create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    user = UserFactory(username=username)
    user.groups.add(group)
    return user


@pytest.fixture
def sender(home_page):
    return _editor("newsletters.send_newsletter", username="afsender")


def _send_url(issue):
    return f"/admin/nyhedsbrev/send/{issue.pk}/"


def test_an_editor_without_the_send_permission_cannot_send_or_watch_a_send(client, issue):
    make_subscribers("laeser@example.dk")
    client.force_login(_editor())
    send = services.create_send(issue)

    assert client.get(_send_url(issue)).status_code == 403
    assert client.post(_send_url(issue), {}).status_code == 403
    assert client.get(f"/admin/nyhedsbrev/udsendelse/{send.pk}/").status_code == 403
    assert mail.outbox == []
    assert NewsletterSend.objects.count() == 1
    editing = client.get(f"/admin/pages/{issue.pk}/edit/")
    assert editing.status_code == 200 and "Send nyhedsbrev" not in editing.content.decode()


def test_an_editor_with_the_send_permission_sends_to_the_subscribers(client, issue, sender):
    make_subscribers("laeser@example.dk", "anden@example.dk")
    client.force_login(sender)
    assert "Send nyhedsbrev" in client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert client.get(_send_url(issue)).status_code == 200

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_send_url(issue), {}, follow=True)

    assert response.status_code == 200
    assert sorted(m.to[0] for m in mail.outbox) == ["anden@example.dk", "laeser@example.dk"]
    send = NewsletterSend.objects.get()
    assert send.status == "done" and send.created_by == sender
    assert "Udsendelsen er startet." in response.content.decode()
    progress = client.get(f"/admin/nyhedsbrev/udsendelse/{send.pk}/").content.decode()
    assert '<span data-count="sent">2</span> / <span data-count="total">2</span>' in progress


def test_a_test_send_goes_only_to_the_editor(client, issue, sender):
    make_subscribers("laeser@example.dk")
    client.force_login(sender)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_send_url(issue), {"test": "1"}, follow=True)

    assert [m.to for m in mail.outbox] == [[sender.email]]
    assert mail.outbox[0].subject == f"[TEST] {issue.title}"
    assert "Kære læser" in mail.outbox[0].body
    assert f"Testudsendelse sendt til {sender.email}" in response.content.decode()
    assert not NewsletterSend.objects.exists()


def test_a_send_planned_for_later_waits_for_the_beat_when_it_is_due(client, issue, sender):
    make_subscribers("laeser@example.dk")
    client.force_login(sender)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)

    response = client.post(
        _send_url(issue), {"scheduled_at": tomorrow.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )

    assert "Udsendelsen er planlagt." in response.content.decode()
    send = NewsletterSend.objects.get()
    assert send.status == "scheduled" and mail.outbox == []
    assert dispatch_due_newsletters() == 0 and mail.outbox == []

    NewsletterSend.objects.filter(pk=send.pk).update(scheduled_at=timezone.now())  # tomorrow
    assert dispatch_due_newsletters() == 1
    assert [m.to for m in mail.outbox] == [["laeser@example.dk"]]


def _row(send, subscriber):
    return OutboundEmail.objects.filter(group=services.send_group(send), recipient=subscriber.email)


def test_progress_shows_sent_failed_remaining_and_unknown(client, issue, sender, settings):
    a, b, c, d, e = make_subscribers(*(f"{n}@example.dk" for n in "abcde"))
    send = services.create_send(issue)
    services.queue_deliveries(send)
    _row(send, a).update(status="sent")
    _row(send, b).update(status="failed")
    # A worker died after sending the end of c's message, before the reply, long ago.
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    _row(send, c).update(status="sending", claimed_at=long_ago, data_ended_at=long_ago)
    client.force_login(sender)

    url = f"/admin/nyhedsbrev/udsendelse/{send.pk}/"
    html = client.get(url).content.decode()
    assert '<span data-count="sent">1</span> / <span data-count="total">5</span>' in html
    assert '<dd data-count="queued">3</dd>' in html  # a GET only reads

    _row(send, d).update(status="sent")
    _row(send, e).update(status="sent")
    dispatch_due_newsletters()  # the beat finds the dead worker's row
    html = client.get(url).content.decode()

    assert '<span data-count="sent">3</span> / <span data-count="total">5</span>' in html
    assert '<dd data-count="failed">1</dd>' in html
    assert '<dd data-count="queued">0</dd>' in html
    assert '<dd data-count="unknown">1</dd>' in html
    assert "sendes ikke igen automatisk" in html
    send.refresh_from_db()
    assert send.status == "done"  # the unknown row does not keep the send open forever
    assert mail.outbox == []


def test_an_editor_resends_the_unknown_messages_with_one_action(client, issue, sender):
    a, b = make_subscribers("a@example.dk", "b@example.dk")
    send = services.create_send(issue)
    services.queue_deliveries(send)
    _row(send, a).update(status="sent")
    _row(send, b).update(status="unknown")
    dispatch_due_newsletters()
    client.force_login(sender)
    url = f"/admin/nyhedsbrev/udsendelse/{send.pk}/"
    assert client.get(f"{url}send-ukendte-igen/").status_code == 405  # a GET never writes

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{url}send-ukendte-igen/", follow=True)

    assert "1 e-mails sendes igen." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["b@example.dk"]]
    assert _row(send, b).get().status == "sent"


def test_editors_manage_newsletter_lists_in_the_admin(client, home_page):
    editor = _editor(
        "newsletters.add_newsletterlist",
        "newsletters.change_newsletterlist",
        "newsletters.view_newsletterlist",
    )
    client.force_login(editor)

    created = client.post(
        "/admin/newsletters/newsletterlist/create/",
        {"name": "Kommunale innovatører", "slug": "innovatoerer", "description": "Til kommuner"},
    )

    assert created.status_code == 302
    assert NewsletterList.objects.get(slug="innovatoerer").name == "Kommunale innovatører"
    listing = client.get("/admin/newsletters/newsletterlist/").content.decode()
    assert "Kommunale innovatører" in listing
    assert "Kommunale innovatører" in client.get("/nyhedsbrev/tilmeld/").content.decode()


def _upload(client, text: str, name="abonnenter.csv"):
    return client.post(
        "/admin/nyhedsbrev/abonnenter/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


def test_import_is_reached_from_the_subscribers_listing_and_previews_rejected_rows(
    client, home_page
):
    services.default_lists()
    editor = _editor("newsletters.add_subscriber", "newsletters.view_subscriber")
    client.force_login(editor)
    listing = client.get("/admin/newsletters/subscriber/").content.decode()
    assert 'href="/admin/nyhedsbrev/abonnenter/import/"' in listing

    preview = _upload(
        client, "email,name,lists\nok@example.dk,Ok,\nikke-en-adresse,X,\nz@example.dk,,ukendt\n"
    )

    html = preview.content.decode()
    assert "2 rækker afvist" in html
    assert "linje 3: ugyldig e-mail" in html and "ukendte lister: ukendt" in html
    assert "Importér nu" not in html
    assert not Subscriber.objects.exists()  # nothing half-imported


def test_import_preview_then_import_writes_every_row(client, home_page):
    services.default_lists()
    Subscriber.objects.create(email="afmeldt@example.dk", status="unsubscribed")
    client.force_login(_editor("newsletters.add_subscriber", "newsletters.view_subscriber"))
    text = (
        "email,name,lists\nny@example.dk,Ny,nyhedsbrev\nanden@example.dk,,\nafmeldt@example.dk,,\n"
    )

    preview = _upload(client, text)
    html = preview.content.decode()
    assert "2 abonnenter importeres" in html and "Importér nu" in html
    assert Subscriber.objects.count() == 1  # a preview writes nothing

    done = client.post(
        "/admin/nyhedsbrev/abonnenter/import/",
        {"confirm": "1", "csv_text": text, "filename": "abonnenter.csv"},
        follow=True,
    )

    assert "2 abonnenter er importeret." in done.content.decode()
    assert set(Subscriber.objects.filter(status="active").values_list("email", flat=True)) == {
        "ny@example.dk",
        "anden@example.dk",
    }
    assert Subscriber.objects.get(email="afmeldt@example.dk").status == "unsubscribed"
    consent = Subscriber.objects.get(email="ny@example.dk").consents.get()
    assert consent.source.startswith("admin-import:abonnenter.csv")


def test_a_tampered_confirmation_imports_nothing(client, home_page):
    services.default_lists()
    client.force_login(_editor("newsletters.add_subscriber"))

    response = client.post(
        "/admin/nyhedsbrev/abonnenter/import/",
        {"confirm": "1", "csv_text": "email\nok@example.dk\nikke-en-adresse\n"},
    )

    assert "1 række afvist" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_import_needs_the_permission_to_add_subscribers(client, home_page):
    client.force_login(_editor("newsletters.view_subscriber"))
    assert client.get("/admin/nyhedsbrev/abonnenter/import/").status_code == 403
    listing = client.get("/admin/newsletters/subscriber/").content.decode()
    assert "/admin/nyhedsbrev/abonnenter/import/" not in listing
