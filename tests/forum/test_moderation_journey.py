"""Browser journey: a member reports a post, a moderator finds it in the admin's queue (the
menu counts it), sees it in context and hides it, and the post is gone from the thread for
members. axe-core checks the thread page and the queue."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from forum import services
from forum.models import Category, Post
from tests.browser_support import assert_accessible
from tests.factories import DEFAULT_PASSWORD, MemberOrganisationFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _member(username, organisation, **kwargs):
    user = make_member(
        username=username,
        email=username,
        organisation=MemberOrganisationFactory(name=organisation),
        **kwargs,
    )
    user.date_joined = timezone.now() - datetime.timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


def test_member_reports_moderator_hides_in_the_admin(page, live_server, browser, settings):
    from wagtail.models import Site

    from home.demo import ensure_home_page

    ensure_home_page()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    settings.BASE_URL = live_server.url
    category = Category.objects.create(name="Partnerskaber", slug="partnerskaber")
    author = _member("ole@aarhus.dk", "Aarhus Kommune", first_name="Ole", last_name="Berg")
    _member("nina@holstebro.dk", "Holstebro Kommune", first_name="Nina")
    moderator = _member("mod@netvaerk.dk", "Netværket", first_name="Mo", is_staff=True)
    moderator.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_thread"),
    )
    thread = services.start_thread(
        author, category=category, title="Frivillige i ældreplejen", body="Et godt spørgsmål"
    )
    rude = services.reply(author, thread=thread, body="Et **groft** svar")

    page.goto(live_server.url + "/medlemmer/log-ind/")
    page.get_by_label("E-mail").fill("nina@holstebro.dk")
    page.get_by_label("Adgangskode").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/medlemmer/")
    page.goto(f"{live_server.url}/medlemmer/forum/traad/{thread.pk}/")
    post = page.locator(f"#indlaeg-{rude.pk}")
    assert "Ole Berg, Aarhus Kommune" in post.inner_text()
    post.get_by_text("Anmeld", exact=True).click()
    post.get_by_label("Hvorfor anmelder du indlægget?").fill("Personangreb")
    post.get_by_role("button", name="Send anmeldelse").click()
    assert "Moderatorerne ser på indlægget" in page.locator("body").inner_text()
    assert_accessible(page, "forum-moderation-1-reported")

    editor = browser.new_page()
    editor.goto(live_server.url + "/admin/login/")
    editor.locator("#id_username").fill("mod@netvaerk.dk")
    editor.locator("#id_password").fill(DEFAULT_PASSWORD)
    editor.locator("#id_password").press("Enter")
    editor.wait_for_url(f"{live_server.url}/admin/")
    editor.get_by_role("link", name="Forumanmeldelser (1)").click()
    editor.wait_for_url("**/admin/forum/anmeldelser/")
    queue = editor.locator("main").inner_text()
    assert "Frivillige i ældreplejen" in queue and "Et godt spørgsmål" in queue
    assert "Personangreb" in queue and "Aarhus Kommune" in queue
    assert_accessible(editor, "forum-moderation-2-queue")
    editor.get_by_role("button", name="Skjul indlægget").click()
    editor.wait_for_url("**/admin/forum/anmeldelser/?vis=open")
    assert "Ingen åbne anmeldelser." in editor.locator("main").inner_text()
    editor.close()

    assert Post.objects.get(pk=rude.pk).hidden
    page.goto(f"{live_server.url}/medlemmer/forum/traad/{thread.pk}/")
    assert "groft" not in page.locator("main").inner_text()
    assert "Et godt spørgsmål" in page.locator("main").inner_text()
