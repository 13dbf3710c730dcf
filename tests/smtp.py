"""A real SMTP server on loopback (aiosmtpd) that records what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import struct
import threading
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server():
    """Yield (handler, port) of a running SMTP server on 127.0.0.1."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def text_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


class ScriptedSMTPServer:
    """A real SMTP server on loopback (raw sockets, one thread per connection) that can fail
    on cue, for the crash tests of the outbox:

    - ``reset_during_data``: message numbers (1-based, counting DATA commands) whose
      connection is reset (RST) when their DATA command arrives, before the end of DATA
      (a reset in the middle of the body is detected only if it reaches the client before
      it sends the final line; otherwise the message is ``unknown``, never sent twice);
    - ``hold_data``: a message number whose DATA command is answered only when
      ``release`` is set; ``holding`` is set while it waits (a test kills the sender then).

    ``delivered`` lists the recipients of every message it accepted (replied 250 to).
    """

    def __init__(self, *, reset_during_data=(), hold_data=None):
        self.reset_during_data = set(reset_during_data)
        self.hold_data = hold_data
        self.holding, self.release = threading.Event(), threading.Event()
        self.delivered: list[str] = []
        self.data_commands = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopped = False

    def __enter__(self):
        self.sock.listen(50)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.stopped = True
        self.release.set()
        self.sock.close()

    def _accept(self):
        while not self.stopped:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        reader = conn.makefile("rb")
        try:
            conn.sendall(b"220 scripted ESMTP\r\n")
            recipients: list[str] = []
            for line in reader:
                command = line.strip().upper()
                if command.startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250 scripted\r\n")
                elif command.startswith(b"MAIL"):
                    recipients = []
                    conn.sendall(b"250 OK\r\n")
                elif command.startswith(b"RCPT"):
                    recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                    conn.sendall(b"250 OK\r\n")
                elif command == b"DATA":
                    with self.lock:
                        self.data_commands += 1
                        number = self.data_commands
                    if number in self.reset_during_data:
                        conn.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        return  # closed with a reset
                    if number == self.hold_data:
                        self.holding.set()
                        self.release.wait(60)
                    conn.sendall(b"354 go ahead\r\n")
                    if not any(body_line == b".\r\n" for body_line in reader):
                        return  # the client went away before the end of DATA
                    with self.lock:
                        self.delivered.extend(recipients)
                    conn.sendall(b"250 OK queued\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:  # RSET, NOOP
                    conn.sendall(b"250 OK\r\n")
        except OSError:
            pass
        finally:
            reader.close()
            conn.close()
