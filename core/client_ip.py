"""The visitor's IP address, also behind the reverse proxies we run ourselves.

Behind nginx every request arrives from 127.0.0.1; the visitor's address is in
``X-Forwarded-For``, where each proxy appends the address it received the request from. Only
the last ``TRUSTED_PROXY_COUNT`` entries were written by our proxies; anything left of them
came from the client and can be forged, so it is never used.

Use ``client_ip(request)`` wherever a per-visitor key is needed (rate limits, logs). Every
``@ratelimit(key="ip")`` already gets it through ``RATELIMIT_IP_META_KEY``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """``REMOTE_ADDR``, or with ``TRUSTED_PROXY_COUNT`` = N > 0 the address our outermost proxy
    saw (the N-th entry of ``X-Forwarded-For`` counted from the right)."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    if proxies <= 0:
        return remote_addr
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if not forwarded:  # reached us without passing our proxy (e.g. a health check)
        return remote_addr
    # Fewer entries than proxies: a proxy in front was skipped; the leftmost is the best we have.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
