"""The periodic retry task drains the outbox on any backend."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from home.models import StandardPage
from search.models import IndexOutbox
from search.tasks import retry_index_outbox


@pytest.mark.django_db
def test_retry_task_reindexes_current_state_and_removes_rows(home_page):
    kept = home_page.add_child(instance=StandardPage(title="Borgerbudgetter"))
    content_type = ContentType.objects.get_for_model(StandardPage)
    IndexOutbox.objects.create(content_type=content_type, object_id=str(kept.pk), action="update")
    IndexOutbox.objects.create(content_type=content_type, object_id="999999", action="update")

    result = retry_index_outbox.delay().get()

    assert result == {"written": 2, "failed": 0, "pending": 0}
    assert StandardPage.objects.search("Borgerbudgetter").count() == 1
