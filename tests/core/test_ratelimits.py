"""Named rate-limit policies count per client address, per account and per e-mail address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.ratelimits import is_limited, policies

PROXY = "127.0.0.1"


def _request(ip: str = "203.0.113.5"):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_every_view_policy_is_configured():
    assert {
        "login",
        "password_reset",
        "newsletter_signup",
        "event_registration",
        "invitation_accept",
        "invite_colleague",
        "two_factor",
        "search",
        "library_search",
        "autocomplete",
    } <= set(policies())


def test_per_ip_limit_spends_per_visitor(rate_limits):
    rate_limits(newsletter_signup={"ip": "2/h"})

    assert [is_limited(_request(), "newsletter_signup") for _ in range(3)] == [False, False, True]
    assert is_limited(_request("198.51.100.7"), "newsletter_signup") is False


def test_per_address_limit_holds_across_visitors_and_spelling(rate_limits):
    """Nobody floods one mailbox by changing IP or the address's capitals."""
    rate_limits(newsletter_signup={"ip": "100/h", "address": "2/h"})

    first = is_limited(_request("203.0.113.5"), "newsletter_signup", address="anna@example.dk")
    second = is_limited(_request("198.51.100.7"), "newsletter_signup", address="Anna@Example.dk ")
    third = is_limited(_request("192.0.2.9"), "newsletter_signup", address="anna@example.dk")

    assert (first, second, third) == (False, False, True)
    # Another address from the same visitors is not affected.
    assert not is_limited(_request("192.0.2.9"), "newsletter_signup", address="bo@example.dk")


def test_address_limit_is_only_counted_when_the_view_passes_an_address(rate_limits):
    rate_limits(newsletter_signup={"ip": "100/h", "address": "1/h"})

    assert [is_limited(_request(), "newsletter_signup") for _ in range(3)] == [False] * 3


def test_peeking_without_counting(rate_limits):
    """Limits that count only failures (logins) ask first and count afterwards."""
    rate_limits(login={"ip": "2/h"})
    request = _request()

    assert is_limited(request, "login", increment=False) is False
    is_limited(request, "login")
    assert is_limited(request, "login", increment=False) is False
    is_limited(request, "login")
    assert is_limited(request, "login", increment=False) is True


def test_an_unknown_key_kind_is_refused(rate_limits):
    rate_limits(search={"ip": "2/m", "cookie": "1/m"})

    with pytest.raises(ValueError, match="cookie"):
        policies()


def test_the_ip_key_is_the_client_behind_our_proxy(rate_limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    rate_limits(event_registration={"ip": "1/h"})

    def from_(forwarded_for):
        request = RequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
        return is_limited(request, "event_registration")

    assert [from_("203.0.113.5"), from_("203.0.113.5")] == [False, True]
    assert from_("6.6.6.6, 203.0.113.5") is True
    assert from_("198.51.100.7") is False
