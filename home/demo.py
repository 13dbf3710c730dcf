"""Demo content for the embedded default: idempotent, Danish first with English translations.

Every page is looked up by slug under its parent before it is created, so the loader can run
any number of times. Other apps contribute their own demo content through ``DEMO_MODULES``:
each module has ``load(home_page) -> dict``.
"""

from __future__ import annotations

import datetime
import io
from importlib import import_module

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from .illustrations import illustration
from .models import (
    HomePage,
    HomePageFeaturedItem,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    SiteSettings,
    StandardPage,
)

DEMO_MODULES: list[str] = [
    "cases.demo",
    "resources.demo",
    "members_area.demo",
    "forum.demo",
    "events.demo",
    "newsletters.demo",
    "contact.demo",
    "home.privacy_demo",
]

SITE_NAME = "Netværket for Social Innovation"


# --- Building blocks ----------------------------------------------------------------------


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


# --- Content -------------------------------------------------------------------------------

SEVEN_QUESTIONS_DA = [
    "Hvor kan ikke-offentlige aktører bidrage til løsningen af velfærdsopgaverne?",
    "Hvordan strukturerer vi partnerskaber mellem kommune, civilsamfund, virksomheder og borgere?",
    "Hvordan beskytter vi de professionelle job, når nye aktører løser opgaver?",
    "Hvordan fastholder vi kvaliteten, når ikke-professionelle partnere bidrager?",
    "Hvilke incitamenter virker for virksomheder og borgere?",
    "Hvordan spiller nye partnere og de professionelle medarbejdere sammen i hverdagen?",
    "Hvordan bliver nye løsninger bæredygtige og skalerbare?",
]
SEVEN_QUESTIONS_EN = [
    "Where can non-public actors contribute to solving welfare tasks?",
    "How do we structure partnerships between municipality, civil society, companies and citizens?",
    "How do we protect professional jobs when new actors take on tasks?",
    "How do we keep quality high when non-professional partners contribute?",
    "Which incentives work for companies and citizens?",
    "How do new partners and professional staff work together day to day?",
    "How do new solutions become sustainable and scalable?",
]


def _ordered_list(items: list[str]) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def load_site_settings(site: Site) -> None:
    settings = SiteSettings.for_site(site)
    settings.organisation_name = SITE_NAME
    settings.host_institution = "Sekretariatet, Teknologisk Institut"
    settings.address = "Gregersensvej 1\n2630 Taastrup"
    settings.email = "socialinnovation@example.dk"
    settings.phone = "+45 72 20 00 00"
    settings.footer_text = (
        "Netværket samler 30 kommuner om social innovation: nye måder at løse velfærdsopgaver "
        "på sammen med civilsamfund, virksomheder og borgere."
    )
    settings.default_meta_description = (
        "Kommunalt netværk for social innovation: cases, viden, arrangementer og et forum for "
        "medarbejdere i medlemskommunerne."
    )
    settings.save()


def load_home(home: HomePage, en: Locale) -> HomePage:
    if home.hero_image_id is None:
        home.hero_image = demo_image("Netværket samlet", (11, 94, 85), (232, 183, 58))
        home.listing_summary = (
            "30 kommuner udvikler sammen nye løsninger på velfærdens udfordringer."
        )
        home.body = [
            heading("Hvorfor social innovation?"),
            *rich(
                "Kommunerne står med flere ældre borgere, stigende forventninger og stramme "
                "budgetter. Social innovation handler om at finde nye svar sammen med dem, der "
                "har viden, tid og lyst: frivillige, foreninger, virksomheder og borgerne selv."
            ),
        ]
        home.save_revision().publish()
    return translate(
        home,
        en,
        title="Home",
        slug="home",
        hero_title="The Municipal Network on Social Innovation",
        hero_text=(
            "30 municipalities develop new answers to the challenges of welfare – together "
            "with civil society, companies and citizens."
        ),
        listing_summary="30 municipalities developing new welfare solutions together.",
        body=[
            heading("Why social innovation?"),
            *rich(
                "Municipalities face more older citizens, rising expectations and tight budgets. "
                "Social innovation means finding new answers together with those who have the "
                "knowledge, time and will: volunteers, associations, companies and citizens."
            ),
        ],
    )


def load_about(home: HomePage, en: Locale) -> None:
    about = child_by_slug(
        home,
        StandardPage,
        "om-netvaerket",
        title="Om netværket",
        show_in_menus=True,
        intro=(
            "Netværket for Social Innovation er et samarbejde mellem 30 kommuner, der vil lære "
            "af hinanden og af forskningen om, hvordan nye partnerskaber kan løfte velfærden."
        ),
        listing_summary="30 kommuner, syv fælles spørgsmål og et sekretariat hos Teknologisk Institut.",
        body=[
            *rich(
                "Netværket blev etableret af Teknologisk Institut sammen med en kreds af "
                "kommuner, der ønskede et fælles rum for at udvikle og afprøve nye løsninger "
                "på velfærdsområdet. I dag er 30 kommuner fra hele landet med.",
                "Medlemmerne mødes to gange om året til en hel dag: en konference med danske "
                "og internationale eksperter og en workshop med gruppearbejde om egne cases. "
                "Hertil kommer 2–3 temaeftermiddage om året, der også er åbne for "
                "ikke-medlemmer.",
            ),
            heading("De syv spørgsmål"),
            (
                "paragraph",
                "<p>Netværkets arbejde tager udgangspunkt i syv spørgsmål:</p>"
                + _ordered_list(SEVEN_QUESTIONS_DA),
            ),
            (
                "quote",
                {
                    "text": "Vi kan ikke løse morgendagens opgaver med gårsdagens "
                    "arbejdsdeling. Vi skal finde nye partnere – og gøre det ordentligt.",
                    "attribution": "Medlem af netværkets styregruppe",
                },
            ),
        ],
    )
    translate(
        about,
        en,
        title="About the network",
        slug="about",
        intro=(
            "The Municipal Network on Social Innovation brings together 30 municipalities that "
            "learn from each other and from research how new partnerships can improve welfare."
        ),
        listing_summary="30 municipalities, seven shared questions, a secretariat at the Danish "
        "Technological Institute.",
        body=[
            *rich(
                "The network was founded by the Danish Technological Institute with a group of "
                "municipalities that wanted a shared space to develop and test new welfare "
                "solutions. Today 30 municipalities from all over Denmark take part.",
                "Members meet twice a year for a whole day: a conference with Danish and "
                "international experts, and a workshop with group work on their own cases. "
                "In addition, 2–3 themed afternoon events a year are open to non-members.",
            ),
            heading("The seven questions"),
            (
                "paragraph",
                "<p>The network's work starts from seven questions:</p>"
                + _ordered_list(SEVEN_QUESTIONS_EN),
            ),
        ],
    )

    membership = child_by_slug(
        home,
        StandardPage,
        "medlemskab",
        title="Medlemskab",
        show_in_menus=True,
        intro="Medlemskab er for kommuner. Alle medarbejdere i en medlemskommune får adgang.",
        body=[
            *rich(
                "Som medlem får kommunens medarbejdere adgang til netværkets casebank med danske "
                "og internationale initiativer, det fulde vidensbibliotek, forummet og de to "
                "årlige netværksdage.",
                "Kontakt sekretariatet for at høre om medlemskab for jeres kommune.",
            ),
        ],
    )
    translate(
        membership,
        en,
        title="Membership",
        slug="membership",
        intro="Membership is for municipalities. All staff of a member municipality get access.",
        body=rich(
            "Staff of member municipalities get access to the case bank of Danish and "
            "international initiatives, the full resource library, the forum and the two "
            "annual network days.",
            "Contact the secretariat to discuss membership for your municipality.",
        ),
    )
    # The contact page is a form page (contact.demo), as is the join form under membership.


NEWS = [
    {
        "slug": "netvaerket-for-social-innovation-er-skudt-i-gang",
        "title": "Netværket for Social Innovation er skudt i gang",
        "date": datetime.date(2026, 1, 15),
        "author": "Sekretariatet",
        "categories": ["netvaerket"],
        "tags": ["netværk", "kommuner"],
        "intro": "30 kommuner har sammen med Teknologisk Institut etableret et netværk, der skal "
        "gøre social innovation til en del af hverdagen i den kommunale velfærd.",
        "body": [
            "Med 30 medlemskommuner fra hele landet er netværket et af de største kommunale "
            "samarbejder om social innovation. Formålet er at dele erfaringer, lære af "
            "forskning og internationale eksempler og sammen finde svar på syv spørgsmål, som "
            "kommunerne møder, når nye partnere inddrages i velfærden.",
            "Netværket mødes til en konference og en workshop hvert år og holder desuden "
            "temaeftermiddage, der er åbne for alle interesserede.",
        ],
        "en": {
            "slug": "the-network-on-social-innovation-is-launched",
            "title": "The Municipal Network on Social Innovation is launched",
            "intro": "30 municipalities and the Danish Technological Institute have founded a "
            "network to make social innovation part of everyday municipal welfare.",
            "body": [
                "With 30 member municipalities from all over Denmark, the network is one of the "
                "largest municipal collaborations on social innovation. It shares experience, "
                "learns from research and international examples, and works on seven questions "
                "that municipalities meet when new partners join welfare work.",
            ],
        },
    },
    {
        "slug": "social-innovation-i-en-dansk-kontekst",
        "title": "Social innovation i en dansk kontekst",
        "date": datetime.date(2026, 2, 3),
        "author": "Teknologisk Institut",
        "categories": ["viden"],
        "tags": ["civilsamfund", "ældre", "økonomi"],
        "intro": "Den offentlige sektor er under økonomisk pres, og antallet af borgere over 65 "
        "vokser. Samtidig har Danmark en stærk tredje sektor. Hvad betyder det for kommunerne?",
        "body": [
            "Kommunerne skal levere mere velfærd for færre midler. Antallet af borgere over 65 år "
            "vokser markant i de kommende årtier, og forventningerne til kvalitet og "
            "selvbestemmelse stiger.",
            "Samtidig har Danmark en stor tredje sektor: foreninger, frivillige organisationer og "
            "selvejende institutioner svarer til omkring 100.000 fuldtidsansatte og 9,6 procent "
            "af bruttonationalproduktet. Det er en ressource, der kan spille sammen med de "
            "kommunale fagprofessionelle – hvis samarbejdet bliver organiseret klogt.",
            "Social innovation handler derfor ikke om at erstatte de professionelle, men om at "
            "finde nye måder at kombinere kræfterne på.",
        ],
        "en": {
            "slug": "social-innovation-in-a-danish-context",
            "title": "Social innovation in a Danish context",
            "intro": "The public sector is under budget pressure and the 65+ population is "
            "growing. Denmark also has a strong third sector. What does this mean for "
            "municipalities?",
            "body": [
                "Municipalities must deliver more welfare with fewer resources while the number "
                "of citizens over 65 grows markedly.",
                "Denmark's third sector – associations, voluntary organisations and independent "
                "institutions – corresponds to about 100,000 full-time staff and 9.6% of GDP: a "
                "resource that can work alongside municipal professionals if cooperation is "
                "organised wisely.",
            ],
        },
    },
    {
        "slug": "frivillige-og-fagprofessionelle-i-aeldreplejen",
        "title": "Frivillige og fagprofessionelle side om side i ældreplejen",
        "date": datetime.date(2026, 3, 20),
        "author": "Sekretariatet",
        "categories": ["cases"],
        "tags": ["ældre", "frivillige"],
        "intro": "Tre medlemskommuner deler erfaringer med faste aftaler mellem plejecentre og "
        "lokale foreninger.",
        "body": [
            "Når frivillige kommer fast på plejecentret, skal roller og ansvar være tydelige. "
            "Kommunerne fortæller om skriftlige samarbejdsaftaler, en fast kontaktperson og "
            "løbende dialog med medarbejderne.",
        ],
        "en": {
            "slug": "volunteers-and-professionals-in-elderly-care",
            "title": "Volunteers and professionals side by side in elderly care",
            "intro": "Three member municipalities share their experience with standing "
            "agreements between care homes and local associations.",
            "body": [
                "When volunteers come to a care home regularly, roles and responsibilities must "
                "be clear. The municipalities describe written cooperation agreements, a named "
                "contact person and an ongoing dialogue with staff.",
            ],
        },
    },
    {
        "slug": "partnerskaber-med-virksomheder",
        "title": "Hvad får virksomheder ud af sociale partnerskaber?",
        "date": datetime.date(2026, 5, 7),
        "author": "Sekretariatet",
        "categories": ["viden"],
        "tags": ["virksomheder", "partnerskaber"],
        "intro": "Ny gennemgang af incitamenter for virksomheder, der går ind i sociale "
        "partnerskaber med kommuner.",
        "body": [
            "Virksomheder deltager sjældent kun af velgørenhed. Rekruttering, medarbejdernes "
            "motivation og lokal forankring er blandt de incitamenter, der går igen.",
        ],
        "en": {
            "slug": "partnerships-with-companies",
            "title": "What do companies gain from social partnerships?",
            "intro": "A new review of the incentives for companies that enter social "
            "partnerships with municipalities.",
            "body": [
                "Companies rarely take part out of charity alone. Recruitment, staff motivation "
                "and local roots are among the incentives that recur.",
            ],
        },
    },
    {
        "slug": "opsamling-fra-foraarskonferencen",
        "title": "Opsamling fra forårskonferencen",
        "date": datetime.date(2026, 6, 12),
        "author": "Sekretariatet",
        "categories": ["netvaerket"],
        "tags": ["konference", "skalering"],
        "intro": "Over 150 deltagere drøftede, hvordan gode lokale løsninger bliver bæredygtige "
        "og kan spredes til andre kommuner.",
        "body": [
            "Konferencens oplægsholdere fra Holland, Sverige og Danmark var enige om, at "
            "skalering kræver både dokumentation, ledelsesopbakning og tid.",
        ],
        "en": {
            "slug": "notes-from-the-spring-conference",
            "title": "Notes from the spring conference",
            "intro": "More than 150 participants discussed how good local solutions become "
            "sustainable and spread to other municipalities.",
            "body": [
                "Speakers from the Netherlands, Sweden and Denmark agreed that scaling takes "
                "documentation, management support and time.",
            ],
        },
    },
]

CATEGORIES = [
    ("netvaerket", "Netværket", "The network"),
    ("viden", "Viden", "Knowledge"),
    ("cases", "Cases", "Cases"),
]


def load_news(home: HomePage, en: Locale) -> NewsIndexPage:
    categories = {}
    for slug, name_da, name_en in CATEGORIES:
        category, _ = NewsCategory.objects.get_or_create(
            slug=slug, locale=home.locale, defaults={"name": name_da}
        )
        categories[slug] = category
        if not NewsCategory.objects.filter(
            translation_key=category.translation_key, locale=en
        ).exists():
            NewsCategory.objects.create(
                slug=slug, name=name_en, locale=en, translation_key=category.translation_key
            )
    index = child_by_slug(
        home,
        NewsIndexPage,
        "nyheder",
        title="Nyheder",
        show_in_menus=True,
        intro="<p>Nyt fra netværket og fra feltet for social innovation.</p>",
        listing_summary="Nyheder fra Netværket for Social Innovation.",
    )
    translate(
        index,
        en,
        title="News",
        slug="news",
        intro="<p>News from the network and the field of social innovation.</p>",
        listing_summary="News from the Municipal Network on Social Innovation.",
    )
    palette = [
        ((11, 94, 85), (232, 183, 58)),
        ((29, 39, 51), (120, 190, 170)),
        ((120, 60, 40), (240, 210, 150)),
        ((40, 70, 120), (232, 183, 58)),
        ((70, 100, 50), (250, 240, 200)),
    ]
    for number, item in enumerate(NEWS):
        post = NewsPage.objects.child_of(index).filter(slug=item["slug"]).first()
        if post is None:
            colour, accent = palette[number % len(palette)]
            post = NewsPage(
                slug=item["slug"],
                title=item["title"],
                date=item["date"],
                author=item["author"],
                intro=item["intro"],
                body=rich(*item["body"]),
                locale=index.locale,
                listing_image=demo_image(item["title"][:60], colour, accent),
            )
            post.categories = [categories[slug] for slug in item["categories"]]
            index.add_child(instance=post)
            post.tags.add(*item["tags"])
            post.save_revision().publish()
        en_fields = item["en"]
        translation = translate(
            post,
            en,
            title=en_fields["title"],
            slug=en_fields["slug"],
            intro=en_fields["intro"],
            body=rich(*en_fields["body"]),
        )
        en_categories = [category.get_translation(en) for category in post.categories.all()]
        if set(translation.categories.all()) != set(en_categories):
            translation.categories = en_categories
            translation.save_revision().publish()
    return index


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


@transaction.atomic
def load_demo_content() -> dict:
    home = ensure_home_page()
    _da, en = ensure_locales()
    site = Site.objects.get(is_default_site=True)
    load_site_settings(site)
    english_home = load_home(home, en)
    load_about(home, en)
    news_index = load_news(home, en)
    report = {}
    for module_name in DEMO_MODULES:
        report[module_name] = import_module(module_name).load(home)
    featured = import_module("cases.demo").featured_cases(home)
    feature_pages(home, featured)
    feature_pages(english_home, [case.get_translation(en) for case in featured])
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
