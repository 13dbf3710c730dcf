"""Named rate-limit policies: the one way a view limits how often something may happen.

Every policy is an entry of ``settings.RATE_LIMITS``: a name (``"login"``, ``"search"``, ...)
and its rates per kind of key::

    "newsletter_signup": {"ip": "10/h", "address": "3/h"}

- ``"ip"``: the visitor's real address behind our proxies (``core.client_ip.client_ip``,
  through ``RATELIMIT_IP_META_KEY``); django-ratelimit groups IPv6 addresses by /64, so one
  visitor cannot dodge the limit by rotating addresses in its own network.
- ``"user"``: the logged-in account (the address for anonymous visitors).
- ``"address"``: the e-mail address a form is about (lower-cased), so nobody can flood one
  mailbox from many IPs. Counted only where the view passes ``address=``.

A request is over the policy when any of its counters is spent. Each policy counts in its own
group, so every view that uses the same policy shares one budget (the library search at
/soeg/bibliotek/ and embedded in the case bank and library pages).

Use ``@limit("name")`` on a view (sets ``request.limited``, like django-ratelimit's
decorator with ``block=False``) or ``is_limited(request, "name", address=...)`` in the view.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django_ratelimit.core import get_usage

KINDS = ("ip", "user", "address")


@dataclass(frozen=True)
class Policy:
    name: str
    rates: dict[str, str]  # kind of key -> "count/period"

    def group(self, kind: str) -> str:
        return f"ratelimit:{self.name}:{kind}"


@functools.cache
def policies() -> dict[str, Policy]:
    """``settings.RATE_LIMITS`` as policies, read once (again after a settings override)."""
    result = {}
    for name, rates in settings.RATE_LIMITS.items():
        unknown = set(rates) - set(KINDS)
        if unknown:
            raise ValueError(f"RATE_LIMITS[{name!r}]: unknown key kinds {sorted(unknown)}")
        result[name] = Policy(name=name, rates=dict(rates))
    return result


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    if setting == "RATE_LIMITS":
        policies.cache_clear()


def policy(name: str) -> Policy:
    return policies()[name]


def _normalised_address(address: str) -> str:
    return (address or "").strip().lower()


def is_limited(request, name: str, *, address: str | None = None, increment: bool = True) -> bool:
    """Count this request against the policy ``name``; ``True`` when any of its limits is spent.

    With ``increment=False`` nothing is counted and the answer is whether the budget is already
    used up (for limits that count only failures, such as logins). The per-address counter is
    used only when ``address`` is given.
    """
    spent = False
    current = policy(name)
    for kind, rate in current.rates.items():
        if kind == "address":
            if address is None:
                continue
            value = _normalised_address(address)
            key: str | Callable = lambda group, request, value=value: value  # noqa: E731
        else:
            key = kind
        usage = get_usage(
            request, group=current.group(kind), key=key, rate=rate, increment=increment
        )
        if usage is None:  # RATELIMIT_ENABLE = False
            continue
        if increment:
            spent |= usage["should_limit"]
        else:
            spent |= usage["count"] >= usage["limit"]
    return spent


def limit(name: str, *, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view: requests with one of ``methods`` count against the policy ``name`` and
    the view finds ``request.limited`` set when the budget is spent. ``methods=()`` counts
    every request."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not methods or request.method in methods:
                request.limited = getattr(request, "limited", False) or is_limited(request, name)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(message) -> HttpResponse:
    """A plain 429 for endpoints without a form to show the message in."""
    return HttpResponse(str(message), status=429, content_type="text/plain; charset=utf-8")
