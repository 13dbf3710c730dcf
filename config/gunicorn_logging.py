"""gunicorn's access log with the real peer and the trusted client address, as valid JSON.

``config/gunicorn.py`` sets ``logger_class`` to ``AccessLogger`` and uses two extra atoms:

- ``peer``: the address the TCP connection came from (nginx, when behind our proxy);
- ``client``: the visitor's address as ``client_ip`` trusts it (``TRUSTED_PROXY_COUNT``).
  Without a trusted proxy that is the peer: a client-written ``X-Forwarded-For`` is never
  logged as the client.

Every string atom is JSON-escaped (gunicorn only escapes ``"``), so a backslash or control
character in a user agent or path cannot break the line or forge fields of the JSON log.
"""

from __future__ import annotations

import json

from gunicorn.glogging import Logger, SafeAtoms

from core.client_ip import client_ip


class _EnvironRequest:
    """Just enough of a request for ``client_ip``: the WSGI environ is its ``META``."""

    def __init__(self, environ):
        self.META = environ


class JsonSafeAtoms(SafeAtoms):
    def __init__(self, atoms):
        dict.__init__(self)
        for key, value in atoms.items():
            self[key] = json.dumps(value)[1:-1] if isinstance(value, str) else value


class AccessLogger(Logger):
    atoms_wrapper_class = JsonSafeAtoms

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["peer"] = environ.get("REMOTE_ADDR") or "-"
        atoms["client"] = client_ip(_EnvironRequest(environ)) or "-"
        return atoms
