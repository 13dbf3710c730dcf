"""Browser journey of a public reader: home -> news -> news post -> events -> an event."""

import pytest

from home.demo import load_demo_content
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_the_navigation_from_home_to_news_and_an_event(page, live_server):
    from wagtail.models import Site

    load_demo_content()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    menu = page.get_by_role("navigation", name="Hovedmenu")

    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "Netværket for Social Innovation"
    assert_accessible(page, "reader-1-home")

    menu.get_by_role("link", name="Nyheder").click()
    page.wait_for_url("**/nyheder/")
    assert_accessible(page, "reader-2-news-index")

    page.get_by_role("link", name="Social innovation i en dansk kontekst").click()
    page.wait_for_url("**/nyheder/social-innovation-i-en-dansk-kontekst/")
    assert "100.000 fuldtidsansatte" in page.locator("main").inner_text()
    assert_accessible(page, "reader-3-news-post")

    menu.get_by_role("link", name="Arrangementer").click()
    page.wait_for_url("**/arrangementer/")
    assert_accessible(page, "reader-4-events-index")

    page.get_by_role("link", name="Temaeftermiddag: Frivillige og fagprofessionelle").click()
    page.wait_for_url("**/arrangementer/temaeftermiddag-frivillige/")
    assert "Dokk1" in page.locator("main").inner_text()
    assert_accessible(page, "reader-5-event")


def test_reader_switches_a_news_post_to_english(page, live_server):
    from wagtail.models import Site

    load_demo_content()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()

    page.goto(live_server.url + "/nyheder/social-innovation-i-en-dansk-kontekst/")
    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_url("**/en/news/social-innovation-in-a-danish-context/")
    assert page.locator("h1").inner_text() == "Social innovation in a Danish context"
    assert_accessible(page, "reader-6-news-post-en")
