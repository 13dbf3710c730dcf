"""Site search and the library search (cases and resources) with facets.

How a library search runs, the same way on every search backend (``library``):

1. The backend ranks the ids of *visible* live pages that match the query
   (``members_area.access.visible_pages``; ``search.backends.engine.SearchEngine``).
2. Members-only hits for teaser readers are matched, cut and ordered by their teaser
   (``teasers``).
3. Filters, facet counts (``counts``), ordering (``ordering``) and pagination run in the
   database on the ids that survived (``sql``).

Views and pages parse requests with ``search.forms``; these functions never see a request.
"""

from .facets import (
    CASE_FACETS,
    FACET_KEYS,
    KIND_FACET,
    RESOURCE_FACETS,
    SHARED_FACETS,
    FacetSpec,
    library_models,
)
from .library import library_search
from .results import (
    PAGE_SIZE,
    Facet,
    FacetValue,
    Hit,
    LibraryResult,
    SiteSearchResult,
    Suggestions,
)
from .site import (
    AUTOCOMPLETE_LIMIT,
    MAX_RESULTS,
    active_locale,
    autocomplete,
    ranked_ids,
    ranked_search,
    site_search,
)
from .sql import id_set
from .teasers import reads_full_content, teaser_text

__all__ = [
    "AUTOCOMPLETE_LIMIT",
    "CASE_FACETS",
    "FACET_KEYS",
    "KIND_FACET",
    "MAX_RESULTS",
    "PAGE_SIZE",
    "RESOURCE_FACETS",
    "SHARED_FACETS",
    "Facet",
    "FacetSpec",
    "FacetValue",
    "Hit",
    "LibraryResult",
    "SiteSearchResult",
    "Suggestions",
    "active_locale",
    "autocomplete",
    "id_set",
    "library_models",
    "library_search",
    "ranked_ids",
    "ranked_search",
    "reads_full_content",
    "site_search",
    "teaser_text",
]
