"""Demo newsletter archive with two past issues and a few subscribers."""

from __future__ import annotations

import datetime

from home.demo import child_by_slug
from home.models import NewsPage

from . import services
from .models import NewsletterIndexPage, NewsletterList, NewsletterPage, Subscriber


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
    for email in ("abonnent1@example.dk", "abonnent2@example.dk", "abonnent3@example.dk"):
        subscriber, created = Subscriber.objects.get_or_create(
            email=email, defaults={"status": "active"}
        )
        if created:
            subscriber.lists.set(services.default_lists())
    return {"issues": NewsletterPage.objects.child_of(archive).count()}
