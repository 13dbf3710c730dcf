import pytest


@pytest.fixture(autouse=True)
def on_commit_runs_immediately(monkeypatch):
    """Unit tests run inside a transaction that never commits; e-mails leave on commit."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit",
        lambda callback, using=None, robust=False: callback(),
    )
