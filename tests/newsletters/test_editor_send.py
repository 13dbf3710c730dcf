"""The newsletter in the page editor: Send next to Publish, choosers that start at the right
index, and a progress page whose counts follow the outbox while a send runs."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.test import RequestFactory
from wagtail.admin.action_menu import PageActionMenu
from wagtail.models import GroupPagePermission, Page

from cases.models import CasePage
from core.outbox.models import OutboundEmail
from members_area.access import full_content_visible_pages
from newsletters import services
from tests.factories import CasePageFactory, NewsIndexPageFactory, NewsPageFactory
from tests.newsletters.conftest import make_subscribers
from tests.newsletters.test_admin import _editor
from tests.newsletters.test_editor_compose import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(home_page):
    """May edit, publish and send."""
    user = _editor("newsletters.send_newsletter", username="afsender")
    GroupPagePermission.objects.create(
        group=user.groups.get(),
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="publish_page"),
    )
    return user


def _menu_names(page, user):
    request = RequestFactory().get("/")
    request.user = user
    menu = PageActionMenu(request, view="edit", page=page, lock=None, locked_for_user=False)
    return [menu.default_item.name] + [item.name for item in menu.menu_items]


def test_send_comes_right_after_publish_in_the_action_menu(client, issue, sender):
    names = _menu_names(issue, sender)
    assert names.index("action-send-newsletter") == names.index("action-publish") + 1

    client.force_login(sender)
    html = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    send_link = f'href="/admin/nyhedsbrev/send/{issue.pk}/"'
    # The action menu at the foot of the editor, after Publish (not only the header's "…").
    assert html.rindex(send_link) > html.index('name="action-publish"')


def test_no_send_item_without_the_permission_or_on_other_pages(client, issue, home_page):
    editor = _editor(username="skribent")
    assert "action-send-newsletter" not in _menu_names(issue, editor)

    sender = _editor("newsletters.send_newsletter", username="afsender")
    news = NewsPageFactory(parent=NewsIndexPageFactory(parent=home_page))
    assert "action-send-newsletter" not in _menu_names(news, sender)
    client.force_login(sender)
    html = client.get(f"/admin/pages/{news.pk}/edit/").content.decode()
    assert "/admin/nyhedsbrev/send/" not in html


def test_the_send_item_leads_to_the_send_view(client, issue, sender):
    client.force_login(sender)
    response = client.get(f"/admin/nyhedsbrev/send/{issue.pk}/")
    assert response.status_code == 200
    assert "Send eller planlæg" in response.content.decode()


# --- The chooser starts at the index ------------------------------------------------------


def test_the_items_choosers_open_at_the_index_in_the_issues_language(client, issue, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    english_index = translate(NewsPageFactory(parent=index)).get_parent()
    english_issue = translate(issue)
    client.force_login(_editor(username="skribent"))
    assert (
        "/admin/nyhedsbrev/vaelg-side/"
        in client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    )

    def chooser_start(referer):
        response = client.get(
            "/admin/nyhedsbrev/vaelg-side/",
            {"page_type": "home.newspage"},
            headers={"referer": referer},
        )
        assert response.status_code == 200
        return response.json()["parent_page_id"]

    assert chooser_start(f"http://testserver/admin/pages/{issue.pk}/edit/") == index.pk
    assert (
        chooser_start(f"http://testserver/admin/pages/{english_issue.pk}/edit/") == english_index.pk
    )
    assert chooser_start("http://elsewhere.example/nonsense/") == index.pk  # Danish admin
    # Once a page is chosen, "choose another" opens where it lives, as Wagtail's does.
    again = client.get(f"/admin/nyhedsbrev/vaelg-side/{english_index.pk}/", {"page_type": ""})
    assert again.json()["parent_page_id"] == english_index.pk


@pytest.mark.parametrize("page_type", ["nope.nope", "home", "", "wagtailcore.page", "\ufffd"])
def test_odd_chooser_page_types_do_not_break_it(client, issue, page_type):
    client.force_login(_editor(username="skribent"))
    response = client.get("/admin/nyhedsbrev/vaelg-side/", {"page_type": page_type})
    assert response.status_code in (200, 404)


def test_the_chooser_is_for_admin_users_only(client, issue):
    assert client.get("/admin/nyhedsbrev/vaelg-side/").status_code == 302


# --- Progress ------------------------------------------------------------------------------


def test_progress_counts_follow_the_outbox_while_a_send_runs(client, issue, sender):
    make_subscribers("a@example.dk", "b@example.dk", "c@example.dk")
    send = services.create_send(issue)
    services.queue_deliveries(send)
    client.force_login(sender)
    url = f"/admin/nyhedsbrev/udsendelse/{send.pk}/status.json"

    before = client.get(url).json()
    services.send_batch(send.pk, batch_size=2)
    during = client.get(url).json()
    OutboundEmail.objects.filter(group=services.send_group(send), status="pending").update(
        status="failed"
    )
    services.send_batch(send.pk)
    after = client.get(url).json()

    assert (before["queued"], before["sent"], before["total"], before["done"]) == (3, 0, 3, False)
    assert (during["queued"], during["sent"], during["processed"]) == (1, 2, 2)
    assert (after["queued"], after["sent"], after["failed"], after["done"]) == (0, 2, 1, True)
    assert after["status_label"] == "Sendt"
    page = client.get(f"/admin/nyhedsbrev/udsendelse/{send.pk}/").content.decode()
    assert '<progress id="send-progress-bar" max="3" value="3"' in page
    assert "newsletters/send-progress.js" in page and "<script>" not in page


def test_a_running_send_page_polls_and_refreshes_without_javascript(client, issue, sender):
    make_subscribers("a@example.dk")
    send = services.create_send(issue)
    services.queue_deliveries(send)
    client.force_login(sender)

    page = client.get(f"/admin/nyhedsbrev/udsendelse/{send.pk}/").content.decode()

    assert f'data-send-progress-url="/admin/nyhedsbrev/udsendelse/{send.pk}/status.json"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert '<progress id="send-progress-bar" max="1" value="0"' in page


def test_progress_json_needs_the_send_permission(client, issue):
    send = services.create_send(issue)
    url = f"/admin/nyhedsbrev/udsendelse/{send.pk}/status.json"
    client.force_login(_editor(username="skribent"))
    assert client.get(url).status_code == 403
    assert client.get("/admin/nyhedsbrev/udsendelse/999999/status.json").status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302


def test_progress_json_of_an_unknown_send_is_not_found(client, sender):
    client.force_login(sender)
    assert client.get("/admin/nyhedsbrev/udsendelse/999999/status.json").status_code == 404


def test_the_public_never_gets_members_only_cases_in_full(case_bank):
    CasePageFactory(parent=case_bank, title="Åben")
    CasePageFactory(parent=case_bank, title="Lukket", members_only=True)
    titles = full_content_visible_pages(CasePage.objects.all(), AnonymousUser())
    assert [p.title for p in titles] == ["Åben"]
