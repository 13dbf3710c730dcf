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
from django.test import TestCase
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from cases.models import CasePage
from comments import services as comment_services
from comments.models import Comment
from home.demo import load_demo_content
from home.models import NewsIndexPage
from members_area.models import MembersAreaPage, MembersPage
from resources.demo import tiny_pdf
from resources.models import LibraryPage
from tests.factories import (
    CasePageFactory,
    NewsPageFactory,
    ResourcePageFactory,
    StandardPageFactory,
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
    area = MembersAreaPage.objects.get(locale__language_code="da")
    minutes_attachment = _marked_document("Bilag til referat", "referat-bilag.pdf")
    area.add_child(
        instance=MembersPage(
            title="Internt referat",
            slug="internt-referat",
            intro=f"Referat {MARKER} fra styregruppen.",
            body=[("paragraph", RichText(_document_link(minutes_attachment)))],
        )
    )
    news = NewsPageFactory(
        parent=NewsIndexPage.objects.get(locale=home_page.locale), title=f"Lukket nyhed {MARKER}"
    )
    restrict_to_members(news)
    case_attachment = _marked_document("Evaluering af lukket case", "evaluering.pdf")
    case = CasePageFactory(
        parent=CasePage.objects.first().get_parent(),
        title="Lukket case",
        members_only=True,
        allow_comments=True,
        challenge=f"<p>{MARKER} i udfordringen</p>",
        links=[("document", case_attachment)],
    )
    document = get_document_model().objects.create(
        title=f"Bilag {MARKER}", file=ContentFile(tiny_pdf(MARKER), name="bilag.pdf")
    )
    ResourcePageFactory(
        parent=LibraryPage.objects.get(locale__language_code="da"),
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
    # Comments on the members-only post: one by the same lapsed member, who asked to be told
    # about replies, and a member's reply that a moderator approves (a reply e-mail would leak).
    comment = _approved_comment(news, outsider, f"Kommentar {MARKER}", notify_replies=True)
    reply = _approved_comment(news, author, f"Svar på kommentar {MARKER}", parent=comment)
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_services.moderate(reply, "approve", None)
    # The same on the members-only case (its teaser is public, its comments are not).
    case_comment = _approved_comment(case, outsider, f"Casekommentar {MARKER}", notify_replies=True)
    case_reply = _approved_comment(
        case, author, f"Svar på casekommentar {MARKER}", parent=case_comment
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_services.moderate(case_reply, "approve", None)
    return {
        "case": case,
        "document": document,
        "thread": thread,
        "news": news,
        "attachments": [case_attachment, minutes_attachment],
    }


def _approved_comment(page, user, body, **fields):
    return Comment.objects.create(
        page_key=page.translation_key,
        page=page,
        user=user,
        name=user.get_full_name() or user.username,
        email=user.email,
        body=body,
        body_html=f"<p>{body}</p>",
        status=Comment.Status.APPROVED,
        fingerprint=comment_services.fingerprint(body),
        **fields,
    )


def _marked_document(title: str, filename: str):
    """A public upload (the default collection) carrying the marker in its file."""
    return get_document_model().objects.create(
        title=title, file=ContentFile(tiny_pdf(MARKER), name=filename)
    )


def _document_link(document) -> str:
    return f'<p>Se <a linktype="document" id="{document.pk}">bilaget</a>.</p>'


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
        "/kommentarer/feed/",
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
    assert {document.url for document in secrets["attachments"]} <= set(found)
    assert f"/medlemmer/forum/traad/{secrets['thread'].pk}/" in found
    post_page = pages[secrets["news"].url]
    assert f"Kommentar {MARKER}" in post_page and f"Svar på kommentar {MARKER}" in post_page
    case_page = pages[secrets["case"].url]
    assert f"Casekommentar {MARKER}" in case_page
    assert f"Svar på casekommentar {MARKER}" in case_page
    assert "/kommentarer/feed/" not in found  # feeds are public documents, even for members


def test_comments_of_members_only_posts_reach_no_one_else(client, secrets, settings):
    settings.PAGE_CACHE_SECONDS = 300
    client.force_login(make_member(username="besoegende@example.dk"))
    assert MARKER in _body(client.get(secrets["case"].url))
    client.logout()
    probes = ["/kommentarer/feed/"]
    for page in (secrets["news"], secrets["case"]):
        probes += [f"/kommentarer/{page.pk}/", f"/kommentarer/feed/{page.pk}/"]
    for user in (None, UserFactory(username="offentlig@example.dk")):
        if user:
            client.force_login(user)
        for url in probes:
            assert MARKER not in _body(client.get(url)), url
        # The case's public teaser, after a member's visit (nothing of it may be cached).
        assert MARKER not in _body(client.get(secrets["case"].url))


def _download(client, document):
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


@pytest.fixture
def attachments(home_page):
    """Files an editor attached to a members-only case and linked from a members' page."""
    load_demo_content()
    case_file = _marked_document("Budget for lukket case", "budget.pdf")
    CasePageFactory(
        parent=CasePage.objects.first().get_parent(),
        title="Case med bilag",
        members_only=True,
        links=[("document", case_file)],
    )
    linked_file = _marked_document("Deltagerliste", "deltagere.pdf")
    MembersAreaPage.objects.get(locale__language_code="da").add_child(
        instance=MembersPage(
            title="Workshop-noter",
            slug="workshop-noter",
            body=[("paragraph", RichText(_document_link(linked_file)))],
        )
    )
    return [case_file, linked_file]


def test_files_of_members_only_pages_are_refused_to_the_public(client, attachments):
    for document in attachments:
        status, body = _download(client, document)
        assert status == 302, document.title
        assert MARKER.encode() not in body
    client.force_login(UserFactory(username="borger@example.dk"))
    for document in attachments:
        status, body = _download(client, document)
        assert status in (302, 403), document.title
        assert MARKER.encode() not in body


def test_members_download_the_files_of_members_only_pages(client, attachments):
    client.force_login(make_member())
    for document in attachments:
        status, body = _download(client, document)
        assert status == 200, document.title
        assert MARKER.encode() in body


def test_a_file_shared_with_a_public_page_still_stays_with_members(client, attachments):
    """Members-only wins: the public page's link asks for a member login instead of leaking."""
    shared = attachments[0]
    public_page = CasePageFactory(
        parent=CasePage.objects.first().get_parent(),
        title="Offentlig case",
        links=[("document", shared)],
    )
    public_page.save_revision().publish()
    status, body = _download(client, shared)
    assert status == 302 and MARKER.encode() not in body


def test_files_become_members_only_when_a_page_is_published_as_members_only(client, home_page):
    load_demo_content()
    document = _marked_document("Udkast til strategi", "strategi.pdf")
    case = CasePageFactory(
        parent=CasePage.objects.first().get_parent(),
        title="Case der lukkes",
        links=[("document", document)],
    )
    assert _download(client, document)[0] == 200  # public while the case is public
    case.members_only = True
    case.save_revision().publish()
    status, body = _download(client, document)
    assert status == 302 and MARKER.encode() not in body


def test_files_become_members_only_when_a_page_gets_a_members_restriction(client, home_page):
    load_demo_content()
    document = _marked_document("Mødeplan", "moedeplan.pdf")
    news = NewsPageFactory(parent=NewsIndexPage.objects.get(locale=home_page.locale))
    news.body = [("paragraph", RichText(_document_link(document)))]
    news.save_revision().publish()
    assert _download(client, document)[0] == 200
    restrict_to_members(news)
    status, body = _download(client, document)
    assert status == 302 and MARKER.encode() not in body


def test_files_follow_a_page_moved_into_the_members_section(client, home_page):
    load_demo_content()
    document = _marked_document("Arbejdspapir", "arbejdspapir.pdf")
    page = StandardPageFactory(parent=home_page, title="Arbejdspapirer")
    page.body = [("paragraph", RichText(_document_link(document)))]
    page.save_revision().publish()
    assert _download(client, document)[0] == 200
    page.move(MembersAreaPage.objects.get(locale__language_code="da"), pos="last-child")
    status, body = _download(client, document)
    assert status == 302 and MARKER.encode() not in body
