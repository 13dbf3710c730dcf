import pytest


@pytest.fixture(autouse=True)
def outbox_delivers_at_once(monkeypatch):
    """Unit tests run inside a transaction that never commits: deliver outbox messages when
    they are queued instead of after COMMIT (the journeys cover the real commit path)."""
    from config.background import send_or_run_inline

    monkeypatch.setattr(
        "core.outbox.services.enqueue_after_commit",
        lambda task, *args, **kwargs: send_or_run_inline(task, *args, **kwargs),
    )
