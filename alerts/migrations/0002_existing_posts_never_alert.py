"""Posts published before alerts existed count as published: re-publishing one never alerts."""

from django.db import migrations


def record_published_posts(apps, schema_editor):
    NewsPage = apps.get_model("home", "NewsPage")
    PublishedPost = apps.get_model("alerts", "PublishedPost")
    seen = set(PublishedPost.objects.values_list("post_key", flat=True))
    rows = []
    for page_id, key, first_published_at in NewsPage.objects.filter(
        first_published_at__isnull=False
    ).values_list("pk", "translation_key", "first_published_at"):
        if key not in seen:
            seen.add(key)
            rows.append(
                PublishedPost(
                    post_key=key, page_id=page_id, first_published_at=first_published_at
                )
            )
    PublishedPost.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("home", "0003_newspage_allow_comments")]

    operations = [migrations.RunPython(record_published_posts, migrations.RunPython.noop)]
