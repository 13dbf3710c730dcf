"""Demo content for the embedded default: idempotent, Danish first with English translations.

Every page is looked up by slug under its parent before it is created, so the loader can run
any number of times. This package builds the site, its home page, the "about" pages and the
news; every other app contributes its own demo content through a ``demo`` module registering
``load(home_page) -> dict`` with ``core.demo.demo_loader`` (run in order by
``core.demo.run_demo_loaders``).
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from core.demo import run_demo_loaders

from ..models import NewsPage
from . import privacy  # noqa: F401  (registers the privacy policy's demo loader)
from .building import (
    SITE_NAME,
    child_by_slug,
    demo_image,
    ensure_home_page,
    ensure_locales,
    feature_pages,
    heading,
    rich,
    translate,
)
from .news import load_news
from .site import load_about, load_home, load_site_settings

__all__ = [
    "SITE_NAME",
    "CorruptPageTree",
    "check_page_tree",
    "child_by_slug",
    "demo_image",
    "ensure_home_page",
    "ensure_locales",
    "feature_pages",
    "heading",
    "load_demo_content",
    "rich",
    "translate",
]


@transaction.atomic
def load_demo_content() -> dict:
    home = ensure_home_page()
    _da, en = ensure_locales()
    site = Site.objects.get(is_default_site=True)
    load_site_settings(site)
    load_home(home, en)
    load_about(home, en)
    news_index = load_news(home, en)
    report = run_demo_loaders(home)
    report.update(pages=Page.objects.live().count(), news=NewsPage.objects.count())
    report["news_index"] = news_index.url_path
    check_page_tree()
    return report


class CorruptPageTree(RuntimeError):
    pass


def check_page_tree() -> None:
    """Fail (and roll the load back) if the page tree is inconsistent.

    A wrong ``numchild`` or path looks fine on the site but makes the admin answer 500 when an
    editor adds, copies or moves a page there.
    """
    names = ("bad characters", "bad step length", "orphans", "wrong depth", "wrong numchild")
    problems = {name: ids for name, ids in zip(names, Page.find_problems(), strict=True) if ids}
    if problems:
        raise CorruptPageTree(f"page tree is inconsistent after loading: {problems}")
