"""The XML sitemap: every live page of every locale that an anonymous visitor may open."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from members_area.access import visible_pages


class PublicSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        condition = None
        for root in roots:
            branch = Page.objects.descendant_of(root, inclusive=True)
            condition = branch if condition is None else condition | branch
        if condition is None:
            return Page.objects.none()
        pages = condition.live().order_by("path").defer_streamfields().specific()
        return visible_pages(pages, AnonymousUser())
