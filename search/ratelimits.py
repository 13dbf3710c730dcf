"""One per-visitor limit for every search: the site search, the library search view and the
library search embedded in the case bank and library pages.

``key="ip"`` is the visitor's real address behind our proxies: django-ratelimit reads it
through ``RATELIMIT_IP_META_KEY`` (``config.client_ip.client_ip``) and groups IPv6 addresses
by /64, so one visitor cannot dodge the limit by rotating addresses in its own network.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

KEY = "ip"
# The library search view and the pages embedding it run the same search: one budget.
LIBRARY_GROUP = "search.library"


def search_rate(group, request) -> str:
    return settings.SEARCH_RATELIMIT


def autocomplete_rate(group, request) -> str:
    return settings.AUTOCOMPLETE_RATELIMIT


def library_search_limited(request) -> bool:
    """Count this library search against the visitor's limit; ``True`` once it is spent."""
    return is_ratelimited(request, group=LIBRARY_GROUP, key=KEY, rate=search_rate, increment=True)


def too_many_searches() -> HttpResponse:
    return HttpResponse(
        _("For mange søgninger på kort tid. Vent et øjeblik, og prøv igen."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
