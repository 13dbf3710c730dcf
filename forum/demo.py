"""Demo forum categories and threads."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.demo import demo_loader

from .models import Category, Post, Thread

CATEGORIES = [
    ("partnerskaber", "Partnerskaber", "Aftaler, roller og erfaringer med nye partnere."),
    ("frivillige", "Frivillige og fagprofessionelle", "Samspillet i hverdagen."),
    ("netvaerksmoeder", "Netværksmøder", "Forberedelse og opfølgning på konference og workshop."),
]
THREADS = [
    (
        "partnerskaber",
        "Skabelon til samarbejdsaftale med foreninger?",
        "Har nogen en skabelon, de er glade for? Vi mangler især et afsnit om **ansvar og tavshedspligt**.",
    ),
    (
        "frivillige",
        "Hvordan introducerer I frivillige på plejecentre?",
        "Vi overvejer et fast introforløb med personalet. Erfaringer er meget velkomne.",
    ),
]


@demo_loader(order=40)
def load(home_page) -> dict:
    categories = {}
    for order, (slug, name, description) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order}
        )
    author = get_user_model().objects.filter(username="medlem@example.dk").first()
    for slug, title, body in THREADS:
        if not Thread.objects.filter(title=title).exists():
            thread = Thread.objects.create(
                category=categories[slug], title=title, author=author, post_count=1
            )
            Post.objects.create(thread=thread, author=author, body_markdown=body)
    return {"threads": Thread.objects.count()}
