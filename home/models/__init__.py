"""The home app's page types, one module per concern, re-exported here for Django and callers.

``base`` holds ``BasePage`` (fields and behaviour every public page shares), ``pages`` the home
and standard pages, ``news`` the news archive, posts and categories. ``SiteSettings`` lives in
``home/site_settings.py`` and is registered with this app.
"""

from ..site_settings import SiteSettings
from .base import BasePage
from .news import (
    NEWS_CARD_FIELDS,
    NEWS_PER_PAGE,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsPageTag,
)
from .pages import HomePage, HomePageFeaturedItem, StandardPage

__all__ = [
    "NEWS_CARD_FIELDS",
    "NEWS_PER_PAGE",
    "BasePage",
    "HomePage",
    "HomePageFeaturedItem",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "SiteSettings",
    "StandardPage",
]
