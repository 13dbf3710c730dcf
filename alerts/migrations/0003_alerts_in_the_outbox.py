"""Post alerts move to the one outbox (core.outbox): alerts still queued become outbox
messages, posts already in a digest (or alerted before digests were tracked) are marked
digested, and the old per-alert table goes."""

from django.db import migrations, models
from django.utils import timezone


def move_queued_alerts_to_the_outbox(apps, schema_editor):
    AlertDelivery = apps.get_model("alerts", "AlertDelivery")
    PublishedPost = apps.get_model("alerts", "PublishedPost")
    OutboundEmail = apps.get_model("core", "OutboundEmail")
    queued = AlertDelivery.objects.filter(status="queued").select_related("subscription")
    OutboundEmail.objects.bulk_create(
        [
            OutboundEmail(
                kind="alerts.post",
                recipient=delivery.subscription.email,
                dedupe_key=f"alerts.post:{delivery.post_key}:{delivery.subscription_id}",
                group=f"alerts.post:{delivery.post_key}",
                params={"post": str(delivery.post_key), "subscription": delivery.subscription_id},
            )
            for delivery in queued.filter(digest=False)
        ],
        ignore_conflicts=True,
    )
    waiting_for_digest = set(queued.filter(digest=True).values_list("post_key", flat=True))
    PublishedPost.objects.exclude(post_key__in=waiting_for_digest).update(
        digested_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0002_existing_posts_never_alert"),
        ("core", "0002_outboundemail"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedpost",
            name="digested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(move_queued_alerts_to_the_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(name="AlertDelivery"),
    ]
