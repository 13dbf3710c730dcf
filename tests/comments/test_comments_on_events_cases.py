"""Comments on events and cases: off by default, switched on per page by its editor, switched
off for a whole page type in the settings; on a members-only case they stay with members."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from wagtail.models import Locale

from comments import services
from comments.models import Comment, CommentSettings
from tests.comments.conftest import write
from tests.factories import (
    CasePageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    UserFactory,
    make_member,
)

pytestmark = pytest.mark.django_db
MARKER = "Kolibri4471"


@pytest.fixture
def event(home_page):
    return EventPageFactory(parent=EventIndexPageFactory(parent=home_page), title="Temadag")


@pytest.fixture
def case(case_bank):
    return CasePageFactory(parent=case_bank, title="Fælles madordning")


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _approved(page, body, user=None, parent=None):
    comment = Comment.objects.create(
        page_key=page.translation_key,
        page=page,
        parent=parent,
        user=user,
        name=user.username if user else "Lone Læser",
        email=user.email if user else "lone@example.dk",
        body=body,
        body_html=f"<p>{body}</p>",
        status=Comment.Status.APPROVED,
        fingerprint=services.fingerprint(body),
    )
    return comment


def test_news_take_comments_by_default_events_and_cases_do_not(client, home_page, event, case):
    post = NewsPageFactory(parent=NewsIndexPageFactory(parent=home_page))
    assert post.allow_comments is True
    assert event.allow_comments is False and case.allow_comments is False
    for page in (event, case):
        assert client.get(f"/kommentarer/{page.pk}/").status_code == 403
        assert "Skriv en kommentar" not in client.get(page.url).content.decode()
    assert client.get(f"/kommentarer/{post.pk}/").status_code == 200


@pytest.mark.parametrize("which", ["event", "case"])
def test_an_editor_switches_comments_on_for_one_page(client, request, which):
    page = _publish(request.getfixturevalue(which), allow_comments=True)
    assert "Skriv en kommentar" in client.get(page.url).content.decode()

    response = write(client, page, body=f"Tak for {MARKER}.")
    assert "Vi har sendt dig en e-mail" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.page_key == page.translation_key
    link = re.search(r"(/kommentarer/bekraeft/\S+/)", mail.outbox[0].body).group(1)
    client.post(link)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.moderate(comment, "approve", None)
    assert MARKER in client.get(page.url).content.decode()
    assert MARKER in client.get(f"/kommentarer/feed/{page.pk}/").content.decode()


def test_the_page_type_switch_closes_every_event(client, event):
    event = _publish(event, allow_comments=True)
    _approved(event, f"Gammel kommentar {MARKER}")
    switches = CommentSettings.for_site(event.get_site())
    switches.on_events = False
    switches.save()

    assert client.get(f"/kommentarer/{event.pk}/").status_code == 403
    assert write(client, event).status_code == 403
    page = client.get(event.url).content.decode()
    assert MARKER in page and "Der er lukket for nye kommentarer." in page
    assert Comment.objects.count() == 1


def test_a_translated_event_shares_one_thread(client, event):
    event = _publish(event, allow_comments=True)
    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    english.refresh_from_db()
    # A member writes on the English page; the thread is the event's, not the copy's.
    member = make_member(username="medlem@example.dk", email="medlem@example.dk")
    comment = services.post_comment(page=english, user=member, body=f"Skrevet på engelsk {MARKER}")
    assert comment.page_key == event.translation_key
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.moderate(comment, "approve", None)
    assert MARKER in client.get(event.url).content.decode()
    assert MARKER in client.get(english.url).content.decode()


def test_an_editor_finds_the_switch_on_the_settings_tab(client, event, case):
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))
    for page in (event, case):
        html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        assert 'name="allow_comments"' in html


@pytest.fixture
def closed_case(case, settings):
    """A members-only case with comments switched on, a member's comment and a reply."""
    settings.PAGE_CACHE_SECONDS = 300
    case = _publish(case, members_only=True, allow_comments=True)
    author = make_member(username="forfatter@example.dk", email="forfatter@example.dk")
    comment = _approved(case, f"Kommentar {MARKER}", user=author)
    _approved(case, f"Svar {MARKER}", user=author, parent=comment)
    return case


def test_members_read_and_write_comments_on_a_members_only_case(client, closed_case):
    client.force_login(make_member(username="laeser@example.dk"))
    page = client.get(closed_case.url).content.decode()
    assert f"Kommentar {MARKER}" in page and f"Svar {MARKER}" in page
    assert "Send kommentar" in page
    assert client.get(f"/kommentarer/{closed_case.pk}/").status_code == 200


@pytest.mark.parametrize("visitor", ["anonymous", "non-member"])
def test_comments_on_a_members_only_case_reach_no_one_else(client, closed_case, visitor):
    # A member's visit first: nothing of it may be cached for the others.
    member = make_member(username="laeser@example.dk")
    client.force_login(member)
    assert MARKER in client.get(closed_case.url).content.decode()
    client.logout()
    if visitor == "non-member":
        client.force_login(UserFactory(username="offentlig@example.dk"))

    for _ in range(2):  # the second request may come from the anonymous page cache
        response = client.get(closed_case.url)
        assert response.status_code == 200  # the public teaser
        assert MARKER not in response.content.decode()
    assert client.get(f"/kommentarer/{closed_case.pk}/").status_code == 404
    assert client.get(f"/kommentarer/feed/{closed_case.pk}/").status_code == 404
    assert MARKER not in client.get("/kommentarer/feed/").content.decode()
    assert MARKER not in client.get(f"/soeg/?q={MARKER.lower()}").content.decode()
    assert MARKER not in client.get(f"/cases/?q={MARKER.lower()}").content.decode()
