"""Shared machinery with no pages of its own.

Outbox, page cache, rate-limit policies, circuit breaker, client IP.
"""
