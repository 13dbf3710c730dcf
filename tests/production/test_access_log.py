"""The access log records the real peer and the trusted client address (issue 11 item 6)."""

from __future__ import annotations

import datetime
import importlib
import json
import logging

import pytest
from gunicorn.config import Config

from config.gunicorn_logging import AccessLogger


class _Response:
    status = "200 OK"
    sent = 512
    headers = [("Content-Type", "text/html")]


class _Request:
    def __init__(self, headers):
        self.headers = list(headers.items())


def _log_line(forwarded_for: str | None, user_agent: str = "Firefox") -> dict:
    """Write one access-log line through our gunicorn settings and logger; return it parsed."""
    gunicorn_settings = importlib.import_module("config.gunicorn")
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", gunicorn_settings.access_log_format)
    assert gunicorn_settings.logger_class == "config.gunicorn_logging.AccessLogger"
    logger = AccessLogger(cfg)
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger.access_log.handlers = [handler]

    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/?q=1",
        "PATH_INFO": "/",
        "QUERY_STRING": "q=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": user_agent,
    }
    headers = {"User-Agent": user_agent}
    if forwarded_for is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded_for
        headers["X-Forwarded-For"] = forwarded_for
    logger.access(_Response(), _Request(headers), environ, datetime.timedelta(milliseconds=12))
    assert len(records) == 1
    return json.loads(records[0])


def test_without_a_trusted_proxy_the_forwarded_for_header_is_not_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    line = _log_line("6.6.6.6")
    assert line["peer"] == "127.0.0.1"
    assert line["client"] == "127.0.0.1"
    assert "6.6.6.6" not in json.dumps(line)


def test_behind_the_proxy_peer_and_client_are_logged_separately(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    line = _log_line("10.0.0.1, 203.0.113.9")  # the client wrote 10.0.0.1; nginx added the rest
    assert line["peer"] == "127.0.0.1"
    assert line["client"] == "203.0.113.9"


@pytest.mark.parametrize("agent", ['x" "status": "500', "back\\slash", "new\nline", 'a\\"b'])
def test_hostile_header_values_cannot_break_or_forge_the_json_line(settings, agent):
    settings.TRUSTED_PROXY_COUNT = 0
    line = _log_line(None, user_agent=agent)
    assert line["user_agent"] == agent
    assert line["status"] == "200"
