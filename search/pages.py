"""Index pages that show the faceted library search of their own kind of content."""

from __future__ import annotations


class LibrarySearchPageMixin:
    """For CaseIndexPage (``library_kind = "cases"``) and LibraryPage (``"resources"``)."""

    library_kind: str = ""

    def get_context(self, request, *args, **kwargs):
        from .services import library_search_for_request, query_string_without_page

        context = super().get_context(request, *args, **kwargs)
        context["library"] = library_search_for_request(request, kind=self.library_kind)
        context["library_query_string"] = query_string_without_page(request)
        return context
