"""The admin speaks Danish to the network's editors unless an editor chose another language."""

import re

import pytest
from django.conf import settings
from wagtail.users.models import UserProfile

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(home_page):
    return UserFactory(username="ny-redaktoer", is_staff=True, is_superuser=True)


def _dashboard(client, user, **headers) -> str:
    client.force_login(user)
    response = client.get("/admin/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def _sidebar_labels(html: str) -> set[str]:
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S).group(1)
    return {
        label.encode().decode("unicode_escape")
        for label in re.findall(r'"label": "([^"]*)"', props)
    }


def test_a_new_editor_sees_the_admin_in_danish_whatever_the_browser_asks(client, editor):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _dashboard(client, editor, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="da"' in html
    assert UserProfile.get_for_user(editor).preferred_language == ""  # nobody chose for them
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    for danish in ("Overblik over webstedet", "Tastaturgenveje", "Kommende arrangementer"):
        assert danish in text
    for english in ("Site summary", "Keyboard shortcuts", "Page created", "editor guide"):
        assert english not in text
    labels = _sidebar_labels(html)
    assert {"Sider", "Billeder", "Dokumenter", "Rapporter", "Hjælp"} <= labels
    assert not labels & {"Pages", "Images", "Documents", "Reports", "Help", "Site history"}


def test_an_editor_who_chose_english_gets_english(client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()

    html = _dashboard(client, editor)

    assert '<html lang="en"' in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Site summary" in text and "Keyboard shortcuts" in text
    assert "Upcoming events" in text and "Kommende arrangementer" not in text
    assert {"Pages", "Images", "Reports"} <= _sidebar_labels(html)


def test_the_account_page_offers_danish_and_english(client, editor):
    client.force_login(editor)
    html = client.get("/admin/account/").content.decode()
    assert 'value="da"' in html and 'value="en"' in html
