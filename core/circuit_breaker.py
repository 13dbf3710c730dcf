"""Circuit breaker: stop calling a backing service for a while after it fails.

A hung service (a Redis stopped by SIGSTOP, a network black hole) does not refuse
connections; every call waits out its socket timeout. A page that makes ten cache calls then
takes ten timeouts. The breaker turns that into one: after the first failure it is *open* and
callers skip the service at once (a cache miss, a dropped write) for ``reset_after`` seconds.
Then it is *half-open*: exactly one caller probes the service while every other caller keeps
skipping it; the probe's success closes the breaker, its failure opens it again.

Breakers are shared by every thread of a process (``breaker(name)``); each process finds out
on its own, so a hung service costs each worker one timeout per ``reset_after`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitOpen(Exception):
    """Raised by :meth:`CircuitBreaker.call` when the service is being skipped."""


class CircuitBreaker:
    def __init__(self, name: str, *, reset_after: float = 15.0, clock=time.monotonic):
        self.name = name
        self.reset_after = reset_after
        self._clock = clock
        self._lock = threading.Lock()
        self._opened_at: float | None = None  # None: closed
        self._probing = False
        self.failures = 0  # failures since the breaker last closed (for logs and /healthz)

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at >= self.reset_after:
            return HALF_OPEN
        return OPEN

    def allow(self) -> bool:
        """May the caller use the service now? In half-open state only one caller may."""
        with self._lock:
            state = self._state()
            if state == CLOSED:
                return True
            if state == HALF_OPEN and not self._probing:
                self._probing = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            if self._opened_at is not None:
                logger.warning(
                    "%s is back after %d failure(s): breaker closed", self.name, self.failures
                )
            self._opened_at = None
            self._probing = False
            self.failures = 0

    def record_failure(self, exc: BaseException | None = None) -> None:
        with self._lock:
            if self._opened_at is None:
                logger.warning(
                    "%s failed (%s): skipping it for %.0f s",
                    self.name,
                    type(exc).__name__ if exc else "error",
                    self.reset_after,
                )
            self._opened_at = self._clock()
            self._probing = False
            self.failures += 1

    def call(self, function, *args, failures: tuple[type[BaseException], ...], **kwargs):
        """Run ``function`` through the breaker.

        Raises :class:`CircuitOpen` without calling it while the breaker is open; an exception
        in ``failures`` opens the breaker and is re-raised; any other exception means the
        service answered (a missing key, a wrong type) and counts as a success.
        """
        if not self.allow():
            raise CircuitOpen(self.name)
        try:
            result = function(*args, **kwargs)
        except failures as exc:
            self.record_failure(exc)
            raise
        except Exception:
            self.record_success()
            raise
        self.record_success()
        return result

    def reset(self) -> None:
        """Close the breaker (tests, or an operator who knows the service is back)."""
        with self._lock:
            self._opened_at = None
            self._probing = False
            self.failures = 0


_breakers: dict[str, CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breaker(name: str, *, reset_after: float = 15.0) -> CircuitBreaker:
    """The process-wide breaker called ``name`` (created on first use)."""
    with _registry_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name, reset_after=reset_after)
        return _breakers[name]


def all_breakers() -> dict[str, CircuitBreaker]:
    with _registry_lock:
        return dict(_breakers)
