"""Keeping the search index in step with the database.

* ``record_failed_index_update``: called by our engine backends when a write fails.
* ``retry_pending_index_updates``: the periodic retry (Celery beat, ``search.tasks``).
* ``index_drift`` / ``fix_index_drift``: compare database and index per model
  (``manage.py search_index_drift``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from modelsearch.index import get_indexed_instance, get_indexed_models
from wagtail.search.backends import get_search_backends

from .models import IndexOutbox

logger = logging.getLogger(__name__)

RETRY_BATCH_SIZE = 200
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at an hour."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def record_failed_index_update(obj, action: str, exc: Exception) -> None:
    content_type = ContentType.objects.get_for_model(type(obj))
    IndexOutbox.objects.update_or_create(
        content_type=content_type,
        object_id=str(obj.pk),
        defaults={
            "action": action,
            "last_error": f"{type(exc).__name__}: {exc}"[:2000],
            "next_attempt_at": timezone.now(),
        },
    )


def _write(backend, indexed_instance, model, object_id) -> None:
    """Bring one object's index entry in line with the database, raising on failure."""
    if indexed_instance is not None:
        getattr(backend, "index_object_now", backend.add)(indexed_instance)
    else:
        getattr(backend, "unindex_object_now", backend.delete)(model(pk=object_id))


def retry_pending_index_updates(*, now=None, batch_size: int = RETRY_BATCH_SIZE) -> dict:
    """Retry due outbox rows once each; succeeded rows go, failed ones back off.

    Idempotent: it writes the object's current state, so running it twice (or concurrently
    with a normal save) does no harm. On PostgreSQL, concurrent runs skip each other's rows.
    """
    now = now or timezone.now()
    done = failed = 0
    backends = list(get_search_backends(with_auto_update=True))
    with transaction.atomic():
        rows = list(
            IndexOutbox.objects.select_for_update(skip_locked=True)
            .filter(next_attempt_at__lte=now)
            .select_related("content_type")
            .order_by("next_attempt_at", "pk")[:batch_size]
        )
        for row in rows:
            model = row.content_type.model_class()
            if model is None:  # the model is gone: nothing left to index
                row.delete()
                continue
            obj = model._default_manager.filter(pk=row.object_id).first()
            indexed = get_indexed_instance(obj) if obj is not None else None
            try:
                for backend in backends:
                    _write(backend, indexed, model, row.object_id)
            except Exception as exc:
                row.attempts += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                row.next_attempt_at = now + backoff(row.attempts)
                row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                failed += 1
            else:
                row.delete()
                done += 1
    if failed:
        logger.warning("Search index retry: %s written, %s still failing", done, failed)
    return {"written": done, "failed": failed, "pending": IndexOutbox.objects.count()}


# --- Drift ----------------------------------------------------------------------------------


@dataclass
class ModelDrift:
    label: str
    db_count: int
    index_count: int
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, not in the database

    @property
    def drifted(self) -> bool:
        return bool(self.missing or self.extra)


def _model_label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _auto_updated_models():
    return [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]


def _indexed_ids_by_label(backend) -> dict[str, set[str]]:
    """Document ids in the index, grouped by the most specific model label."""
    ids: dict[str, set[str]] = {}
    if hasattr(backend, "es"):
        index_names = {backend.get_index_for_model(m).name for m in _auto_updated_models()}
        scan = _scan_helper(backend)
        for name in index_names:
            if not backend.es.indices.exists(index=name):
                continue
            for hit in scan(
                backend.es,
                index=name,
                query={"query": {"match_all": {}}, "_source": ["_django_content_type"]},
            ):
                label = hit["_source"]["_django_content_type"][0]
                ids.setdefault(label, set()).add(str(hit["_id"]))
        return ids

    from wagtail.search.models import IndexEntry

    labels = {
        ct.pk: f"{ct.app_label}.{ct.model_class().__name__}"
        for ct in ContentType.objects.all()
        if ct.model_class() is not None
    }
    for content_type_id, object_id in IndexEntry.objects.values_list(
        "content_type_id", "object_id"
    ).iterator(chunk_size=5000):
        label = labels.get(content_type_id, str(content_type_id))
        ids.setdefault(label, set()).add(str(object_id))
    return ids


def _scan_helper(backend):
    if backend.client_class.__module__.startswith("opensearchpy"):
        from opensearchpy.helpers import scan
    else:
        from elasticsearch.helpers import scan
    return scan


def index_drift(backend) -> list[ModelDrift]:
    """Compare the database with the index, per indexed model."""
    in_index = _indexed_ids_by_label(backend)
    report = []
    for model in _auto_updated_models():
        label = _model_label(model)
        db_ids = {str(pk) for pk in model.get_indexed_objects().values_list("pk", flat=True)}
        index_ids = in_index.get(label, set())
        report.append(
            ModelDrift(
                label=label,
                db_count=len(db_ids),
                index_count=len(index_ids),
                missing=sorted(db_ids - index_ids, key=_id_sort_key),
                extra=sorted(index_ids - db_ids, key=_id_sort_key),
            )
        )
    return report


def _id_sort_key(value: str):
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def fix_index_drift(backend, report: list[ModelDrift], *, chunk_size: int = 500) -> None:
    """Index what is missing and remove what should not be there."""
    models = {_model_label(m): m for m in _auto_updated_models()}
    for entry in report:
        model = models.get(entry.label)
        if model is None:
            continue
        for start in range(0, len(entry.missing), chunk_size):
            chunk = entry.missing[start : start + chunk_size]
            objects = list(model.get_indexed_objects().filter(pk__in=chunk))
            backend.add_bulk(model, objects)
        for object_id in entry.extra:
            getattr(backend, "unindex_object_now", backend.delete)(model(pk=object_id))
    if hasattr(backend, "refresh_indexes"):
        backend.refresh_indexes()
