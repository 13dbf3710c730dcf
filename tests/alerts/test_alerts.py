"""E-mail alerts of new posts: double opt-in with consent, one alert per subscriber when a post
is first published and never again, daily digests, one-click unsubscribe, limits. Every alert
is an outbox message (core/outbox), so its crash safety is the outbox's."""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import TestCase
from django.utils import timezone

from alerts import services
from alerts.models import AlertSubscription, PublishedPost
from core import outbox
from core.outbox.models import OutboundEmail
from tests.factories import (
    NewsCategoryFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    UserFactory,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(home_page):
    return NewsIndexPageFactory(parent=home_page)


def _subscribe(client, email="lone@example.dk", **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/nyhedsmail/tilmeld/",
            {"email": email, "scope": "all", "frequency": "immediate", "consent": "on", **data},
        )


def _confirm(client, message):
    link = re.search(r"http://\S+(/nyhedsmail/bekraeft/\S+/)", message.body).group(1)
    client.post(link)


def _active(email="lone@example.dk", **fields):
    return AlertSubscription.objects.create(email=email, status="active", **fields)


def _publish(page):
    """Publish as an editor does; alerts are queued and sent after COMMIT."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()


def _new_post(news, **fields):
    # Created as a draft, as editors do, so the first publish is the one that counts.
    post = NewsPageFactory(parent=news, live=False, **fields)
    return post


def test_double_opt_in_records_consent(client, news):
    response = _subscribe(client)
    assert "Tjek din indbakke" in response.content.decode()
    subscription = AlertSubscription.objects.get()
    assert subscription.status == "pending"
    assert mail.outbox[0].to == ["lone@example.dk"]
    _confirm(client, mail.outbox[0])
    subscription.refresh_from_db()
    assert subscription.status == "active"
    assert list(subscription.consents.values_list("action", "consent_text_version")) == [
        ("subscribe", services.CONSENT_TEXT_VERSION),
        ("confirm", services.CONSENT_TEXT_VERSION),
    ]
    assert "send mig en e-mail" in subscription.consents.first().consent_text


def test_known_and_unknown_addresses_get_the_same_answer(client, news):
    _active("kendt@example.dk")
    known = _subscribe(client, "kendt@example.dk")
    unknown = _subscribe(client, "ukendt@example.dk")
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().replace("csrfmiddlewaretoken", "")  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m.to for m in mail.outbox] == [["ukendt@example.dk"]]  # nothing to the active one


def test_signups_are_limited_per_address_and_per_ip(client, news, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "post_alerts": {"ip": "100/h", "address": "2/h"},
    }
    for n in range(3):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                "/nyhedsmail/tilmeld/",
                {
                    "email": "offer@example.dk",
                    "scope": "all",
                    "frequency": "immediate",
                    "consent": "on",
                },
                REMOTE_ADDR=f"10.1.{n}.1",
            )
    assert response.status_code == 400 and "Prøv igen senere" in response.content.decode()
    assert len(mail.outbox) <= 2
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post_alerts": {"ip": "1/h"}}
    _subscribe(client, "a@example.dk")
    assert _subscribe(client, "b@example.dk").status_code == 400


def test_a_new_post_alerts_each_subscriber_once_and_a_re_publish_never(client, news):
    _active("a@example.dk")
    _active("b@example.dk")
    AlertSubscription.objects.create(email="pending@example.dk", status="pending")
    post = _new_post(news, title="Ny rapport om samskabelse")
    _publish(post)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.dk", "b@example.dk"]
    assert all(m.subject == "Ny rapport om samskabelse" for m in mail.outbox)

    post.title = "Ny rapport om samskabelse (rettet)"
    _publish(post)  # an edit, published again
    post.unpublish()
    _publish(post)  # unpublished and published again
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.queue_post_alerts(post)  # queued again
    outbox.deliver_due()  # the beat
    assert len(mail.outbox) == 2
    alerts = OutboundEmail.objects.filter(kind="alerts.post")
    assert sorted(alerts.values_list("recipient", "status")) == [
        ("a@example.dk", "sent"),
        ("b@example.dk", "sent"),
    ]


def test_alerts_carry_one_click_unsubscribe_per_rfc_8058(client, news):
    subscription = _active()
    _publish(_new_post(news))
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.match(r"<http://[^/]+(/nyhedsmail/afmeld/[^>]+)>", headers["List-Unsubscribe"])
    assert client.get(url.group(1)).status_code == 200  # a GET unsubscribes nobody
    subscription.refresh_from_db()
    assert subscription.status == "active"
    response = client.post(url.group(1), {"List-Unsubscribe": "One-Click"})  # no CSRF token
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"
    assert subscription.consents.last().source == "one-click"
    _publish(_new_post(news))
    assert len(mail.outbox) == 1


def test_category_subscribers_get_only_their_categories(client, news):
    policy = NewsCategoryFactory(name="Politik")
    practice = NewsCategoryFactory(name="Praksis")
    _active("alt@example.dk")
    _active("politik@example.dk", all_news=False).categories.add(policy)
    post = _new_post(news)
    post.categories.add(practice)
    _publish(post)
    assert [m.to for m in mail.outbox] == [["alt@example.dk"]]


def test_category_choice_in_the_form(client, news):
    policy = NewsCategoryFactory(name="Politik")
    _subscribe(client, scope="categories", categories=[policy.pk])
    subscription = AlertSubscription.objects.get()
    assert not subscription.all_news and list(subscription.categories.all()) == [policy]
    response = _subscribe(client, "x@example.dk", scope="categories")
    assert response.status_code == 400 and "mindst én kategori" in response.content.decode()


def test_daily_digest_collects_the_days_posts_in_one_e_mail(client, news):
    _active("daglig@example.dk", frequency="daily")
    _publish(_new_post(news, title="Første nyhed"))
    _publish(_new_post(news, title="Anden nyhed"))
    assert mail.outbox == []
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.queue_daily_digests() == 1
    assert len(mail.outbox) == 1
    assert "Første nyhed" in mail.outbox[0].body and "Anden nyhed" in mail.outbox[0].body
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.queue_daily_digests() == 0  # the next day: nothing new
    assert len(mail.outbox) == 1
    _publish(_new_post(news, title="Tredje nyhed"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.queue_daily_digests()
    assert len(mail.outbox) == 2 and "Første nyhed" not in mail.outbox[1].body


def test_members_only_posts_alert_nobody(client, news):
    _active()
    post = _new_post(news, title="Internt")
    restrict_to_members(post)
    _publish(post)
    assert mail.outbox == []
    assert PublishedPost.objects.get(post_key=post.translation_key).alerted is False


def test_posts_published_before_alerts_existed_never_alert(client, news):
    from importlib import import_module

    from django.apps import apps

    post = _new_post(news)
    post.save_revision().publish()
    PublishedPost.objects.all().delete()  # as before the alerts app was installed
    _active()
    import_module("alerts.migrations.0002_existing_posts_never_alert").record_published_posts(
        apps, None
    )
    _publish(post)  # an old post published again after the upgrade
    assert mail.outbox == []


def test_someone_who_unsubscribes_after_queueing_is_skipped(client, news):
    subscription = _active()
    post = _new_post(news)
    post.save_revision().publish()  # queued, not yet delivered (no COMMIT in this test)
    assert OutboundEmail.objects.get().status == "pending"
    services.unsubscribe(subscription)
    outbox.deliver_due()
    assert mail.outbox == []
    assert OutboundEmail.objects.get().status == "skipped"


class CrashAfterHandOverBackend(EmailBackend):
    def send_messages(self, messages):
        super().send_messages(messages)
        raise smtplib.SMTPServerDisconnected("connection lost after DATA")


class RefusingBackend(EmailBackend):
    def open(self):
        raise ConnectionRefusedError("mail server down")


def test_a_message_whose_fate_is_unknown_is_never_resent(client, news, settings):
    _active()
    settings.EMAIL_BACKEND = f"{__name__}.CrashAfterHandOverBackend"
    _publish(_new_post(news))
    alert = OutboundEmail.objects.get()
    assert alert.status == "unknown" and len(mail.outbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.deliver_due()
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_send_mails_nobody_twice(client, news, settings):
    _active("after@example.dk")
    _active("before@example.dk")
    post = _new_post(news)
    post.save_revision().publish()  # queued; the worker that took them is killed
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    # Killed after the end of DATA went out: it may have arrived.
    OutboundEmail.objects.filter(recipient="after@example.dk").update(
        status="sending", claimed_at=long_ago, data_ended_at=long_ago
    )
    # Killed before it: the mail server cannot have it.
    OutboundEmail.objects.filter(recipient="before@example.dk").update(
        status="sending", claimed_at=long_ago
    )
    outbox.deliver_due()
    outbox.deliver_due()
    assert [m.to for m in mail.outbox] == [["before@example.dk"]]
    assert dict(OutboundEmail.objects.values_list("recipient", "status")) == {
        "after@example.dk": "unknown",
        "before@example.dk": "sent",
    }


def test_a_mail_server_outage_keeps_the_alerts_queued_for_later(client, news, settings):
    _active("a@example.dk")
    _active("b@example.dk")
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    _publish(_new_post(news))  # the publish succeeds; the alerts wait
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"pending"}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(next_attempt_at=timezone.now())  # the retry is due
    outbox.deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.dk", "b@example.dk"]


def test_unconfirmed_sign_ups_are_deleted_when_their_link_has_expired(client, news):
    _subscribe(client, "glemt@example.dk")
    _subscribe(client, "ny@example.dk")
    _active("aktiv@example.dk", created_at=timezone.now() - datetime.timedelta(days=30))
    AlertSubscription.objects.filter(email="glemt@example.dk").update(
        created_at=timezone.now() - datetime.timedelta(hours=73)
    )
    assert services.delete_unconfirmed() == 1
    assert sorted(AlertSubscription.objects.values_list("email", flat=True)) == [
        "aktiv@example.dk",
        "ny@example.dk",
    ]


def test_personal_data_export_and_erasure(client, news):
    from members_area import services as members

    user = UserFactory(username="lone", email="lone@example.dk")
    _subscribe(client)
    _confirm(client, mail.outbox[0])
    exported = members.export_personal_data(user)["post_alerts"]
    assert exported[0]["email"] == "lone@example.dk"
    assert [c["action"] for c in exported[0]["consents"]] == ["subscribe", "confirm"]
    members.erase_personal_data(user)
    assert AlertSubscription.objects.count() == 0
