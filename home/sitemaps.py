"""The XML sitemap: every live page of every locale that an anonymous visitor may open, each
with ``hreflang`` alternates pointing at its translations (and ``x-default``: the Danish page).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from members_area.access import visible_pages


class PublicSitemap(Sitemap):
    def _public_pages(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        condition = None
        for root in roots:
            branch = Page.objects.descendant_of(root, inclusive=True)
            condition = branch if condition is None else condition | branch
        if condition is None:
            return Page.objects.none()
        return visible_pages(condition.live(), AnonymousUser())

    def items(self):
        return self._public_pages().order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        keys = {item.translation_key for item in self.paginator.page(page).object_list}
        translations: dict = {}
        for translation in (
            self._public_pages()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .only("id", "url_path", "path", "depth", "translation_key", "locale__language_code")
        ):
            translations.setdefault(translation.translation_key, {})[
                translation.locale.language_code
            ] = translation.get_full_url(self.request)
        by_location = {
            location: languages
            for languages in translations.values()
            for location in languages.values()
        }
        for url_info in urls:
            languages = by_location.get(url_info["location"])
            if not languages:
                continue
            alternates = [
                {"lang_code": code, "location": languages[code]}
                for code, _name in settings.LANGUAGES
                if code in languages
            ]
            if settings.LANGUAGE_CODE in languages:
                alternates.append(
                    {"lang_code": "x-default", "location": languages[settings.LANGUAGE_CODE]}
                )
            url_info["alternates"] = alternates
        return urls
