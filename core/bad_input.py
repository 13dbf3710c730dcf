"""Input no view can use answers 400 before it reaches one (house rule: no 500 from input).

- ``RejectNulBytesMiddleware``: a NUL byte in the path, a query parameter or a form field
  (names too) is never meant: browsers don't send it, and PostgreSQL cannot store or compare
  text containing it (every query with it raises). One check here instead of one per view.
- ``ObjectIdConverter`` (registered as ``<id:...>`` in ``CoreConfig.ready``): a database id in
  a URL, 1 to 18 digits. Longer numbers cannot be an id (bigint ends at 19 digits) and would
  overflow SQLite's integer binding; they get a 404 like any unknown id.
- ``object_id(value)``: the same rule for ids posted in forms (``thread``, ``post``, ...):
  the id, or ``None`` for anything else.
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest

MAX_ID_DIGITS = 18
_ID = re.compile(rf"[0-9]{{1,{MAX_ID_DIGITS}}}")


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            raise BadRequest("NUL byte in the URL")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if _has_nul(request.POST):
                raise BadRequest("NUL byte in a form field")
        return self.get_response(request)


class ObjectIdConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def object_id(value) -> int | None:
    """``value`` (e.g. from ``request.POST``) as a database id, or ``None`` if it is none."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _ID.fullmatch(value.strip()):
        return int(value)
    return None
