"""The project's URLs plus ``/__bench__/stored/``: stored bytes through the same middleware."""

import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

STORED = Path(os.environ.get("BENCH_STORED_DIR", "/nonexistent"))
_bytes: dict[str, bytes] = {}


def stored(request):
    name = Path(request.GET.get("file", "")).name
    if name not in _bytes:
        if not (STORED / name).is_file():
            raise Http404
        _bytes[name] = (STORED / name).read_bytes()
    return HttpResponse(_bytes[name], content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/stored/", stored), *project_urlpatterns]
