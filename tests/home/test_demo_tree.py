"""The demo loader leaves a consistent page tree that editors can keep building on."""

from __future__ import annotations

import pytest
from wagtail.models import Locale, Page

from home.demo import load_demo_content
from members_area.models import MembersAreaPage
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(home_page):
    load_demo_content()


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))
    return client


def _english_home() -> Page:
    return Page.objects.get(depth=2, locale=Locale.objects.get(language_code="en"))


def test_demo_tree_has_no_problems_and_the_english_home_counts_its_children(demo):
    assert Page.find_problems() == ([], [], [], [], [])
    english_home = _english_home()
    assert (
        english_home.numchild
        == Page.objects.filter(
            path__startswith=english_home.path, depth=english_home.depth + 1
        ).count()
    )
    assert english_home.numchild > 0


@pytest.mark.parametrize("how", ["copy", "alias"])
def test_members_section_can_be_copied_or_aliased_under_the_english_home(demo, editor_client, how):
    section = MembersAreaPage.objects.get(locale__language_code="da")
    english_home = _english_home()
    children_before = english_home.numchild
    form = {
        "new_title": "Members (copy)",
        "new_slug": "members-copy",
        "new_parent_page": english_home.pk,
        "copy_subpages": "on",
        **({"alias": "on"} if how == "alias" else {}),
    }

    response = editor_client.post(f"/admin/pages/{section.pk}/copy/", form)

    assert response.status_code in (200, 302)
    english_home.refresh_from_db()
    assert english_home.numchild == children_before + 1
    assert english_home.get_children().filter(slug="members-copy").exists()
    assert Page.find_problems() == ([], [], [], [], [])
