"""Search requests as forms: what views and pages pass to ``search.services``.

Lenient by design: a search form is never "invalid". Every value is cleaned so that no query
string can make a search fail: NUL and other control characters are dropped (PostgreSQL
rejects NUL in any text), lengths are capped, an unknown sort or page number falls back to the
default.
"""

from __future__ import annotations

import re

from django import forms

from .services import FACET_KEYS, PAGE_SIZE, library_search, site_search

# Control characters (NUL included) never belong in a search; tabs and newlines become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_QUERY_LENGTH = 200
MAX_VALUE_LENGTH = 100
MAX_VALUES_PER_FACET = 50


def clean_text(value, max_length: int = MAX_QUERY_LENGTH) -> str:
    return " ".join(_CONTROL.sub("", str(value or "")).split())[:max_length]


class SearchTextField(forms.CharField):
    """Text cut to ``cap`` characters, control characters dropped; never invalid."""

    def __init__(self, *, cap: int = MAX_QUERY_LENGTH, **kwargs):
        self.cap = cap
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return clean_text(value, self.cap)


class SearchValuesField(forms.Field):
    """Every value of a repeated GET parameter (``?tema=1&tema=2``), cleaned."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        values = [clean_text(v, MAX_VALUE_LENGTH) for v in (value or [])]
        return [v for v in values if v][:MAX_VALUES_PER_FACET]


class SiteSearchForm(forms.Form):
    q = SearchTextField()
    side = SearchTextField(cap=12)

    def __init__(self, params):
        super().__init__(params)
        self.full_clean()  # lenient fields: always valid

    def query_string_without_page(self) -> str:
        """The current GET parameters minus the page number, for pagination links."""
        params = self.data.copy()
        params.pop("side", None)
        for key in list(params):
            params.setlist(key, [clean_text(v) for v in params.getlist(key)])
        return params.urlencode()

    def search(self, user):
        return site_search(user, self.cleaned_data["q"], self.cleaned_data["side"] or 1)


class LibrarySearchForm(SiteSearchForm):
    """``q``, ``sort``, ``side`` and one list of values per facet (``FACET_KEYS``).

    ``kind`` fixes the kind (the case bank, the library); otherwise ``?type=`` may choose one.
    """

    sort = SearchTextField(cap=20)

    def __init__(self, params, *, kind: str | None = None, page_size: int = PAGE_SIZE):
        self.base_fields = {
            **type(self).base_fields,
            **{key: SearchValuesField() for key in sorted(FACET_KEYS)},
        }
        self.kind = kind
        self.page_size = page_size
        super().__init__(params)

    @property
    def filters(self) -> dict[str, list[str]]:
        return {key: self.cleaned_data[key] for key in FACET_KEYS if self.cleaned_data[key]}

    @property
    def is_search(self) -> bool:
        """A query or a filter, not just the first listing."""
        return bool(self.cleaned_data["q"]) or bool(self.filters)

    def search(self, user):
        return library_search(
            user,
            query=self.cleaned_data["q"],
            kind=self.kind,
            filters=self.filters,
            sort="date" if self.cleaned_data["sort"] == "date" else "relevance",
            page=self.cleaned_data["side"] or 1,
            page_size=self.page_size,
        )
