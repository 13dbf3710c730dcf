"""The secretariat's dashboard in the admin: events and how full they are, forum reports,
comments to moderate, newsletter sends in progress, subscriber growth as an SVG chart."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from alerts.models import AlertSubscription
from comments.models import Comment
from core.admin_panels import month_starts
from core.outbox.models import OutboundEmail
from events.models import Registration
from forum.models import Category, Post, PostReport, Thread
from newsletters.models import NewsletterSend, Subscriber
from tests.factories import (
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    UserFactory,
)
from tests.newsletters.conftest import NewsletterIndexPageFactory, NewsletterPageFactory

pytestmark = pytest.mark.django_db


def _register(event, n, status):
    for i in range(n):
        Registration.objects.create(
            event=event,
            name=f"{status} {i}",
            email=f"{status}{i}-{event.pk}@example.dk",
            status=status,
        )


def _months_ago(months: int) -> datetime.datetime:
    start = month_starts(months + 1)[0]
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time(12)))


@pytest.fixture
def secretariat(home_page):
    """Two upcoming events (the first translated to English), one past; a post reported twice
    one dealt with; two comments awaiting moderation; a send under way; subscribers."""
    index = EventIndexPageFactory(parent=home_page)
    now = timezone.now()
    first = EventPageFactory(
        parent=index, title="Netværksmøde i Vejle", capacity=4,
        start=now + datetime.timedelta(days=5), end=now + datetime.timedelta(days=5, hours=3),
    )  # fmt: skip
    english = first.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Network meeting in Vejle"
    english.save_revision().publish()
    second = EventPageFactory(
        parent=index, title="Temaeftermiddag om data", capacity=10,
        start=now + datetime.timedelta(days=20), end=now + datetime.timedelta(days=20, hours=3),
    )  # fmt: skip
    EventPageFactory(
        parent=index, title="Sidste års konference",
        start=now - datetime.timedelta(days=40), end=now - datetime.timedelta(days=39),
    )  # fmt: skip
    _register(first, 3, Registration.Status.CONFIRMED)
    _register(first, 2, Registration.Status.WAITLISTED)
    _register(first, 1, Registration.Status.CANCELLED)
    _register(second, 1, Registration.Status.CONFIRMED)

    category = Category.objects.create(name="Generelt", slug="generelt-test")
    thread = Thread.objects.create(category=category, title="Tråd")
    post = Post.objects.create(thread=thread, body_markdown="Indlæg", body_html="<p>Indlæg</p>")
    other = Post.objects.create(thread=thread, body_markdown="Andet", body_html="<p>Andet</p>")
    PostReport.objects.create(post=post, reason="Upassende")
    PostReport.objects.create(post=post, reason="Også upassende")  # same post: one in the queue
    PostReport.objects.create(post=other, reason="Gammel", resolved=True)

    news = NewsPageFactory(parent=NewsIndexPageFactory(parent=home_page))
    for n, status in enumerate(["pending", "pending", "approved", "unconfirmed"]):
        Comment.objects.create(
            page_key=news.translation_key, page=news, name="Lone", body=f"Tekst {n}",
            body_html=f"<p>Tekst {n}</p>", status=status, fingerprint=str(n),
        )  # fmt: skip

    issue = NewsletterPageFactory(parent=NewsletterIndexPageFactory(parent=home_page))
    send = NewsletterSend.objects.create(
        page=issue, subject="Nyhedsbrev december", html="", text="", status="sending"
    )
    NewsletterSend.objects.create(
        page=issue, subject="Sendt i maj", html="", text="", status="done"
    )
    for n, status in enumerate(["sent"] * 6 + ["pending"] * 3 + ["failed"]):
        OutboundEmail.objects.create(
            kind="newsletter", recipient=f"r{n}@example.dk", group=f"newsletter:{send.pk}",
            status=status, subject="Nyhedsbrev december",
        )  # fmt: skip

    # Newsletter: 2 confirmed a year ago (one left 3 months ago), 3 this month, 1 bounced,
    # 1 never confirmed. Post alerts: 1 six months ago.
    for n, (confirmed, unsubscribed, status) in enumerate(
        [
            (_months_ago(11), None, "active"),
            (_months_ago(11), _months_ago(3), "unsubscribed"),
            (_months_ago(0), None, "active"),
            (_months_ago(0), None, "active"),
            (_months_ago(0), None, "active"),
            (_months_ago(5), None, "bounced"),
            (None, None, "pending"),
        ]
    ):
        Subscriber.objects.create(
            email=f"s{n}@example.dk", status=status, confirmed_at=confirmed,
            unsubscribed_at=unsubscribed,
        )  # fmt: skip
    AlertSubscription.objects.create(
        email="alert@example.dk", status="active", confirmed_at=_months_ago(6)
    )
    return {"first": first, "english": english, "second": second, "send": send}


def _dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _panel(html: str, panel_id: str) -> str:
    start = html.index(f'id="{panel_id}')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def editor():
    return UserFactory(username="sekretariat", is_staff=True, is_superuser=True)


def test_the_secretariat_sees_its_work_with_the_right_numbers(client, secretariat, editor):
    html = _dashboard(client, editor)

    events = _text(_panel(html, "kommende-arrangementer"))
    assert "Netværksmøde i Vejle" in events and "Temaeftermiddag om data" in events
    assert "Network meeting in Vejle" not in events  # each event once, in Danish
    assert "Sidste års konference" not in events
    row = events[events.index("Netværksmøde i Vejle") : events.index("Temaeftermiddag")]
    assert "3 af 4" in row and " 2 " in row  # 3 confirmed of 4 seats, 2 on the waiting list
    assert "1 af 10" in events
    first_link = f"/admin/arrangementer/{secretariat['first'].pk}/tilmeldinger/"
    assert first_link in _panel(html, "kommende-arrangementer")
    assert '<meter min="0" max="4" value="3"' in html

    reports = _panel(html, "forum-anmeldelser")
    assert "1 anmeldt indlæg venter på behandling" in _text(reports)
    assert 'href="/admin/forum/anmeldelser/"' in reports

    comments = _panel(html, "kommentarer-til-godkendelse")
    assert "2 kommentarer venter på godkendelse" in _text(comments)
    assert 'href="/admin/kommentarer/"' in comments

    sends = _panel(html, "udsendelser-i-gang")
    assert "Nyhedsbrev december" in sends and "Sendt i maj" not in sends
    assert '<progress max="10" value="7"' in sends
    assert f"/admin/nyhedsbrev/udsendelse/{secretariat['send'].pk}/" in sends


def test_subscriber_growth_is_an_accessible_svg_of_twelve_months(client, secretariat, editor):
    growth = _panel(_dashboard(client, editor), "abonnenter-vaekst")
    start = growth.index('<svg viewBox="')
    svg = growth[start : growth.index("</svg>", start)]
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert len(re.findall(r"<rect ", svg)) == 12
    assert len(re.findall(r"<circle ", svg)) == 12
    assert "<script" not in growth and "style=" not in growth

    table = growth[growth.index("<table") :]
    newsletter = [int(n) for n in re.findall(r"</th><td>(\d+)</td>", table)]
    alerts = [int(n) for n in re.findall(r"</td><td>(\d+)</td></tr>", table)]
    # 2 from a year ago; one leaves three months ago; 3 join this month; bounced never count.
    assert newsletter == [2] * 8 + [1] * 3 + [4]
    assert alerts == [0] * 5 + [1] * 7
    assert "fra 2 i" in svg and "til 4 i" in svg  # the description carries the numbers


def test_panels_are_only_shown_to_those_allowed(client, secretariat):
    group = Group.objects.create(name="Kommentarredaktører")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="moderate_comment"),
    )
    moderator = UserFactory(username="moderator", is_staff=True)
    moderator.groups.add(group)
    html = _dashboard(client, moderator)
    assert 'id="kommentarer-til-godkendelse' in html
    for other in (
        "kommende-arrangementer",
        "forum-anmeldelser",
        "udsendelser-i-gang",
        "abonnenter-vaekst",
    ):
        assert f'id="{other}' not in html
    assert "Netværksmøde i Vejle" not in html and "Nyhedsbrev december" not in html


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    return len(queries)


def test_the_dashboard_reads_a_bounded_number_of_queries(client, secretariat, editor):
    _queries(client, editor)  # the first request warms per-process lookups
    before = _queries(client, editor)
    index = secretariat["first"].get_parent()
    now = timezone.now()
    for n in range(5):
        event = EventPageFactory(
            parent=index, start=now + datetime.timedelta(days=n + 1),
            end=now + datetime.timedelta(days=n + 1, hours=2),
        )  # fmt: skip
        _register(event, 2, Registration.Status.CONFIRMED)
    send = secretariat["send"]
    for n in range(3):
        other = NewsletterSend.objects.create(
            page=send.page, subject=f"Ekstra {n}", html="", text="", status="sending"
        )
        OutboundEmail.objects.create(
            kind="newsletter", recipient=f"x{n}@example.dk", group=f"newsletter:{other.pk}"
        )
    assert _queries(client, editor) == before
