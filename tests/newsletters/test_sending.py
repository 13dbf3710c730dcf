"""Sending a newsletter issue: who gets it, and what a crash or an outage leaves behind."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from core.outbox.models import OutboundEmail
from core.outbox.services import deliver_due
from newsletters import services
from newsletters.models import NewsletterSend
from newsletters.tasks import dispatch_due_newsletters, send_newsletter
from tests.newsletters.conftest import make_subscribers

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for SIGKILL: no ``except Exception`` in the worker sees it."""


class CrashAfterSecondMessageBackend(EmailBackend):
    """The SMTP server accepts the second message, then the worker process dies."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        if len(mail.outbox) == 2:
            raise WorkerKilled
        return sent


class ConnectionLostBackend(EmailBackend):
    """The connection drops while the second message is on its way (did it arrive?)."""

    dropped = False

    def send_messages(self, messages):
        if len(mail.outbox) == 1 and not ConnectionLostBackend.dropped:
            ConnectionLostBackend.dropped = True
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class OutageBackend(EmailBackend):
    """The server answers 421 to the second message (it did not take it)."""

    down = True

    def send_messages(self, messages):
        if self.down and len(mail.outbox) == 1:
            raise smtplib.SMTPDataError(421, b"Service not available, try again later")
        return super().send_messages(messages)


def _rows(send):
    return OutboundEmail.objects.filter(group=services.send_group(send))


def _statuses(send):
    return dict(_rows(send).values_list("recipient", "status"))


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_whoever_unsubscribes_or_bounces_after_the_send_was_queued_gets_nothing(issue):
    stays, leaves, bounces, complains = make_subscribers(
        "bliver@example.dk", "afmelder@example.dk", "bounce@example.dk", "klager@example.dk"
    )
    send = services.create_send(issue)
    services.queue_deliveries(send)

    services.unsubscribe(leaves)
    services.suppress("bounce@example.dk", "bounce")
    services.suppress("klager@example.dk", "complaint")
    send_newsletter(send.pk)

    assert _recipients() == ["bliver@example.dk"]
    assert _statuses(send) == {
        "bliver@example.dk": "sent",
        "afmelder@example.dk": "skipped",
        "bounce@example.dk": "skipped",
        "klager@example.dk": "skipped",
    }
    send.refresh_from_db()
    assert send.status == "done"
    assert send.progress()["skipped"] == 3


def test_a_crash_after_the_server_took_a_message_never_resends_it_and_the_send_completes(
    issue, settings
):
    make_subscribers("a@example.dk", "b@example.dk", "c@example.dk", "d@example.dk")
    send = services.create_send(issue)
    settings.EMAIL_BACKEND = f"{__name__}.CrashAfterSecondMessageBackend"

    with pytest.raises(WorkerKilled):
        send_newsletter(send.pk)
    assert _recipients() == ["a@example.dk", "b@example.dk"]
    # accepted, but never recorded: past the end of DATA, still in "sending"
    assert _statuses(send)["b@example.dk"] == "sending"
    assert _rows(send).get(recipient="b@example.dk").data_ended_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_newsletter(send.pk)  # the beat resumes the send straight away
    assert _recipients() == ["a@example.dk", "b@example.dk", "c@example.dk", "d@example.dk"]
    send.refresh_from_db()
    assert send.status == "sending"  # b may still be on its way: not finished yet

    settings.OUTBOX_CLAIM_TIMEOUT = 0  # the claim timeout has passed
    send_newsletter(send.pk)
    assert len(mail.outbox) == 4  # b@example.dk is not mailed a second time
    statuses = _statuses(send)
    assert statuses["b@example.dk"] == "unknown"
    assert [statuses[e] for e in ("a@example.dk", "c@example.dk", "d@example.dk")] == ["sent"] * 3
    assert "sendes ikke igen automatisk" in _rows(send).get(status="unknown").last_error
    send.refresh_from_db()
    assert send.status == "done" and send.finished_at


def test_a_backend_without_an_end_of_data_boundary_records_a_lost_message_as_unknown(
    issue, settings
):
    """Console, locmem or an API backend cannot tell where the connection broke."""
    make_subscribers("a@example.dk", "b@example.dk", "c@example.dk")
    send = services.create_send(issue)
    settings.EMAIL_BACKEND = f"{__name__}.ConnectionLostBackend"

    send_newsletter(send.pk)  # recorded on the rows, not raised
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_newsletter(send.pk)

    assert _recipients() == ["a@example.dk", "c@example.dk"]
    assert _statuses(send)["b@example.dk"] == "unknown"
    send.refresh_from_db()
    assert send.status == "done"


def test_a_message_the_server_refused_during_an_outage_goes_out_later_exactly_once(issue, settings):
    make_subscribers("a@example.dk", "b@example.dk", "c@example.dk")
    send = services.create_send(issue)
    settings.EMAIL_BACKEND = f"{__name__}.OutageBackend"

    send_newsletter(send.pk)  # 421: the server is down, the rest of the batch waits
    assert _statuses(send) == {
        "a@example.dk": "sent",
        "b@example.dk": "pending",
        "c@example.dk": "pending",
    }
    assert _rows(send).get(recipient="b@example.dk").attempts == 1
    OutageBackend.down = False
    try:
        send_newsletter(send.pk)
        assert _recipients() == ["a@example.dk"]  # not before the retry delay
        _rows(send).update(next_attempt_at=timezone.now())
        deliver_due()  # the beat, a little later
    finally:
        OutageBackend.down = True
    assert _recipients() == ["a@example.dk", "b@example.dk", "c@example.dk"]
    assert set(_statuses(send).values()) == {"sent"}


def test_a_scheduled_send_is_dispatched_by_the_beat_only_when_it_is_due(issue):
    make_subscribers("laeser@example.dk")
    later = services.create_send(issue, scheduled_at=timezone.now() + datetime.timedelta(hours=2))

    assert dispatch_due_newsletters() == 0
    assert mail.outbox == [] and not _rows(later).exists()

    NewsletterSend.objects.filter(pk=later.pk).update(
        scheduled_at=timezone.now() - datetime.timedelta(minutes=1)
    )  # two hours later
    assert dispatch_due_newsletters() == 1
    assert _recipients() == ["laeser@example.dk"]
    later.refresh_from_db()
    assert later.status == "done"
    assert dispatch_due_newsletters() == 0  # a finished send is not started again
    assert len(mail.outbox) == 1


def test_a_resumed_send_does_not_add_people_who_subscribed_after_it_started(issue):
    make_subscribers("foer@example.dk")
    send = services.create_send(issue)
    services.queue_deliveries(send)
    make_subscribers("efter@example.dk")

    send_newsletter(send.pk)

    assert _recipients() == ["foer@example.dk"]
    assert _rows(send).count() == 1
