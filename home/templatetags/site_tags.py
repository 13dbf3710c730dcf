"""Template tags for the site chrome: navigation, language switcher, well-known URLs."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from wagtail.models import Page, Site

from core import site_state
from home.models import SiteSettings
from members_area.access import visibility_key, visible_pages

register = template.Library()


def _root_translations(request) -> dict[str, Page]:
    """The site's home page in every language, by language code (memoised, purge-aware)."""
    if request is not None and hasattr(request, "_root_translations"):
        return request._root_translations
    site = Site.find_for_request(request) if request else None
    translations: dict[str, Page] = {}
    if site is not None:
        translations = site_state.remember(
            f"roots:{site.pk}:{site.root_page_id}",
            lambda: {
                page.locale.language_code: page
                for page in site.root_page.get_translations(inclusive=True)
                .live()
                .select_related("locale")
            },
        )
    if request is not None:
        request._root_translations = translations
    return translations


def _site_root(request) -> Page | None:
    roots = _root_translations(request)
    return roots.get(get_language()) or roots.get(settings.LANGUAGE_CODE)


def _url(name: str, fallback: str) -> str:
    # Capabilities register their routes in their own apps; the chrome must render even
    # when one is switched off in a trimmed deployment.
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    root = _site_root(context.get("request"))
    return root.url if root else "/"


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The menu's entries (title, URL, tree position) that the visitor may open."""
    request = context.get("request")
    cache = getattr(request, "_main_menu", None) if request else None
    if cache is not None:
        return cache
    root = _site_root(request)
    if root is None:
        return []
    user = getattr(request, "user", None)

    def entries():
        pages = visible_pages(root.get_children().live().in_menu(), user).only(
            "id", "title", "url_path", "path", "depth", "slug", "locale_id"
        )
        return [
            {
                "title": page.title,
                "url": page.get_url(request),
                "path": page.path,
                "depth": page.depth,
            }
            for page in pages
        ]

    # The URLs are relative to the request's site: the site's root is part of the key.
    items = site_state.remember(f"menu:{root.pk}:{visibility_key(user)}", entries)
    if request is not None:
        request._main_menu = items
    return items


def _live_translations(page: Page) -> dict[str, Page]:
    """``page``'s live translations (itself included) by language code (purge-aware cache)."""
    return site_state.remember(
        f"translations:{page.translation_key}",
        lambda: {
            candidate.locale.language_code: candidate
            for candidate in page.get_translations(inclusive=True)
            .live()
            .select_related("locale")
            .only("id", "url_path", "path", "depth", "locale__language_code")
        },
    )


def _nearest_translated_ancestor(page: Page, language: str) -> Page | None:
    """The closest section above ``page`` that is live in ``language`` (its index page)."""
    keys = page.get_ancestors().filter(depth__gt=1).values("translation_key")
    return (
        Page.objects.live()
        .filter(translation_key__in=keys, locale__language_code=language)
        .order_by("-depth")
        .first()
    )


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the page's translation where it exists, else the nearest section
    (index page) that is translated, else that language's home."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    roots = _root_translations(request)
    if isinstance(page, Page) and all(code in roots for code, _name in settings.LANGUAGES):
        # The same for every visitor of the page in this language: kept per worker. (Without
        # a home page in every language a link may fall back to the request's own path.)
        site = site_state.site_for_request(request)
        return site_state.remember(
            f"language-links:{site.pk if site else 0}:{page.translation_key}:{current}",
            lambda: _language_links(request, page, current, roots),
        )
    return _language_links(request, page, current, roots)


def _language_links(request, page, current: str, roots: dict[str, Page]) -> list[dict]:
    translations = _live_translations(page) if isinstance(page, Page) else {}
    links = []
    for code, _name in settings.LANGUAGES:
        target = translations.get(code)
        if target is None and isinstance(page, Page):
            target = site_state.remember(
                f"translated-section:{page.translation_key}:{code}",
                lambda code=code: _nearest_translated_ancestor(page, code),
            )
        if target is None and not isinstance(page, Page) and _app_view(request):
            links.append(
                {
                    "code": code,
                    "url": translate_url(request.get_full_path(), code),
                    "current": code == current,
                }
            )
            continue
        target = target or roots.get(code)
        if target is not None:
            url = target.get_url(request)
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        else:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def hreflang_alternates(context) -> list[dict]:
    """``<link rel="alternate" hreflang>`` targets: the page in each language it is live in,
    and ``x-default`` (the Danish page)."""
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, Page):
        return _view_alternates(request)
    if not page.live:
        return []
    if request is not None:
        site = site_state.site_for_request(request)
        return site_state.remember(
            f"hreflang:{site.pk if site else 0}:{page.translation_key}",
            lambda: _page_alternates(request, page),
        )
    return _page_alternates(request, page)


def _page_alternates(request, page: Page) -> list[dict]:
    translations = _live_translations(page)
    links = [
        {"code": code, "url": translations[code].get_full_url(request)}
        for code, _name in settings.LANGUAGES
        if code in translations
    ]
    if settings.LANGUAGE_CODE in translations:
        links.append(
            {
                "code": "x-default",
                "url": translations[settings.LANGUAGE_CODE].get_full_url(request),
            }
        )
    return links


def _app_view(request) -> bool:
    """An app's own view (search, sign-ups, members' area): the same URL in every language."""
    match = getattr(request, "resolver_match", None)
    return bool(match and match.namespace)


def _view_alternates(request) -> list[dict]:
    if request is None or request.method != "GET" or not _app_view(request):
        return []
    links = [
        {"code": code, "url": request.build_absolute_uri(translate_url(request.path, code))}
        for code, _name in settings.LANGUAGES
    ]
    default = translate_url(request.path, settings.LANGUAGE_CODE)
    return [*links, {"code": "x-default", "url": request.build_absolute_uri(default)}]


@register.simple_tag
def search_url() -> str:
    return _url("site_search:search", "/soeg/")


@register.simple_tag
def login_url() -> str:
    return _url("members_area:login", "/medlemmer/log-ind/")


@register.simple_tag
def logout_url() -> str:
    return _url("members_area:logout", "/medlemmer/log-ud/")


@register.simple_tag
def members_dashboard_url() -> str:
    return _url("members_area:dashboard", "/medlemmer/")


# Pages the footer links to in every language, found by their type so that a new translation or
# a moved page needs no setting: (app label, model name).
FOOTER_PAGE_TYPES = (
    ("members_area", "MemberDirectoryPage"),
    ("contact", "FormPage"),
    ("newsletters", "NewsletterIndexPage"),
)


def _footer_pages(root: Page) -> list[Page]:
    models = []
    for app_label, model_name in FOOTER_PAGE_TYPES:
        try:
            models.append(apps.get_model(app_label, model_name))
        except LookupError:  # a trimmed deployment without that capability
            continue
    if not models:
        return []
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(root)
        .type(*models)
        .only("id", "title", "url_path", "path", "depth", "slug", "locale_id")
        .order_by("path")
    )
    return list(pages)


@register.simple_tag(takes_context=True)
def footer_links(context) -> list[dict]:
    """The footer's links in the visitor's language: members, forms, archive, privacy policy."""
    request = context.get("request")
    root = _site_root(request)
    if root is None:
        return []

    def links():
        pages = _footer_pages(root)
        privacy = privacy_policy_page(context)
        if privacy is not None:
            pages.append(privacy)
        return [{"title": page.title, "url": page.get_url(request)} for page in pages]

    # Keyed by the site's root in the visitor's language: the URLs are relative to that site.
    return site_state.remember(f"footer:{root.pk}", links)


@register.simple_tag(takes_context=True)
def privacy_policy_page(context) -> Page | None:
    """The privacy policy chosen in the site settings, in the visitor's language if translated."""
    request = context.get("request")
    if request is not None and hasattr(request, "_privacy_policy_page"):
        return request._privacy_policy_page
    page = None
    # for_request is memoised on the request: the header and footer read the same settings.
    chosen_id = SiteSettings.for_request(request).privacy_policy_page_id if request else None
    if chosen_id is not None:
        language = get_language()

        def lookup():
            chosen = Page.objects.filter(pk=chosen_id).first()
            if chosen is None:
                return None
            translated = (
                chosen.get_translations(inclusive=True)
                .live()
                .filter(locale__language_code=language)
                .first()
            )
            return translated or (chosen if chosen.live else None)

        page = site_state.remember(f"privacy-page:{chosen_id}:{language}", lookup)
    if request is not None:
        request._privacy_policy_page = page
    return page
