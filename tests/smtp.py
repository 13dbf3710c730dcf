"""A real SMTP server on loopback (aiosmtpd) that records what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
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
