"""The one error the event services raise to a visitor, and its no-enumeration case."""

from __future__ import annotations


class RegistrationError(Exception):
    """Registration refused; ``str(error)`` is a message for the visitor. Nothing changed."""


class AlreadyRegistered(RegistrationError):
    """The address already holds a registration. The public form answers exactly as for a new
    one (no enumeration of who is registered); the address gets an e-mail saying so."""
