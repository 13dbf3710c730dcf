"""Shared machinery with no pages of its own: outbox, page cache, rate-limit policies, circuit breaker."""
