"""Where exactly a message is on its way to the SMTP server: before or after the end of DATA.

An SMTP server accepts a message only when it has received the final ``<CRLF>.<CRLF>`` of
DATA, and says so in its reply. So a failure *before* that line was sent (connection refused,
reset during the envelope or the body, a worker killed before it) provably delivered nothing
and the message may be sent again; only a failure between sending that line and reading the
reply leaves us not knowing. :class:`EmailBackend` is Django's SMTP backend with a connection
that calls a hook right before the final line (the outbox commits "end of DATA" there) and
remembers whether it is waiting for the reply; :func:`transmit` turns what happened into one
of three outcomes the outbox acts on.
"""

from __future__ import annotations

import select
import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

CRLF = b"\r\n"


class Rejected(Exception):
    """The server answered and did not take the message (``permanent`` for 5xx)."""

    def __init__(self, error: Exception, permanent: bool):
        super().__init__(str(error))
        self.error, self.permanent = error, permanent


class NotDelivered(Exception):
    """The connection failed before the end of DATA: the server cannot have the message."""


class Uncertain(Exception):
    """The end of DATA was sent and no reply came: the message may have arrived."""


class EndOfDataMixin:
    """``smtplib.SMTP.data`` split at the end of DATA.

    ``before_end_of_data`` (set per message) runs after the body was written and before the
    final line; if it raises, the final line is never sent. ``awaiting_reply`` is true only
    between sending that line and reading the server's answer.
    """

    before_end_of_data = None
    awaiting_reply = False

    def data(self, msg):
        self.awaiting_reply = False
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        body = smtplib._quote_periods(msg)
        if body[-2:] != CRLF:
            body += CRLF
        self.send(body)
        if self.before_end_of_data is not None:
            self.before_end_of_data()
        self._check_still_connected()
        self.awaiting_reply = True
        self.send(b"." + CRLF)
        code, reply = self.getreply()
        self.awaiting_reply = False
        return code, reply

    def _check_still_connected(self) -> None:
        """A server that reset or closed the connection during the body (or answered early)
        has done so before the end of DATA: fail here, where nothing can have been accepted."""
        sock = self.sock
        if sock is None:
            raise smtplib.SMTPServerDisconnected("not connected")
        try:
            readable, _, _ = select.select([sock], [], [], 0)
        except (OSError, ValueError) as error:
            raise smtplib.SMTPServerDisconnected(str(error)) from error
        if readable:
            self.close()
            raise smtplib.SMTPServerDisconnected(
                "the server closed or answered the connection before the end of DATA"
            )


class BoundarySMTP(EndOfDataMixin, smtplib.SMTP):
    pass


class BoundarySMTP_SSL(EndOfDataMixin, smtplib.SMTP_SSL):  # noqa: N801 (smtplib's name)
    pass


class EmailBackend(DjangoSMTPBackend):
    """Django's SMTP backend on connections that mark the end of DATA (settings: EMAIL_URL)."""

    @property
    def connection_class(self):
        return BoundarySMTP_SSL if self.use_ssl else BoundarySMTP


def transmit(backend, message, before_end_of_data) -> None:
    """Send ``message`` over the open ``backend``; returns when the server accepted it.

    Raises :class:`Rejected`, :class:`NotDelivered` or :class:`Uncertain`; anything raised by
    ``before_end_of_data`` propagates unchanged (and nothing was sent). Backends without an
    end-of-DATA boundary (console, locmem, third-party APIs) are treated conservatively: the
    hook runs before handing the message over, and any failure but an SMTP reply is
    ``Uncertain``.
    """
    smtp = getattr(backend, "connection", None)
    bounded = isinstance(smtp, EndOfDataMixin)
    if bounded:
        smtp.before_end_of_data = before_end_of_data
        smtp.awaiting_reply = False
    else:
        before_end_of_data()
    try:
        backend.send_messages([message])
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _reply in error.recipients.values()]
        raise Rejected(error, permanent=all(500 <= code < 600 for code in codes)) from error
    except smtplib.SMTPResponseException as error:
        if bounded and error.smtp_code == -1:
            raise _lost(smtp, error) from error
        raise Rejected(error, permanent=500 <= error.smtp_code < 600) from error
    except (smtplib.SMTPException, OSError) as error:
        if bounded:
            raise _lost(smtp, error) from error
        raise Uncertain(str(error)) from error
    finally:
        if bounded:
            smtp.before_end_of_data = None


def _lost(smtp, error) -> Exception:
    return Uncertain(str(error)) if smtp.awaiting_reply else NotDelivered(str(error))
