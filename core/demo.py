"""Demo content for the embedded default, contributed by every app that has some.

An app's ``demo`` module registers its loader, ``load(home_page) -> dict`` (a short report),
with ``@demo_loader(order=N)``. ``run_demo_loaders`` finds those modules the way Django's admin
finds ``admin`` modules (``autodiscover_modules``) and runs the loaders by ``order``, lowest
first, so an app never imports another app's demo module to put its content in. Loaders are
idempotent: they look every object up before creating it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

Loader = Callable[..., dict]

_LOADERS: dict[str, tuple[int, Loader]] = {}


def demo_loader(*, order: int):
    """Register ``load(home_page) -> dict`` to run at position ``order`` (lowest first)."""

    def register(load: Loader) -> Loader:
        _LOADERS[f"{load.__module__}.{load.__name__}"] = (order, load)
        return load

    return register


def registered_loaders() -> list[tuple[str, Loader]]:
    autodiscover_modules("demo")
    ordered = sorted(_LOADERS.items(), key=lambda item: (item[1][0], item[0]))
    return [(name, load) for name, (_order, load) in ordered]


def run_demo_loaders(home_page) -> dict:
    """Run every app's demo loader in order; returns their reports by loader name."""
    return {name: load(home_page) for name, load in registered_loaders()}
