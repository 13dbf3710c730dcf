"""Index pages that show the faceted library search of their own kind of content."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.ratelimits import is_limited, too_many_requests

from .forms import LibrarySearchForm

TOO_MANY_SEARCHES = _("For mange søgninger på kort tid. Vent et øjeblik, og prøv igen.")


def too_many_searches():
    return too_many_requests(TOO_MANY_SEARCHES)


def library_search_limited(request, form: LibrarySearchForm | None = None) -> bool:
    """Count a library search (a query or a filter) against the visitor's ``library_search``
    budget, shared by /soeg/bibliotek/ and the pages embedding it; ``True`` once it is spent.
    The plain listing (no query, no filter) is a page like any other and is not counted.
    ``form``: the request's form when the caller has already read it."""
    if form is None:
        form = LibrarySearchForm(request.GET)
    return form.is_search and is_limited(request, "library_search")


class LibrarySearchPageMixin:
    """For CaseIndexPage (``library_kind = "cases"``) and LibraryPage (``"resources"``)."""

    library_kind: str = ""

    def library_search_form(self, request) -> LibrarySearchForm:
        """The request's search form, read once for the budget check and the search."""
        form = getattr(request, "_library_search_form", None)
        if form is None:
            form = LibrarySearchForm(request.GET, kind=self.library_kind)
            request._library_search_form = form
        return form

    def serve(self, request, *args, **kwargs):
        if library_search_limited(request, self.library_search_form(request)):
            return too_many_searches()
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = self.library_search_form(request)
        context["library"] = form.search(request.user)
        context["library_query_string"] = form.query_string_without_page()
        return context
