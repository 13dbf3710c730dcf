"""Members-only material never reaches anyone outside the Members group, through any channel.

A unique marker is planted in every kind of members-only material (a page in the members'
section, a restricted news post, the full text of a members-only case and resource, a
members-only document). Anonymous visitors and logged-in non-members then walk every public
channel they can discover: a crawl from ``/`` following links, the sitemap, every feed the
pages advertise, site search, library search, autocomplete, document URLs and the e-mails
sent meanwhile. The marker must never appear. The same walk as a member must find it, so
the test can fail.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cases.models import CasePage
from home.demo import load_demo_content
from home.models import NewsIndexPage
from members_area.models import MembersAreaPage, MembersPage
from resources.demo import tiny_pdf
from resources.models import LibraryPage
from tests.factories import (
    CasePageFactory,
    NewsPageFactory,
    ResourcePageFactory,
    UserFactory,
    make_member,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db
MARKER = "Zebrafisk7731"
HREF = re.compile(r'href="([^"#]+)')
FEED = re.compile(r'<link rel="alternate" type="application/(?:rss|atom)\+xml"[^>]*href="([^"]+)"')
SKIP_PREFIXES = (
    "/admin/",
    "/medlemmer/log-ud/",
    "/medlemmer/slet-min-konto/",
    "/static/",
    "/i18n/",
)
MAX_PAGES = 250


@pytest.fixture
def secrets(home_page):
    load_demo_content()
    area = MembersAreaPage.objects.get()
    area.add_child(
        instance=MembersPage(
            title="Internt referat",
            slug="internt-referat",
            intro=f"Referat {MARKER} fra styregruppen.",
        )
    )
    news = NewsPageFactory(
        parent=NewsIndexPage.objects.get(locale=home_page.locale), title=f"Lukket nyhed {MARKER}"
    )
    restrict_to_members(news)
    CasePageFactory(
        parent=CasePage.objects.first().get_parent(),
        title="Lukket case",
        members_only=True,
        challenge=f"<p>{MARKER} i udfordringen</p>",
    )
    document = get_document_model().objects.create(
        title=f"Bilag {MARKER}", file=ContentFile(tiny_pdf(MARKER), name="bilag.pdf")
    )
    ResourcePageFactory(
        parent=LibraryPage.objects.get(),
        title="Lukket rapport",
        members_only=True,
        body=f"<p>{MARKER} i rapporten</p>",
        document=document,
    )
    # A forum thread, followed by a non-member (whose membership lapsed): notification
    # e-mails are a channel too.
    from forum import services as forum
    from forum.models import Category, Subscription

    category = Category.objects.first()
    author = make_member(username="forfatter@example.dk")
    thread = forum.start_thread(
        author, category=category, title=f"Tråd {MARKER}", body=f"Indlæg om {MARKER}"
    )
    outsider = UserFactory(username="tidligere@example.dk", email="tidligere@example.dk")
    Subscription.objects.create(user=outsider, thread=thread)
    forum.reply(author, thread=thread, body=f"Svar om {MARKER}")
    return {"document": document, "thread": thread}


def _same_site_links(html: str, base: str) -> list[str]:
    links = []
    for href in HREF.findall(html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parsed = urlparse(url)
        if parsed.netloc not in ("", "testserver", "localhost"):
            continue
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if not path.startswith(SKIP_PREFIXES):
            links.append(path)
    return links


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", errors="replace")


def walk(client) -> dict[str, str]:
    """Fetch every channel reachable for this client; return {url: body}."""
    seen: dict[str, str] = {}
    # Queries are lower case: search pages echo the query, and only real content can bring
    # the marker back in its original case.
    query = MARKER.lower()
    queue = [
        "/",
        "/en/",
        "/sitemap.xml",
        "/robots.txt",
        f"/soeg/?q={query}",
        f"/soeg/bibliotek/?q={query}",
        f"/soeg/autocomplete/?q={query[:6]}",
        f"/cases/?q={query}",
        f"/bibliotek/?q={query}",
    ]
    queue += [document.url for document in get_document_model().objects.all()]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = _body(response)
        seen[url] = body
        if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
            location = response["Location"]
            if not location.startswith("/medlemmer/log-ind/"):
                queue.append(location)
        content_type = response.get("Content-Type", "")
        if "html" in content_type:
            queue += FEED.findall(body)
            queue += _same_site_links(body, url)
        elif "xml" in content_type:
            queue += [urlparse(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", body)]
    return seen


def leaks(pages: dict[str, str]) -> list[str]:
    return [url for url, body in pages.items() if MARKER in body]


def test_anonymous_visitors_never_see_members_only_material(client, secrets):
    pages = walk(client)
    assert len(pages) > 40, "the crawl should reach the whole public site"
    assert leaks(pages) == []
    outsiders = [m for m in mail.outbox if "tidligere@example.dk" in m.to]
    assert outsiders == []
    assert not [m for m in mail.outbox if MARKER in m.body]


def test_logged_in_non_members_never_see_members_only_material(client, secrets):
    client.force_login(UserFactory(username="offentlig@example.dk"))
    pages = walk(client)
    assert len(pages) > 40
    assert leaks(pages) == []


def test_members_find_the_same_material(client, secrets):
    client.force_login(make_member())
    pages = walk(client)
    found = leaks(pages)
    assert any("internt-referat" in url for url in found), found
    assert any("/soeg/" in url for url in found), found
    assert secrets["document"].url in found
    assert f"/medlemmer/forum/traad/{secrets['thread'].pk}/" in found
