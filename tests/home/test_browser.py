import pytest

from home.demo import load_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_follows_the_navigation_from_home_to_a_news_post(page, live_server, artefacts_dir):
    from wagtail.models import Site

    load_demo_content()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()

    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text() == "Netværket for Social Innovation"
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Nyheder").click()
    page.wait_for_url("**/nyheder/")
    page.get_by_role("link", name="Social innovation i en dansk kontekst").click()
    page.wait_for_url("**/nyheder/social-innovation-i-en-dansk-kontekst/")
    assert "100.000 fuldtidsansatte" in page.locator("main").inner_text()
    page.screenshot(path=str(artefacts_dir / "home-news-post.png"), full_page=True)

    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_url("**/en/news/social-innovation-in-a-danish-context/")
    assert page.locator("h1").inner_text() == "Social innovation in a Danish context"
