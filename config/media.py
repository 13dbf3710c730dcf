"""Uploaded media in the embedded default (DEBUG): image renditions only, like production.

Production's nginx serves ``/media/images/`` and answers 404 for the rest of ``/media/``
(README "Reverse proxy, media and documents"). Here Django does the same: the path is
normalised first (``//``, ``.``, ``..`` and percent-encoded forms), then only files under
``images/`` (Wagtail's renditions) are served. Originals (``original_images/``, which may carry
unredacted metadata) and documents (``documents/``, which may be members-only) never are:
documents are only reachable through Wagtail's serve view (``/documents/<id>/<name>``), which
checks the collection's view restrictions.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

PUBLIC_PREFIX = "images/"


def rendition_path(path: str) -> str | None:
    """The normalised relative path if it names a rendition, else ``None``."""
    if "\\" in path or "\x00" in path:
        return None
    normalised = posixpath.normpath("/" + path).lstrip("/")
    # Anything the normalisation had to change (empty segments, dots) is refused outright.
    if normalised != path or not normalised.startswith(PUBLIC_PREFIX):
        return None
    return normalised


def serve_rendition(request, path):
    relative = rendition_path(path)
    if relative is None:
        raise Http404
    return serve(request, relative, document_root=settings.MEDIA_ROOT)
