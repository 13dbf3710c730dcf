"""Import ``opensearchpy`` despite our ``events`` app.

opensearch-py imports ``from events import Events`` (the PyPI package "Events"), but on this
project ``events`` is the Django app for event pages, which shadows it on ``sys.path``. We load
the PyPI package from site-packages under its own name just long enough for opensearchpy to
bind ``Events``, then put our app back.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parents[2]


def import_opensearchpy():
    if "opensearchpy" in sys.modules:
        return sys.modules["opensearchpy"]
    search_path = [p for p in sys.path if p and Path(p).resolve() != _PROJECT_ROOT]
    spec = importlib.machinery.PathFinder.find_spec("events", search_path)
    if spec is None or spec.origin is None or Path(spec.origin).parent == _PROJECT_ROOT / "events":
        import opensearchpy  # no clash (or the package is missing: let the import error show)

        return opensearchpy
    our_modules = {
        name: module
        for name, module in sys.modules.items()
        if name == "events" or name.startswith("events.")
    }
    for name in our_modules:
        del sys.modules[name]
    try:
        pypi_events = importlib.util.module_from_spec(spec)
        sys.modules["events"] = pypi_events
        spec.loader.exec_module(pypi_events)
        import opensearchpy
    finally:
        for name in [n for n in sys.modules if n == "events" or n.startswith("events.")]:
            del sys.modules[name]
        sys.modules.update(our_modules)
    return opensearchpy
