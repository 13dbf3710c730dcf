from __future__ import annotations

import socket

import pytest
from django.core.management import call_command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def opensearch_settings(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "search.backends.opensearch3",
            "URLS": [url],
            "INDEX": "test",
            "TIMEOUT": 5,
            # osmem-server has no working Danish analysis (see the backend's docstring).
            "DANISH_ANALYSIS": False,
            "OPTIONS": {"max_retries": 0},
        }
    }


@pytest.fixture
def opensearch(settings, osmem_clone, home_page):
    """Our opensearch3 backend against a fresh osmem-server clone, index built."""
    settings.WAGTAILSEARCH_BACKENDS = opensearch_settings(osmem_clone.url)
    call_command("update_index", stdout=open("/dev/null", "w"))
    from wagtail.search.backends import get_search_backend

    return get_search_backend()
