"""Demo newsletter archive with two past issues and a few subscribers."""

from __future__ import annotations

import datetime

from wagtail.models import Locale

from core.demo import demo_loader
from home.demo import child_by_slug, translate
from home.models import NewsPage

from . import services
from .models import NewsletterIndexPage, NewsletterList, NewsletterPage, Subscriber

ENGLISH_ISSUES = {
    "nyhedsbrev-marts-2026": ("newsletter-march-2026", "Newsletter March 2026"),
    "nyhedsbrev-juni-2026": ("newsletter-june-2026", "Newsletter June 2026"),
}


def load_english(archive: NewsletterIndexPage) -> None:
    """The archive and its issues in English; news blocks link the English news."""
    en = Locale.objects.get(language_code="en")
    translate(
        archive,
        en,
        title="Newsletters",
        slug="newsletter-archive",
        intro="The network's newsletters – about once a month.",
    )
    news = list(NewsPage.objects.live().filter(locale=en).order_by("-date")[:3])
    for issue in NewsletterPage.objects.child_of(archive).filter(slug__in=ENGLISH_ISSUES):
        slug, title = ENGLISH_ISSUES[issue.slug]
        translate(
            issue,
            en,
            slug=slug,
            title=title,
            preheader="News from the network, upcoming events and new cases.",
            body=[
                ("text", "<p>Dear reader – here is the latest from the network.</p>"),
                ("news", {"heading": "News", "pages": news}),
            ],
        )


@demo_loader(order=60)
def load(home_page) -> dict:
    archive = child_by_slug(
        home_page,
        NewsletterIndexPage,
        "nyhedsbrev-arkiv",
        title="Nyhedsbreve",
        intro="Netværkets nyhedsbreve – cirka en gang om måneden.",
    )
    services.default_lists()
    NewsletterList.objects.get_or_create(
        slug="arrangementer",
        defaults={
            "name": "Arrangementer",
            "description": "Invitationer til temaeftermiddage og netværksdage.",
        },
    )
    news = list(NewsPage.objects.live().filter(locale=home_page.locale).order_by("-date")[:3])
    for slug, title, date in (
        ("nyhedsbrev-marts-2026", "Nyhedsbrev marts 2026", datetime.date(2026, 3, 31)),
        ("nyhedsbrev-juni-2026", "Nyhedsbrev juni 2026", datetime.date(2026, 6, 30)),
    ):
        child_by_slug(
            archive,
            NewsletterPage,
            slug,
            title=title,
            issue_date=date,
            preheader="Nyt fra netværket, kommende arrangementer og nye cases.",
            body=[
                ("text", "<p>Kære læser – her er det seneste fra netværket.</p>"),
                ("news", {"heading": "Nyheder", "pages": news}),
            ],
        )
    load_english(archive)
    for email in ("abonnent1@example.dk", "abonnent2@example.dk", "abonnent3@example.dk"):
        subscriber, created = Subscriber.objects.get_or_create(
            email=email, defaults={"status": "active"}
        )
        if created:
            subscriber.lists.set(services.default_lists())
    return {"issues": NewsletterPage.objects.child_of(archive).count()}
