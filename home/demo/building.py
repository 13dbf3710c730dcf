"""Building blocks of the demo loaders: locales, the home page, generated images, pages looked
up by slug before they are created, translations, rich text."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from ..illustrations import illustration
from ..models import HomePage, HomePageFeaturedItem

SITE_NAME = "Netværket for Social Innovation"


def ensure_locales() -> tuple[Locale, Locale]:
    da, _ = Locale.objects.get_or_create(language_code="da")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return da, en


def ensure_home_page() -> HomePage:
    da, _en = ensure_locales()
    # Wagtail's migrations create the tree roots; a flushed database (transactional tests) has none.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=da)
    )
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    home = HomePage.objects.filter(locale=da).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Forside",
                slug="forside",
                locale=da,
                hero_title=SITE_NAME,
                hero_text=(
                    "30 kommuner udvikler sammen nye løsninger på velfærdens udfordringer – "
                    "i samarbejde med civilsamfund, virksomheder og borgere."
                ),
            )
        )
        # Wagtail's initial "Welcome" page is replaced by ours.
        for page in root.get_children().exclude(pk=home.pk):
            if page.specific_class is Page:
                page.delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    return home


def demo_image(title: str, colour: tuple[int, int, int], accent: tuple[int, int, int]):
    """A generated illustration (no downloads): a town and its people, see home/illustrations.py."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    buffer = io.BytesIO(illustration(title, colour, accent))
    slug = title.lower().replace(" ", "-").replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"demo-{slug}.png"))


def child_by_slug(parent: Page, model, slug: str, **fields):
    """Return the live child ``slug`` of ``parent``, creating and publishing it if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    # treebeard derives the new child's path from the parent's ``numchild`` in memory: a
    # parent that gained children elsewhere (translations add them through their own copy
    # of the parent) would otherwise get a child on an existing path.
    parent.refresh_from_db(fields=["path", "depth", "numchild"])
    page = parent.add_child(instance=model(slug=slug, locale=parent.locale, **fields))
    page.save_revision().publish()
    return page


def translate(page: Page, locale: Locale, **fields):
    """Create (once) and publish the ``locale`` translation of ``page`` with ``fields``."""
    existing = page.get_translation_or_none(locale)
    if existing:
        return existing.specific
    translation = page.copy_for_translation(locale, copy_parents=False)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def rich(*paragraphs: str) -> list[tuple[str, str]]:
    return [("paragraph", "".join(f"<p>{p}</p>" for p in paragraphs))]


def heading(text: str) -> tuple[str, dict]:
    return ("heading", {"text": text, "level": "h2"})


def feature_pages(home: HomePage, pages: list[Page]) -> None:
    """Fill the home page's "featured" section once; an editor's later choice is kept."""
    if home.featured_items.exists():
        return
    # Publishing saves the tree fields (``numchild``) of this instance: a copy loaded before
    # the translations were added below it would record the page as childless.
    palettes = [
        ((150, 90, 60), (250, 220, 160)),
        ((40, 80, 140), (232, 183, 58)),
        ((60, 120, 90), (250, 240, 200)),
    ]
    for n, page in enumerate(pages):
        specific = page.specific
        if getattr(specific, "listing_image_id", 0) is None:  # cards of featured pages show it
            specific.listing_image = demo_image(specific.title[:60], *palettes[n % len(palettes)])
            specific.save_revision().publish()
    home.refresh_from_db(fields=["path", "depth", "numchild"])
    home.featured_items = [HomePageFeaturedItem(page=page) for page in pages]
    home.save_revision().publish()
