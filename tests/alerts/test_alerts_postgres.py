"""Post alerts under real concurrency (PostgreSQL, one connection per thread): racing first
publishes queue the alerts once, and workers sending the same post at once mail each
subscriber exactly once (the outbox's SELECT ... FOR UPDATE SKIP LOCKED)."""

import pytest
from django.core import mail
from django.db import connection

from alerts import services
from alerts.models import AlertSubscription, PublishedPost
from core import outbox
from core.outbox.models import OutboundEmail
from tests.events.test_concurrency import run_at_once
from tests.factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def post(home_page):
    return NewsPageFactory(parent=NewsIndexPageFactory(parent=home_page), title="Ny rapport")


def _subscribers(count: int) -> None:
    AlertSubscription.objects.bulk_create(
        AlertSubscription(email=f"l{n}@example.dk", status="active") for n in range(count)
    )


def test_racing_first_publishes_alert_each_subscriber_once(post):
    assert connection.vendor == "postgresql"
    PublishedPost.objects.all().delete()  # the factory's publish: as if never published
    _subscribers(20)
    errors = run_at_once([lambda: services.post_published(post) for _ in range(5)])
    assert errors == []
    assert PublishedPost.objects.count() == 1
    assert OutboundEmail.objects.filter(kind="alerts.post").count() == 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"l{n}@example.dk" for n in range(20))


def test_workers_sending_one_post_at_once_mail_nobody_twice(post):
    _subscribers(60)
    group = services.post_group(post.translation_key)
    outbox.queue_many(
        "alerts.post",
        (
            {
                "recipient": email,
                "dedupe_key": f"{group}:{pk}",
                "params": {"post": str(post.translation_key), "subscription": pk},
            }
            for pk, email in AlertSubscription.objects.values_list("pk", "email")
        ),
        group=group,
    )
    errors = run_at_once([lambda: outbox.deliver_group(group, limit=7) for _ in range(4)])
    assert errors == []
    assert len(mail.outbox) == 60
    assert len({m.to[0] for m in mail.outbox}) == 60
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
