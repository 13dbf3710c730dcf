"""Personal data across apps: each app registers how to export and erase a user's data.

    from members_area.gdpr import register_personal_data
    register_personal_data("events", export=export_registrations, erase=erase_registrations)

``export(user) -> JSON-serialisable`` and ``erase(user) -> None`` are called by
``members_area.services.export_personal_data`` / ``erase_personal_data``; register from the
app's ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataHandler:
    name: str
    export: Callable
    erase: Callable


_handlers: dict[str, PersonalDataHandler] = {}


def register_personal_data(name: str, *, export: Callable, erase: Callable) -> None:
    _handlers[name] = PersonalDataHandler(name, export, erase)


def handlers() -> list[PersonalDataHandler]:
    return list(_handlers.values())
