"""Index pages that show the faceted library search of their own kind of content."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.ratelimits import is_limited, too_many_requests

from .forms import LibrarySearchForm

TOO_MANY_SEARCHES = _("For mange søgninger på kort tid. Vent et øjeblik, og prøv igen.")


def too_many_searches():
    return too_many_requests(TOO_MANY_SEARCHES)


def library_search_limited(request) -> bool:
    """Count a library search (a query or a filter) against the visitor's ``library_search``
    budget, shared by /soeg/bibliotek/ and the pages embedding it; ``True`` once it is spent.
    The plain listing (no query, no filter) is a page like any other and is not counted."""
    return LibrarySearchForm(request.GET).is_search and is_limited(request, "library_search")


class LibrarySearchPageMixin:
    """For CaseIndexPage (``library_kind = "cases"``) and LibraryPage (``"resources"``)."""

    library_kind: str = ""

    def serve(self, request, *args, **kwargs):
        if library_search_limited(request):
            return too_many_searches()
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = LibrarySearchForm(request.GET, kind=self.library_kind)
        context["library"] = form.search(request.user)
        context["library_query_string"] = form.query_string_without_page()
        return context
