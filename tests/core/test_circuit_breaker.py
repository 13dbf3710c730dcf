"""The circuit breaker skips a failing service for a while, then lets one caller probe it."""

from __future__ import annotations

import threading

import pytest

from core.circuit_breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Service:
    def __init__(self):
        self.calls = 0
        self.error: Exception | None = None

    def __call__(self):
        self.calls += 1
        if self.error:
            raise self.error
        return "ok"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def breaker(clock):
    return CircuitBreaker("test service", reset_after=15, clock=clock)


def _call(breaker, service):
    return breaker.call(service, failures=(ConnectionError, TimeoutError))


def test_first_failure_opens_the_breaker_and_later_calls_skip_the_service(breaker):
    service = Service()
    assert _call(breaker, service) == "ok"
    service.error = TimeoutError("hung")

    with pytest.raises(TimeoutError):
        _call(breaker, service)

    assert breaker.state == OPEN
    for _ in range(50):
        with pytest.raises(CircuitOpen):
            _call(breaker, service)
    assert service.calls == 2  # one success, one timeout, then never again while open


def test_after_the_pause_one_probe_closes_the_breaker_when_the_service_is_back(breaker, clock):
    service = Service()
    service.error = ConnectionError("refused")
    with pytest.raises(ConnectionError):
        _call(breaker, service)

    clock.now += 14.9
    with pytest.raises(CircuitOpen):
        _call(breaker, service)
    clock.now += 0.2
    assert breaker.state == HALF_OPEN
    service.error = None

    assert _call(breaker, service) == "ok"
    assert breaker.state == CLOSED
    assert _call(breaker, service) == "ok"


def test_a_failed_probe_opens_the_breaker_for_another_pause(breaker, clock):
    service = Service()
    service.error = TimeoutError("hung")
    with pytest.raises(TimeoutError):
        _call(breaker, service)
    clock.now += 16

    with pytest.raises(TimeoutError):
        _call(breaker, service)  # the probe

    assert breaker.state == OPEN
    clock.now += 10
    with pytest.raises(CircuitOpen):
        _call(breaker, service)
    assert service.calls == 2


def test_only_one_caller_probes_while_the_others_keep_skipping(breaker, clock):
    """No retry storm: a hung service gets one probe per pause, not one per waiting request."""
    started, release = threading.Event(), threading.Event()

    def slow_probe():
        started.set()
        release.wait(5)
        return "ok"

    with pytest.raises(ConnectionError):
        breaker.call(_raise(ConnectionError()), failures=(ConnectionError,))
    clock.now += 20
    probe = threading.Thread(target=lambda: breaker.call(slow_probe, failures=(ConnectionError,)))
    probe.start()
    started.wait(5)

    skipped = 0
    for _ in range(20):
        try:
            breaker.call(lambda: "ok", failures=(ConnectionError,))
        except CircuitOpen:
            skipped += 1
    release.set()
    probe.join(5)

    assert skipped == 20
    assert breaker.state == CLOSED


def test_an_answer_that_is_an_error_is_not_an_outage(breaker):
    """Redis answering "no such key" (Django's incr raises ValueError) is a working Redis."""
    with pytest.raises(ValueError):
        breaker.call(_raise(ValueError("no key")), failures=(ConnectionError,))
    assert breaker.state == CLOSED


def _raise(exc):
    def function():
        raise exc

    return function
