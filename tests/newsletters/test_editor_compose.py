"""Composing an issue: the editor is offered what the public may read that was published since
the previous issue went out, each thing once, and the ticked pages land in the issue in order."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import Locale, Page

from newsletters import services
from newsletters.models import NewsletterPage, NewsletterSend
from tests.factories import (
    CasePageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ResourcePageFactory,
    UserFactory,
    restrict_to_members,
)
from tests.newsletters.conftest import NewsletterPageFactory
from tests.newsletters.test_admin import _editor

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def published(page, days_ago: float):
    """Set when ``page`` was first published (factories leave it empty)."""
    Page.objects.filter(pk=page.pk).update(
        first_published_at=NOW - datetime.timedelta(days=days_ago)
    )
    page.refresh_from_db()
    return page


def translate(page):
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = f"{page.title} (English)"
    english.save_revision().publish()
    english.refresh_from_db()
    return english


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


@pytest.fixture
def previous_issue(archive):
    """Sent ten days ago."""
    issue = published(NewsletterPageFactory(parent=archive, title="Oktober"), days_ago=12)
    send = services.create_send(issue)
    NewsletterSend.objects.filter(pk=send.pk).update(
        started_at=NOW - datetime.timedelta(days=10), status="done"
    )
    return issue


@pytest.fixture
def draft(archive, previous_issue):
    return NewsletterPageFactory(parent=archive, title="November", live=False)


def _titles(proposals):
    return {section.block_type: [p.title for p in pages] for section, pages in proposals.sections}


def test_proposals_are_public_pages_published_since_the_previous_issue_went_out(
    draft, news_index, library, case_bank, home_page
):
    published(NewsPageFactory(parent=news_index, title="Ny nyhed"), days_ago=2)
    published(NewsPageFactory(parent=news_index, title="Gammel nyhed"), days_ago=11)
    events = EventIndexPageFactory(parent=home_page)
    published(EventPageFactory(parent=events, title="Åbent arrangement"), days_ago=3)
    published(
        EventPageFactory(parent=events, title="Medlemsarrangement", audience="members"), days_ago=3
    )
    published(CasePageFactory(parent=case_bank, title="Åben case"), days_ago=1)
    published(CasePageFactory(parent=case_bank, title="Lukket case", members_only=True), days_ago=1)
    published(ResourcePageFactory(parent=library, title="Ny rapport"), days_ago=4)
    published(
        ResourcePageFactory(parent=library, title="Medlemsrapport", members_only=True), days_ago=4
    )
    hidden_section = NewsIndexPageFactory(parent=home_page, slug="intern", title="Intern")
    restrict_to_members(hidden_section)
    published(NewsPageFactory(parent=hidden_section, title="Intern nyhed"), days_ago=1)

    proposals = services.proposals_for(draft)

    assert _titles(proposals) == {
        "news": ["Ny nyhed"],
        "events": ["Åbent arrangement"],
        "cases": ["Åben case"],
        "resources": ["Ny rapport"],
    }


def test_a_translated_page_is_proposed_once_in_the_issues_language(draft, news_index):
    danish = published(NewsPageFactory(parent=news_index, title="Nyhed"), days_ago=2)
    english = translate(danish)
    english_issue = translate(draft)
    NewsletterPage.objects.filter(pk=english_issue.pk).update(issue_date=draft.issue_date)
    english_issue.refresh_from_db()

    assert [p.pk for p in services.proposals_for(draft).pages()] == [danish.pk]
    assert [p.pk for p in services.proposals_for(english_issue).pages()] == [english.pk]


def test_a_page_translated_after_the_previous_issue_is_not_new(draft, news_index):
    old = published(NewsPageFactory(parent=news_index, title="Gammel"), days_ago=20)
    translate(old)  # published today, in English

    assert services.proposals_for(draft).pages() == []


def test_without_a_previous_issue_the_last_month_is_proposed(archive, news_index):
    issue = NewsletterPageFactory(parent=archive)
    published(NewsPageFactory(parent=news_index, title="Denne måned"), days_ago=20)
    published(NewsPageFactory(parent=news_index, title="For længe siden"), days_ago=40)

    proposals = services.proposals_for(issue)

    assert proposals.previous is None
    assert [p.title for p in proposals.pages()] == ["Denne måned"]


def test_chosen_pages_are_added_to_the_issue_in_order_as_a_draft(draft, news_index, case_bank):
    first = published(NewsPageFactory(parent=news_index, title="Første"), days_ago=2)
    second = published(NewsPageFactory(parent=news_index, title="Anden"), days_ago=1)
    case = published(CasePageFactory(parent=case_bank, title="Case"), days_ago=1)
    skipped = published(NewsPageFactory(parent=news_index, title="Fravalgt"), days_ago=1)

    added = services.add_to_issue(draft, [second.pk, case.pk, first.pk], user=None)

    body = NewsletterPage.objects.get(pk=draft.pk).get_latest_revision_as_object().body
    assert added == 3
    assert [b.block_type for b in body] == ["text", "news", "cases"]
    assert body[1].value["heading"] == "Nyheder"
    assert [p.pk for p in body[1].value["pages"]] == [second.pk, first.pk]
    assert [p.pk for p in body[2].value["pages"]] == [case.pk]
    # Already in the issue: not proposed again, and not added twice.
    assert [p.pk for p in services.proposals_for(draft).pages()] == [skipped.pk]
    assert services.add_to_issue(draft, [first.pk, skipped.pk], user=None) == 1
    body = NewsletterPage.objects.get(pk=draft.pk).get_latest_revision_as_object().body
    assert [p.pk for p in body[1].value["pages"]] == [second.pk, first.pk, skipped.pk]


def test_ids_that_were_not_proposed_are_ignored(draft, news_index, home_page):
    hidden_section = NewsIndexPageFactory(parent=home_page, slug="intern", title="Intern")
    restrict_to_members(hidden_section)
    secret = published(NewsPageFactory(parent=hidden_section, title="Intern"), days_ago=1)
    old = published(NewsPageFactory(parent=news_index, title="Gammel"), days_ago=30)

    assert services.add_to_issue(draft, [secret.pk, old.pk, draft.pk, 10**12], user=None) == 0
    assert draft.get_latest_revision_as_object().body[0].block_type == "text"
    assert len(draft.get_latest_revision_as_object().body) == 1


# --- The composer in the admin ------------------------------------------------------------


def _compose_url(issue):
    return f"/admin/nyhedsbrev/foreslaa/{issue.pk}/"


def test_the_editor_ticks_proposals_and_returns_to_the_editor_with_them(client, draft, news_index):
    news = published(NewsPageFactory(parent=news_index, title="Ny nyhed i november"), days_ago=1)
    editor = _editor(username="skribent")
    client.force_login(editor)

    editing = client.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert _compose_url(draft) in editing
    page = client.get(_compose_url(draft))
    assert page.status_code == 200
    assert "Ny nyhed i november" in page.content.decode()

    response = client.post(_compose_url(draft), {"page": [str(news.pk)]})

    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    latest = NewsletterPage.objects.get(pk=draft.pk).get_latest_revision()
    assert latest.user == editor
    body = latest.as_object().body
    assert [p.pk for p in body[1].value["pages"]] == [news.pk]
    assert not NewsletterPage.objects.get(pk=draft.pk).live  # a draft, not published


@pytest.mark.parametrize(
    "data",
    [
        {"page": ["abc", "-1", "99999999999999999999999"]},
        {"page": ""},
        {},
        {"page": ["1e5", "\x00"]},
    ],
)
def test_bad_choices_change_nothing_and_answer_politely(client, draft, data):
    client.force_login(_editor(username="skribent"))
    response = client.post(_compose_url(draft), data)
    assert response.status_code in (302, 400)  # NUL bytes are refused before any view
    assert len(draft.get_latest_revision_as_object().body) == 1


def test_only_editors_who_may_edit_the_issue_may_compose(client, draft, news_index):
    news = published(NewsPageFactory(parent=news_index), days_ago=1)
    reader = UserFactory(username="kun-admin")
    group = Group.objects.create(name="Kun admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    reader.groups.add(group)
    client.force_login(reader)

    assert client.get(_compose_url(draft)).status_code == 403
    assert client.post(_compose_url(draft), {"page": [news.pk]}).status_code == 403
    assert len(draft.get_latest_revision_as_object().body) == 1
    client.logout()
    assert client.get(_compose_url(draft)).status_code == 302  # to the login
    assert client.get("/admin/nyhedsbrev/foreslaa/999999/").status_code in (302, 404)


def test_composing_a_page_that_is_not_a_newsletter_is_not_found(client, news_index):
    client.force_login(_editor(username="skribent"))
    assert client.get(_compose_url(news_index)).status_code == 404
