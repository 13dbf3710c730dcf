"""Shared fixtures. App-specific fixtures live in tests/<app>/conftest.py.

Groups of tests that need real services are marked (see pyproject.toml) and skip with a
reason when the service is missing on a developer's machine. Under CI (CI=true) a missing
service is a failure instead, so nothing passes by skipping there.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest
from django.conf import settings

ARTEFACTS = Path(__file__).parent / "artefacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when a real service a test needs is missing."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI requires this service: {reason}")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _service_requirements(request):
    if request.node.get_closest_marker("postgres"):
        require(settings.USING_POSTGRES, "needs DATABASE_URL pointing at PostgreSQL")
    if request.node.get_closest_marker("redis"):
        require(_port_open("127.0.0.1", 6379), "needs Redis on 127.0.0.1:6379")
    if request.node.get_closest_marker("browser"):
        require(shutil.which(CHROMIUM) is not None, f"needs Debian's Chromium at {CHROMIUM}")


@pytest.fixture(autouse=True)
def _media_root(tmp_path_factory, settings):
    """Uploaded files of a test go to a throwaway folder, never the developer's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _search_engine_breaker_closed():
    """A test that found the search engine down must not send the next test's searches to
    the database fallback (the breaker is per process)."""
    from search.backends.engine import breaker

    breaker.reset()
    yield
    breaker.reset()


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    """A test that found the broker down must not make the next test skip it."""
    from config.background import broker_breaker

    broker_breaker().reset()
    yield
    broker_breaker().reset()


@pytest.fixture(autouse=True)
def _root_collection(request):
    """Transactional tests (live_server, PostgreSQL races) flush the database, taking the root
    collection that a migration created with them; later tests need it back."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = "db" in request.fixturenames or (
        marker is not None and not marker.kwargs.get("transaction")
    )
    if not uses_db or "transactional_db" in request.fixturenames:
        return
    request.getfixturevalue("db")
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from core import site_state

    # A database without purges has generation 0 in every test: the per-process snapshot
    # (site, roots, locales) must not carry one test's rows into the next.
    site_state.forget()
    cache.clear()
    yield
    cache.clear()
    site_state.forget()


@pytest.fixture
def rate_limits(settings):
    """Change named rate-limit policies for one test: ``rate_limits(search={"ip": "2/m"})``."""

    def set_policies(**policies):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, **policies}

    return set_policies


@pytest.fixture
def home_page(db):
    """The Danish home page as the default site's root, with the English locale present."""
    from wagtail.models import Site

    from home.demo import ensure_home_page
    from home.models import SiteSettings

    page = ensure_home_page()
    # The settings row exists on a real site; created lazily, its first save would purge the
    # page cache in the middle of a test's first request.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return page


@pytest.fixture
def library(home_page):
    """The resource library (LibraryPage) under the Danish home page."""
    from tests.factories import LibraryPageFactory

    return LibraryPageFactory(parent=home_page)


@pytest.fixture
def case_bank(home_page):
    """The case bank (CaseIndexPage) under the Danish home page."""
    from tests.factories import CaseIndexPageFactory

    return CaseIndexPageFactory(parent=home_page)


@pytest.fixture
def artefacts_dir() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


# --- Browser (pytest-playwright against Debian's Chromium) -----------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _allow_async_unsafe():
    # live_server + Playwright's sync API share the thread running an event loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Fixtures of a Redis of the test's own, for every test (they need ``require`` above).
from tests.own_redis import own_redis, redis_cache  # noqa: E402, F401
