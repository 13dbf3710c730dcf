"""What a search returns to views and templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page as PaginatorPage

PAGE_SIZE = 20


@dataclass
class Hit:
    title: str
    url: str
    snippet: str
    kind_label: str
    teaser_only: bool


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]

    @property
    def has_selection(self) -> bool:
        return any(value.selected for value in self.values)


@dataclass
class Suggestions:
    # A spelling the index knows, checked to find something the reader may see.
    did_you_mean: str = ""
    without_filters_count: int = 0
    similar_titles: list[str] = field(default_factory=list)
    popular_themes: list[FacetValue] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.did_you_mean
            or self.without_filters_count
            or self.similar_titles
            or self.popular_themes
        )


@dataclass
class LibraryResult:
    query: str
    kind: str | None
    sort: str
    filters: dict[str, list[str]]
    page: PaginatorPage
    total: int
    facets: list[Facet]
    suggestions: Suggestions
    # The search engine was unavailable: the database answered (the page says so).
    degraded: bool = False

    @property
    def hits(self) -> list[Hit]:
        return list(self.page.object_list)


@dataclass
class SiteSearchResult:
    query: str
    page: PaginatorPage
    total: int
    degraded: bool = False
    did_you_mean: str = ""
