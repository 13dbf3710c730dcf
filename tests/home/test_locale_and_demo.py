import pytest
from wagtail.models import Page

from home.demo import load_demo_content
from home.models import NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(home_page):
    load_demo_content()


def test_language_switcher_goes_to_the_translated_page(client, demo):
    html = client.get("/om-netvaerket/").content.decode()
    assert 'href="/en/about/" lang="en"' in html
    english = client.get("/en/about/").content.decode()
    assert '<html lang="en">' in english
    assert "About the network" in english
    assert 'href="/om-netvaerket/" lang="da"' in english


def test_switcher_falls_back_to_the_home_page_without_a_translation(client, demo):
    post = NewsPage.objects.get(slug="frivillige-og-fagprofessionelle-i-aeldreplejen")
    html = client.get(post.url).content.decode()
    assert 'href="/en/" lang="en"' in html


def test_danish_dates_and_ui_strings(client, demo):
    html = client.get("/nyheder/").content.decode()
    assert "3. februar 2026" in html
    assert "Spring til indhold" in html


def test_english_ui_strings_come_from_the_catalogue(client, demo):
    html = client.get("/en/news/").content.decode()
    assert "Skip to content" in html
    assert "Feb. 3, 2026" in html


def test_demo_content_is_danish_and_english_and_can_be_loaded_twice(demo):
    counts = (Page.objects.count(), NewsPage.objects.count())
    load_demo_content()
    assert (Page.objects.count(), NewsPage.objects.count()) == counts
    launch = NewsPage.objects.get(slug="netvaerket-for-social-innovation-er-skudt-i-gang")
    assert (
        launch.get_translation_or_none(
            launch.locale.__class__.objects.get(language_code="en")
        ).title
        == "The Municipal Network on Social Innovation is launched"
    )
    context = NewsPage.objects.get(slug="social-innovation-i-en-dansk-kontekst")
    text = str(context.body)
    assert "100.000 fuldtidsansatte" in text and "9,6 procent" in text
