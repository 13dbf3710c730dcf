"""One thing in two languages: how listings and records treat a page and its translations.

Wagtail keeps one page tree per locale; a translated page shares its ``translation_key`` with
the page it was translated from. Two rules follow (docs/events.md, DESIGN.md "Languages"):

- Listings, feeds, dashboards and filters show each thing once: the translation in the
  visitor's language where one is in the listing, otherwise the Danish one
  (``one_per_translation``).
- Records that belong to "the thing" (an event's registrations, seats and waiting list) point
  at its source page: the translation created first (``source_page``). Wagtail's
  "translate this page" always creates new pages, so the original keeps the lowest id.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Min, Q
from django.utils import translation
from wagtail.models import Locale, Page

from core import site_state


def default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]


def active_locale() -> Locale:
    """The locale of the visitor's language (``/en/`` → English), Danish when unknown."""
    try:
        return site_state.active_locale()
    except Locale.DoesNotExist:  # pragma: no cover - the default locale always exists
        return Locale.objects.get(language_code=default_language())


def one_per_translation(queryset, locale: Locale | int | None = None):
    """``queryset`` with each page once: in ``locale`` (a Locale or its id; default: the
    active one) where that translation is in ``queryset``, otherwise its Danish translation.

    Pass a queryset already limited to what may be shown (live, visible to the user): a
    draft or hidden English translation then falls back to the Danish page instead of
    hiding the thing. Pages in any third locale are left out. No extra query: pages pass
    ``self.locale_id`` so their locale need not be loaded.
    """
    locale = active_locale() if locale is None else locale
    default = default_language()
    if isinstance(locale, Locale):
        if locale.language_code == default:
            return queryset.filter(locale=locale)
        locale = locale.pk
    elif locale == site_state.default_locale().pk:  # a Danish page's listing: no fallback
        return queryset.filter(locale_id=locale)
    translated = queryset.filter(locale_id=locale).values("translation_key")
    # The Danish fallback by language code (a join); for a Danish listing it adds nothing.
    return queryset.filter(
        Q(locale_id=locale)
        | (Q(locale__language_code=default) & ~Q(translation_key__in=translated))
    )


def source_page(page: Page) -> Page:
    """The page ``page`` was translated from (itself when it is the original), as specific."""

    def first_pk():
        return (
            Page.objects.filter(translation_key=page.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    # The oldest copy only changes when a page is deleted, which purges: kept per worker.
    source_pk = site_state.remember(f"translation-source:{page.translation_key}", first_pk)
    if source_pk is None or source_pk == page.pk:
        return page
    return type(page).objects.get(pk=source_pk)


def source_page_ids(queryset):
    """Ids of the source pages among ``queryset``'s model (a subquery for ``pk__in``)."""
    return (
        queryset.model.objects.order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values("first")
    )


def translation_for(page: Page, language: str | None = None) -> Page:
    """``page`` in ``language`` (default: the active one) when such a translation is live,
    otherwise ``page`` itself."""
    language = language or translation.get_language() or default_language()
    if page.locale.language_code == language.split("-")[0]:
        return page
    other = (
        type(page)
        .objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language.split("-")[0])
        .first()
    )
    return other or page
