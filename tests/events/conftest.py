import pytest

from tests.factories import EventIndexPageFactory, EventPageFactory


@pytest.fixture
def event_index(home_page):
    return EventIndexPageFactory(parent=home_page)


@pytest.fixture
def open_event(event_index):
    return EventPageFactory(parent=event_index, title="Frivillige og fagprofessionelle", capacity=2)


@pytest.fixture(autouse=True)
def on_commit_runs_immediately(monkeypatch):
    """Unit tests run inside a transaction that never commits; e-mails are sent on commit.

    The browser journey (transactional) covers the real commit path.
    """
    monkeypatch.setattr(
        "django.db.transaction.on_commit",
        lambda callback, using=None, robust=False: callback(),
    )
