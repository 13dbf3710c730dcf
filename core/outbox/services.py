"""The one place that claims, sends and marks e-mails.

Senders call :func:`queue_email` inside the transaction that decides to send (a registration,
a post, a send of a newsletter): the row commits with the decision or not at all, and after
COMMIT a Celery task delivers it (with the broker down, this process does; see
``config.background``). :func:`deliver` claims due rows with ``SELECT ... FOR UPDATE SKIP
LOCKED`` so concurrent workers never take the same one, and sends each over one SMTP
connection:

- before the final ``.`` of DATA it commits ``data_ended_at``, conditional on still holding
  the claim (a worker whose stale claim was taken over sends nothing more);
- accepted → ``sent``; refused (an SMTP reply) → retried later with backoff, or ``failed``
  for a permanent refusal or after the last attempt; connection lost before the end of DATA
  → retried (the server cannot have it); lost after it, before the reply → ``unknown``.
- a worker killed mid-send leaves ``sending``: after ``OUTBOX_CLAIM_TIMEOUT`` seconds a row
  without ``data_ended_at`` is claimed again and sent; one with it becomes ``unknown``.

``unknown`` rows are never resent automatically; :func:`resend` (an admin action) does it
after an editor has checked. The beat task ``core.outbox.tasks.deliver_due_emails`` runs
:func:`deliver_due` every minute: lasting retries whatever happened to the broker or SMTP.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from config.background import enqueue_after_commit

from .models import OutboundEmail
from .smtp import NotDelivered, Rejected, Uncertain, transmit
from .tasks import deliver_emails, deliver_group_emails

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status

# kind -> function(OutboundEmail) -> EmailMessage | None (None: nothing to send any more)
_composers: dict[str, Callable[[OutboundEmail], EmailMessage | None]] = {}

UNKNOWN_NOTE = (
    "Forbindelsen til mailserveren blev afbrudt efter e-mailens afslutning og før serverens "
    "svar: den kan være modtaget og sendes ikke igen automatisk. "
)
SKIPPED_NOTE = "Intet at sende, da det blev modtagerens tur."


class LostClaim(Exception):
    """Another worker took this message over (our claim went stale): send nothing more."""


def register_composer(kind: str):
    """Decorator: build messages of ``kind`` at send time from their row's ``params``.

    Apps register their composers when they load (``AppConfig.ready``). A composer returns
    ``None`` when there is nothing to send any more (the subscriber left, the membership ended).
    """

    def decorator(function):
        _composers[kind] = function
        return function

    return decorator


# --- Queueing -----------------------------------------------------------------------------------


def queue_email(
    kind: str,
    recipient: str,
    *,
    subject: str = "",
    text: str = "",
    html: str = "",
    headers: dict | None = None,
    params: dict | None = None,
    dedupe_key: str | None = None,
    group: str = "",
    deliver: bool = True,
) -> OutboundEmail | None:
    """Put one message in the outbox; it is delivered after COMMIT.

    Either the message itself (``subject``, ``text``, ``html``) or, for a kind with a
    composer, the ``params`` it needs. Returns ``None`` if ``dedupe_key`` was queued before.
    """
    email = OutboundEmail(
        kind=kind,
        recipient=recipient,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        headers=headers or {},
        params=params or {},
        dedupe_key=dedupe_key,
        group=group,
    )
    if dedupe_key is None:
        email.save()
    else:
        try:
            with transaction.atomic():
                email.save()
        except IntegrityError:
            return None  # queued before (a retried task, a double click)
    if deliver:
        deliver_after_commit([email.pk])
    return email


def queue_many(kind: str, rows: Iterable[dict], *, group: str = "") -> int:
    """Queue many messages at once (a newsletter send); rows are ``queue_email`` keywords with
    a ``dedupe_key`` each. Not delivered here: the caller starts the delivery."""
    emails = [
        OutboundEmail(
            kind=kind,
            group=group,
            recipient=row["recipient"],
            dedupe_key=row["dedupe_key"],
            params=row.get("params", {}),
        )
        for row in rows
    ]
    OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=1000)
    return len(emails)


def deliver_after_commit(ids: list[int]) -> None:
    """Send these messages after COMMIT (one e-mail or a few: inline if the broker is down)."""
    enqueue_after_commit(deliver_emails, ids)


def deliver_group_after_commit(group: str) -> None:
    """Send a group queued with :func:`queue_many` after COMMIT; with the broker down the beat
    sends it within a minute (too many messages to send inside a request)."""
    enqueue_after_commit(deliver_group_emails, group, inline=False)


# --- Claiming, sending, marking -------------------------------------------------------------


def claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)


def _due(now) -> Q:
    stale = now - claim_timeout()
    never_reached_server = Q(
        status=Status.SENDING, claimed_at__lt=stale, data_ended_at__isnull=True
    )
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | never_reached_server


def _claim(ids, group, limit) -> tuple[uuid.UUID, list[int]]:
    claim, now = uuid.uuid4(), timezone.now()
    with transaction.atomic():
        due = OutboundEmail.objects.select_for_update(skip_locked=True).filter(_due(now))
        if ids is not None:
            due = due.filter(pk__in=ids)
        if group:
            due = due.filter(group=group)
        picked = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
        OutboundEmail.objects.filter(pk__in=picked).update(
            status=Status.SENDING, claim=claim, claimed_at=now, data_ended_at=None
        )
    return claim, picked


def expire_stale_claims() -> int:
    """Rows of a worker that died after the end of DATA: ``unknown`` (never resent)."""
    return OutboundEmail.objects.filter(
        status=Status.SENDING,
        claimed_at__lt=timezone.now() - claim_timeout(),
        data_ended_at__isnull=False,
    ).update(
        status=Status.UNKNOWN,
        claim=None,
        last_error=UNKNOWN_NOTE + "(Afsenderen stoppede, før svaret var registreret.)",
    )


class DeliveryReport:
    def __init__(self):
        self.claimed = self.sent = self.retried = self.failed = 0
        self.skipped = self.unknown = 0
        self.server_down = False

    def __repr__(self) -> str:
        return f"<DeliveryReport {vars(self)}>"


def deliver(ids: list[int] | None = None, *, group: str = "", limit: int = 100) -> DeliveryReport:
    """Claim up to ``limit`` due messages (of ``ids`` / ``group`` if given) and send them over
    one SMTP connection. Never raises for mail errors: they are recorded on the rows."""
    report = DeliveryReport()
    claim, picked = _claim(ids, group, limit)
    report.claimed = len(picked)
    if not picked:
        return report
    rows = {row.pk: row for row in OutboundEmail.objects.filter(pk__in=picked, claim=claim)}
    backend = None
    try:
        for pk in picked:
            row = rows.get(pk)
            if row is None:
                continue
            try:
                message = _compose(row)
            except Exception as error:  # a bug in one composer must not stop the others
                logger.exception("composing outbox message %s failed", row.pk)
                _mark(row, claim, status=Status.FAILED, last_error=repr(error)[:1000])
                report.failed += 1
                continue
            if message is None:
                _mark(row, claim, status=Status.SKIPPED, last_error=SKIPPED_NOTE)
                report.skipped += 1
                continue
            if backend is None:
                backend = get_connection()
                try:
                    backend.open()
                except Exception as error:  # refused, timed out, DNS: nothing was sent
                    _retry(row, claim, error)
                    report.retried += 1
                    report.server_down = True
                    break
            message.connection = backend
            try:
                transmit(backend, message, lambda row=row: _end_of_data(row, claim))
            except LostClaim:
                backend = _discard(backend)
                continue
            except Rejected as error:
                if error.permanent:
                    _mark(row, claim, status=Status.FAILED, last_error=str(error)[:1000])
                    report.failed += 1
                else:
                    _retry(row, claim, error.error)
                    report.retried += 1
                continue
            except NotDelivered as error:
                _retry(row, claim, error)
                report.retried += 1
                backend = _discard(backend)
                continue
            except Uncertain as error:
                _mark(row, claim, status=Status.UNKNOWN, last_error=UNKNOWN_NOTE + str(error))
                report.unknown += 1
                backend = _discard(backend)
                continue
            _mark(row, claim, status=Status.SENT, sent_at=timezone.now(), last_error="")
            report.sent += 1
    finally:
        if backend is not None:
            _discard(backend)
        # Whatever was claimed but not attempted (the server went down) goes back, due later.
        OutboundEmail.objects.filter(
            claim=claim, status=Status.SENDING, data_ended_at__isnull=True
        ).update(
            status=Status.PENDING,
            claim=None,
            next_attempt_at=timezone.now()
            + (_backoff(1) if report.server_down else datetime.timedelta(0)),
        )
    return report


def deliver_group(group: str, *, limit: int = 100) -> int:
    """Send every due message of ``group``, batch by batch, until none is left or SMTP is down
    (the beat resumes). Returns how many were sent."""
    sent = 0
    while True:
        report = deliver(group=group, limit=limit)
        sent += report.sent
        if not report.claimed or report.server_down:
            return sent


def deliver_due(*, limit: int = 100, rounds: int = 50) -> int:
    """Beat: expire dead workers' rows, then send what is due until none is or SMTP is down."""
    expire_stale_claims()
    sent = 0
    for _round in range(rounds):
        report = deliver(limit=limit)
        sent += report.sent
        if report.claimed < limit or report.server_down:
            break
    return sent


def _compose(row: OutboundEmail) -> EmailMessage | None:
    composer = _composers.get(row.kind)
    if composer is not None:
        return composer(row)
    message = EmailMultiAlternatives(
        row.subject,
        row.body_text,
        settings.DEFAULT_FROM_EMAIL,
        [row.recipient],
        headers=row.headers or None,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _end_of_data(row: OutboundEmail, claim: uuid.UUID) -> None:
    """Commit "the end of DATA is going out now" while still holding the claim."""
    with transaction.atomic():
        marked = OutboundEmail.objects.filter(pk=row.pk, claim=claim, status=Status.SENDING).update(
            data_ended_at=timezone.now(), attempts=F("attempts") + 1
        )
    if not marked:
        raise LostClaim(row.pk)


def _mark(row: OutboundEmail, claim: uuid.UUID, **fields) -> None:
    OutboundEmail.objects.filter(pk=row.pk, claim=claim).update(claim=None, **fields)


def _backoff(attempts: int) -> datetime.timedelta:
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _retry(row: OutboundEmail, claim: uuid.UUID, error: Exception) -> None:
    """Not delivered (provably): due again later, or failed after the last attempt."""
    row.refresh_from_db(fields=["attempts", "data_ended_at"])
    attempts = row.attempts if row.data_ended_at else row.attempts + 1
    failed = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    _mark(
        row,
        claim,
        status=Status.FAILED if failed else Status.PENDING,
        attempts=attempts,
        data_ended_at=None,
        next_attempt_at=timezone.now() + _backoff(attempts),
        last_error=f"{type(error).__name__}: {error}"[:1000],
    )


def _discard(backend) -> None:
    try:
        backend.close()
    except Exception:  # a broken connection may fail to say QUIT; it is gone either way
        logger.debug("closing a broken SMTP connection failed", exc_info=True)
    return None


# --- Editors ------------------------------------------------------------------------------------


def resend(ids: Iterable[int]) -> int:
    """Send ``unknown`` or ``failed`` messages again (after an editor checked); returns how
    many were queued."""
    ids = list(
        OutboundEmail.objects.filter(
            pk__in=list(ids), status__in=[Status.UNKNOWN, Status.FAILED]
        ).values_list("pk", flat=True)
    )
    OutboundEmail.objects.filter(pk__in=ids).update(
        status=Status.PENDING, claim=None, data_ended_at=None, next_attempt_at=timezone.now()
    )
    if ids:
        deliver_after_commit(ids)
    return len(ids)


def forget_recipient(email: str) -> int:
    """GDPR erasure: drop every message to ``email`` (sent or not)."""
    if not email:
        return 0
    return OutboundEmail.objects.filter(recipient__iexact=email.strip()).delete()[0]


def progress(group: str) -> dict[str, int]:
    """Messages of ``group`` (one newsletter send) counted by status."""
    return progress_of_groups([group])[group]


def progress_of_groups(groups) -> dict[str, dict[str, int]]:
    """``progress`` for several groups in one query (the dashboard's sends in progress)."""
    result = {group: dict.fromkeys(Status.values, 0) for group in groups}
    rows = OutboundEmail.objects.filter(group__in=list(result)).values_list("group", "status")
    for group, status, n in rows.annotate(n=Count("pk")).order_by():
        result[group][status] = n
    return result
