"""The page privacy dialog offers only the Members group (issue 11 item 10)."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from members_area.access import can_view_page, members_group
from tests.factories import StandardPageFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(home_page):
    return UserFactory(username="redaktoer", is_staff=True, is_superuser=True)


@pytest.fixture
def page(home_page):
    return StandardPageFactory(parent=home_page, title="Referat", slug="referat")


def _dialog(client, page) -> str:
    response = client.get(f"/admin/pages/{page.pk}/privacy/")
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def test_dialog_offers_public_or_members_group_only(client, editor, page):
    Group.objects.get_or_create(name="Editors")
    members_group()
    client.force_login(editor)

    html = _dialog(client, page)

    assert 'value="none"' in html and 'value="groups"' in html
    assert 'value="login"' not in html
    assert 'value="password"' not in html
    assert "Members" in html and "Editors" not in html


def test_any_logged_in_user_cannot_be_chosen(client, editor, page):
    client.force_login(editor)
    client.post(f"/admin/pages/{page.pk}/privacy/", {"restriction_type": "login"})
    assert not PageViewRestriction.objects.filter(page=page).exists()


def test_a_group_restriction_is_always_the_members_group(client, editor, page):
    editors, _ = Group.objects.get_or_create(name="Editors")
    client.force_login(editor)
    url = f"/admin/pages/{page.pk}/privacy/"
    client.post(url, {"restriction_type": "groups", "groups": [editors.pk]})
    assert not PageViewRestriction.objects.filter(page=page, groups=editors).exists()

    client.post(url, {"restriction_type": "groups", "groups": [members_group().pk]})
    restriction = PageViewRestriction.objects.get(page=page)
    assert list(restriction.groups.all()) == [members_group()]


def test_the_dialog_needs_admin_access(client, page):
    client.force_login(make_member())
    response = client.get(f"/admin/pages/{page.pk}/privacy/")
    assert response.status_code in (302, 403)


def test_existing_login_restrictions_become_members_group_restrictions(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    collection = Collection.get_first_root_node().add_child(name="Gammel")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    outsider = UserFactory(username="tilmeldt@example.dk")

    migration = importlib.import_module(
        "members_area.migrations.0004_login_restrictions_to_members_group"
    )
    migration.login_to_members_group(apps, None)

    restriction = PageViewRestriction.objects.get(page=page)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert list(restriction.groups.all()) == [members_group()]
    collection_restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert collection_restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert not can_view_page(page, outsider)
    assert can_view_page(page, make_member())
