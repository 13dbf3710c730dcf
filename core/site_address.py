"""The site's address for absolute links (e-mails, calendar files): one place decides it.

- Production sets ``BASE_URL`` (the public address); it always wins, and a request's Host
  header never changes it.
- The embedded default (no ``BASE_URL``) links to the address the site is actually served
  on: the one the latest request reached (``RememberSiteAddressMiddleware``; the host is one
  of ``ALLOWED_HOSTS``, checked by Django), before any request the runserver address that
  ``dev.py start`` passes as ``DEV_SERVER_URL``, else ``http://localhost:8000``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

_served_at: str | None = None


def base_url() -> str:
    """``https://example.org`` (no trailing slash)."""
    if settings.BASE_URL:
        return settings.BASE_URL
    return _served_at or settings.DEV_SERVER_URL


def absolute_url(path: str) -> str:
    """``path`` (``/en/events/...``) as an absolute URL on the site's address."""
    return base_url() + path


def page_url(page) -> str:
    """A page's absolute URL on the site's address.

    Wagtail's ``get_full_url`` builds it from the Site record (``http://localhost/`` in the
    embedded default), not from where the site is served, so only the path is taken from it.
    """
    url = page.get_url() or "/"
    parts = urlsplit(url)
    return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))


def remember_served_address(request) -> None:
    global _served_at
    if settings.BASE_URL:
        return
    try:
        address = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return
    _served_at = address


def forget_served_address() -> None:
    """For tests: back to the state before the first request."""
    global _served_at
    _served_at = None


class RememberSiteAddressMiddleware:
    """Embedded default only: note the address requests arrive on, for links in e-mails."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        remember_served_address(request)
        return self.get_response(request)
