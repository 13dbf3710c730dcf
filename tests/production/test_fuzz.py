"""No query string or form value produces a 500 (issue 11 item 5, house rule "bad input").

Every public and members' URL is visited anonymously, as a member and as a forum moderator:
each live page of the demo site (one per page type and language), and every URL pattern of
the site's own apps and Wagtail's public views, filled with real ids. Each gets hostile values
in its query string (every parameter a form on it names, plus common ones) and in every field
of every POST form it shows: a NUL byte, quotes, numbers too large for any integer column,
invalid UTF-8 (percent-encoded) and very long values. Ids in the path get huge numbers too.

Any 500 fails the test with the list of requests that produced one. The PostgreSQL variant
repeats the search-like URLs, where NUL bytes and quotes reach the database's text search.
"""

from __future__ import annotations

import re
import time
import uuid
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import RoutePattern, URLResolver

PAYLOADS = {
    "nul": "a%00b",
    "quotes": quote('"\'` OR 1=1 -- "unterminated AND ( NEAR *'),
    "huge": "9" * 40,
    "utf8": "%C3%28%FF%FEab%E2%82",
    "long": "x" * 5000,
}
# Query parameters our views read, besides those named by the forms on each page.
COMMON_PARAMS = [
    "side",
    "page",
    "tema",
    "type",
    "vis",
    "aktoer",
    "kategori",
    "sort",
    "next",
    "lang",
    "format",
]
SKIP_PREFIXES = ("admin/", "django-admin/", "i18n/")
# POSTing these would end the session the rest of the walk needs.
SKIP_POST = ("/medlemmer/log-ud/", "/admin/logout/")
# Search pages, and the search box (``q``) of listings: fuzzed by the search tests below.
SEARCH_URL = re.compile(r"/soeg/|/search/")
SEARCH_LISTINGS = re.compile(r"^/(en/)?(cases|bibliotek|library|medlemmer/forum)/$")

_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_ACTION = re.compile(r"\baction=\"([^\"]*)\"", re.IGNORECASE)


def _routes(patterns, prefix=""):
    """Every plain route of the URLconf, as (template, converters) pairs."""
    for entry in patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            route = "" if type(pattern).__name__ == "LocalePrefixPattern" else None
        else:
            route = pattern._route
        if route is None:  # regular expressions: Wagtail's page catch-all, documents
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route)
        else:
            yield prefix + route, dict(pattern.converters)


def _sample_ids(data) -> dict[str, str]:
    return {
        "event_id": str(data["event"].pk),
        "pk": str(data["thread"].pk),
        "slug": data["category"].slug,
        "restriction_id": "1",
        "page_view_restriction_id": "1",
        "page_id": str(data["event"].pk),
        "key": str(uuid.uuid4()),
    }


def _fill(route: str, values: dict[str, str], data) -> str:
    if "/indlaeg/" in route:
        values = {**values, "pk": str(data["post"].pk)}
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "x"), route)


def _site_urls(data) -> list[str]:
    """One live page per (type, language), plus every app route filled with real ids."""
    from wagtail.models import Page

    seen, urls = set(), []
    for page in Page.objects.live().specific().order_by("path"):
        kind = type(page).__name__ if page.locale.language_code == "da" else page.url[:4]
        url = page.url
        if url and kind not in seen:
            seen.add(kind)
            urls.append(url)
    ids = _sample_ids(data)
    for route, _converters in _routes(get_resolver().url_patterns):
        if not route.startswith(SKIP_PREFIXES):
            urls.append(_fill(route, ids, data))
    urls.append(f"/documents/{data['document'].pk}/{data['document'].filename}")
    return list(dict.fromkeys(urls))


def _path_attacks(data) -> list[str]:
    """Routes whose path parameters carry hostile values: huge ids, NUL, bad UTF-8."""
    urls = []
    for route, converters in _routes(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or not converters:
            continue
        for name, converter in converters.items():
            kind = type(converter).__name__
            values = _sample_ids(data)
            candidates = [PAYLOADS["huge"]] if kind == "IntConverter" else []
            if kind in ("StringConverter", "PathConverter"):
                candidates = [PAYLOADS["nul"], PAYLOADS["utf8"], PAYLOADS["long"][:300]]
            for candidate in candidates:
                urls.append(_fill(route, {**values, name: candidate}, data))
    urls += [
        f"/documents/{PAYLOADS['huge']}/x.pdf",
        f"/documents/{data['document'].pk}/{PAYLOADS['nul']}",
    ]
    return urls


def _forms(html: str, url: str) -> list[tuple[str, list[str]]]:
    forms = []
    for attributes, body in _FORM.findall(html):
        if "post" not in attributes.lower():
            continue
        action = _ACTION.search(attributes)
        target = action.group(1).replace("&amp;", "&") if action and action.group(1) else url
        if not target.startswith("/"):
            continue
        forms.append((target, sorted(set(_FIELD.findall(body)) - {"csrfmiddlewaretoken"})))
    return forms


class Walk:
    def __init__(self, client: Client, who: str = "anonymous", skip_params=("q",)):
        self.client = client
        self.who = who
        self.skip_params = skip_params
        self.failures: list[str] = []
        self.requests = 0
        self.status: dict[str, int] = {}

    def _check(self, method: str, url: str, response, detail: str = "") -> None:
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(
                f"{self.who}: {method} {url[:160]} {detail[:120]} -> {response.status_code}"
            )

    def _isolated(self, send):
        """Each request in a savepoint rolled back afterwards: a database error cannot poison
        the requests after it, and nothing a request changes (an erased account, a moved
        thread) changes what the next one sees."""
        with transaction.atomic():
            response = send()
            transaction.set_rollback(True)
        return response

    def get(self, url: str):
        response = self._isolated(lambda: self.client.get(url))
        self._check("GET", url, response)
        return response

    def post(self, url: str, body: str):
        response = self._isolated(
            lambda: self.client.post(
                url, data=body.encode("latin-1"), content_type="application/x-www-form-urlencoded"
            )
        )
        self._check("POST", url, response, body)
        return response

    def attack(self, url: str, *, posts: bool = True, payloads=PAYLOADS) -> None:
        base = self.get(url)
        self.status[url] = base.status_code
        html = base.content.decode(errors="replace") if not base.streaming else ""
        names = sorted((set(_FIELD.findall(html)) | set(COMMON_PARAMS)) - set(self.skip_params))
        path = urlsplit(url).path
        for payload in payloads.values():
            self.get(f"{path}?" + "&".join(f"{name}={payload}" for name in names))
        # Each parameter a form names, alone with a huge number, so an early 400 or 404 on
        # one cannot hide another's 500 (NUL is refused for all of them by one middleware).
        for name in sorted(set(_FIELD.findall(html)) - set(self.skip_params)):
            self.get(f"{path}?{name}={PAYLOADS['huge']}")
        if not posts:
            return
        for target, fields in _forms(html, path):
            if target in SKIP_POST or not fields:
                continue
            for payload in payloads.values():
                self.post(target, "&".join(f"{field}={payload}" for field in fields))
            for field in fields:
                self.post(target, f"{field}=abc")  # a word where an id is expected


@pytest.fixture
def site_data(home_page, settings):
    """The demo site plus one of each object the app routes need; rate limits off."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from events.models import EventPage
    from forum.models import Category, Post, Thread
    from home.demo import load_demo_content
    from tests.factories import make_member

    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False
    load_demo_content()
    category = Category.objects.order_by("pk").first() or Category.objects.create(
        name="Partnerskaber", slug="partnerskaber"
    )
    thread = Thread.objects.filter(category=category).first() or Thread.objects.create(
        category=category, title="Tråd"
    )
    post = Post.objects.filter(thread=thread).first() or Post.objects.create(
        thread=thread, body_markdown="Indlæg"
    )
    document = Document(title="Notat")
    document.file.save("notat.pdf", ContentFile(b"%PDF-1.4 notat"), save=False)
    document.save()
    member = make_member(username="fuzz-medlem@example.dk")
    moderator = make_member(username="fuzz-moderator@example.dk")
    moderator.user_permissions.add(
        Permission.objects.get(codename="moderate_thread", content_type__app_label="forum")
    )
    return {
        "event": EventPage.objects.live().filter(locale__language_code="da").first(),
        "category": category,
        "thread": thread,
        "post": post,
        "document": document,
        "member": member,
        "moderator": moderator,
    }


def _visitors(site_data):
    anonymous = Client(raise_request_exception=False)
    member = Client(raise_request_exception=False)
    member.force_login(site_data["member"])
    moderator = Client(raise_request_exception=False)
    moderator.force_login(site_data["moderator"])
    return {"anonymous": anonymous, "member": member, "moderator": moderator}


@pytest.mark.slow
@pytest.mark.django_db
def test_no_500_from_hostile_input_on_any_public_or_members_url(site_data):
    started = time.monotonic()
    visitors = _visitors(site_data)
    anonymous = Walk(visitors["anonymous"])
    urls = [url for url in _site_urls(site_data) if not SEARCH_URL.search(url)]
    for url in urls:
        anonymous.attack(url)
    for url in _path_attacks(site_data):
        anonymous.get(url)
    # Members and moderators: what is closed to the anonymous visitor, and event registration
    # (one click for members). Public pages answer them as they answer anyone.
    gated = [
        url
        for url in urls
        if anonymous.status.get(url) in (301, 302, 403, 404) or "/tilmeld/" in url
    ]
    walks = [anonymous]
    for who in ("member", "moderator"):
        walk = Walk(visitors[who], who)
        for url in gated:
            if who == "member" or "/forum/" in url:
                walk.attack(url)
        walks.append(walk)
    failures = [failure for walk in walks for failure in walk.failures]
    requests = sum(walk.requests for walk in walks)
    elapsed = time.monotonic() - started
    print(f"fuzz: {requests} requests in {elapsed:.1f} s, {len(gated)} gated URLs")
    assert not failures, f"{len(failures)} of {requests} requests answered 500:\n" + "\n".join(
        failures
    )
    assert requests > 300, requests  # the walk really covered the site


def _search_walk(site_data) -> list[str]:
    failures = []
    search_urls = [
        url for url in _site_urls(site_data) if SEARCH_URL.search(url) or SEARCH_LISTINGS.match(url)
    ]
    assert search_urls
    for who in ("anonymous", "member"):
        walk = Walk(_visitors(site_data)[who], who, skip_params=())
        for url in search_urls:
            walk.attack(url, posts=False)
        failures += walk.failures
    return failures


@pytest.mark.slow
@pytest.mark.django_db
def test_no_500_from_hostile_search_input(site_data):
    failures = _search_walk(site_data)
    assert not failures, "\n".join(failures)


@pytest.mark.postgres
@pytest.mark.django_db
def test_no_500_from_hostile_search_input_on_postgres(site_data):
    """NUL bytes and FTS syntax reach PostgreSQL's text search on these URLs."""
    failures = _search_walk(site_data)
    assert not failures, "\n".join(failures)
