"""Demo news: categories and posts in Danish with English translations."""

from __future__ import annotations

import datetime

from wagtail.models import Locale

from ..models import HomePage, NewsCategory, NewsIndexPage, NewsPage
from .building import child_by_slug, demo_image, rich, translate

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
