"""With the search engine dead or hung, every search page still answers from the database
backend, says so, and does not wait for the engine again while it is down; /healthz reports
the engine as degraded. Engines here: a port nobody listens on, and a listener of our own
that accepts connections and never answers."""

from __future__ import annotations

import socket
import threading

import pytest

from core.circuit_breaker import OPEN
from home.models import StandardPage
from search.backends import engine
from tests.factories import CasePageFactory, ResourcePageFactory

from .conftest import free_port, opensearch_settings

NOTICE = "Søgemaskinen svarer ikke lige nu"


class HungEngine:
    """Accepts TCP connections and never answers (a frozen engine, not a refused one)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted = 0
        self.held = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def engine_with_fallback(url: str) -> dict:
    backends = opensearch_settings(url)
    backends["default"]["SEARCH_TIMEOUT"] = 0.5
    backends["default"]["SAVE_TIMEOUT"] = 0.5
    backends["database"] = {
        "BACKEND": "search.backends.database",
        "SEARCH_CONFIG": "danish",
        "AUTOCOMPLETE_SEARCH_CONFIG": "simple",
    }
    return backends


def assert_every_search_falls_back(client, content):
    response = client.get("/soeg/", {"q": "frivillige"})
    assert response.status_code == 200
    assert "Frivillige i kommunerne" in response.content.decode()
    assert NOTICE in response.content.decode()

    for url in ("/soeg/bibliotek/", content["library"].url, content["case_bank"].url):
        response = client.get(url, {"q": "frivillige"})
        assert response.status_code == 200, url
        assert NOTICE in response.content.decode(), url
    assert (
        "Frivillige cases"
        in client.get(content["case_bank"].url, {"q": "frivillig"}).content.decode()
    )

    response = client.get("/soeg/autocomplete/", {"q": "frivil"})
    assert response.status_code == 200
    assert "Frivillige i kommunerne" in [item["title"] for item in response.json()["results"]]


@pytest.mark.django_db
def test_dead_engine_searches_fall_back_to_the_database(
    client, settings, home_page, library, case_bank
):
    settings.WAGTAILSEARCH_BACKENDS = engine_with_fallback(f"http://127.0.0.1:{free_port()}")
    # Saving content works while the engine is down (the database index is written too).
    home_page.add_child(instance=StandardPage(title="Frivillige i kommunerne", intro="Frivillige."))
    ResourcePageFactory(parent=library, title="Frivillige ressourcer")
    CasePageFactory(parent=case_bank, title="Frivillige cases")

    assert_every_search_falls_back(client, {"library": library, "case_bank": case_bank})


@pytest.mark.django_db
def test_hung_engine_is_waited_for_once_then_skipped(
    client, settings, home_page, library, case_bank
):
    hung = HungEngine()
    try:
        content = {"library": library, "case_bank": case_bank}
        # Content saved while the engine is fine elsewhere: index only into the database.
        settings.WAGTAILSEARCH_BACKENDS = {
            "default": engine_with_fallback("http://x")["database"],
        }
        home_page.add_child(instance=StandardPage(title="Frivillige i kommunerne", intro="x"))
        ResourcePageFactory(parent=library, title="Frivillige ressourcer")
        CasePageFactory(parent=case_bank, title="Frivillige cases")
        settings.WAGTAILSEARCH_BACKENDS = engine_with_fallback(hung.url)

        response = client.get("/soeg/", {"q": "frivillige"})
        assert response.status_code == 200
        assert NOTICE in response.content.decode()
        waited_for = hung.accepted
        assert waited_for >= 1  # the first search did try the engine

        assert_every_search_falls_back(client, content)
        # The breaker is open: no search connected to the hung engine again.
        assert hung.accepted == waited_for
    finally:
        hung.close()


@pytest.mark.django_db
def test_healthz_reports_a_dead_engine_as_degraded(client, settings):
    settings.WAGTAILSEARCH_BACKENDS = engine_with_fallback(f"http://127.0.0.1:{free_port()}")

    response = client.get("/healthz")

    assert response.status_code == 200  # the site still serves, searches included
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["search"] == {
        "status": "degraded",
        "mode": "database fallback",
        "latency_ms": body["checks"]["search"]["latency_ms"],
    }
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_hung_engine_as_degraded(client, settings):
    hung = HungEngine()
    try:
        settings.WAGTAILSEARCH_BACKENDS = engine_with_fallback(hung.url)
        body = client.get("/healthz").json()
        assert body["checks"]["search"]["status"] == "degraded"
        # Searches right after go straight to the database.
        assert engine.breaker.state == OPEN
    finally:
        hung.close()


@pytest.mark.search_engine
@pytest.mark.django_db
def test_live_engine_answers_without_notice(client, opensearch, home_page):
    from .test_engine_backends import refresh

    home_page.add_child(instance=StandardPage(title="Frivillige i kommunerne", intro="x"))
    refresh(opensearch)

    response = client.get("/soeg/", {"q": "frivillige"})

    assert "Frivillige i kommunerne" in response.content.decode()
    assert NOTICE not in response.content.decode()
    assert client.get("/healthz").json()["checks"]["search"]["status"] == "ok"
