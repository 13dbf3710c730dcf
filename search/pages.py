"""Index pages that show the faceted library search of their own kind of content."""

from __future__ import annotations


class LibrarySearchPageMixin:
    """For CaseIndexPage (``library_kind = "cases"``) and LibraryPage (``"resources"``)."""

    library_kind: str = ""

    def serve(self, request, *args, **kwargs):
        from .ratelimits import library_search_limited, too_many_searches
        from .services import is_library_search

        # A search costs what /soeg/bibliotek/ costs, so it counts against the same limit;
        # the plain listing (no query, no filter) is a page like any other.
        if is_library_search(request) and library_search_limited(request):
            return too_many_searches()
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .services import library_search_for_request, query_string_without_page

        context = super().get_context(request, *args, **kwargs)
        context["library"] = library_search_for_request(request, kind=self.library_kind)
        context["library_query_string"] = query_string_without_page(request)
        return context
