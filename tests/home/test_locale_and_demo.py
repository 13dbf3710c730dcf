import pytest
from django.db.models import Count
from wagtail.models import Locale, Page

from cases.models import CasePage
from events.models import EventIndexPage, EventPage
from home.demo import load_demo_content
from home.models import HomePage, NewsPage

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


def test_switcher_falls_back_to_the_translated_section_without_a_translation(client, demo):
    from tests.factories import CasePageFactory

    bank = CasePage.objects.get(slug="seniorbofaellesskaber").get_parent()
    untranslated = CasePageFactory(parent=bank, title="Kun på dansk", slug="kun-paa-dansk")
    assert untranslated.get_translation_or_none(Locale.objects.get(language_code="en")) is None
    html = client.get(untranslated.url).content.decode()
    assert 'href="/en/cases/" lang="en"' in html  # the English case bank, not the home page


def test_danish_dates_and_ui_strings(client, demo):
    html = client.get("/nyheder/").content.decode()
    assert "3. februar 2026" in html
    assert "Spring til indhold" in html


def test_english_ui_strings_come_from_the_catalogue(client, demo):
    html = client.get("/en/news/").content.decode()
    assert "Skip to content" in html
    assert "Feb. 3, 2026" in html


def _pages_per_type_and_locale() -> dict:
    rows = Page.objects.values("content_type__model", "locale__language_code", "live")
    return {
        (row["content_type__model"], row["locale__language_code"], row["live"]): row["n"]
        for row in rows.annotate(n=Count("pk"))
    }


def test_demo_content_is_danish_and_english_and_can_be_loaded_twice(demo):
    counts = _pages_per_type_and_locale()
    featured = {
        home.locale.language_code: list(home.featured_items.values_list("page_id", flat=True))
        for home in HomePage.objects.all()
    }
    load_demo_content()
    assert _pages_per_type_and_locale() == counts
    assert {
        home.locale.language_code: list(home.featured_items.values_list("page_id", flat=True))
        for home in HomePage.objects.all()
    } == featured
    da, en = Locale.objects.get(language_code="da"), Locale.objects.get(language_code="en")
    for model in (HomePage, NewsPage, EventIndexPage, EventPage):
        danish = model.objects.filter(locale=da)
        assert danish.exists()
        assert all(page.get_translation_or_none(en) for page in danish), model.__name__
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


def test_demo_home_page_features_public_cases(client, demo):
    html = client.get("/").content.decode()
    assert "Udvalgte cases og ressourcer" in html
    featured = HomePage.objects.get(locale__language_code="da").featured_items.all()
    assert featured.count() == 3
    for item in featured:
        case = item.page.specific
        assert isinstance(case, CasePage) and not case.members_only
        assert case.title in html and case.url in html


def test_english_home_page_lists_english_news_events_and_cases(client, demo):
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Notes from the spring conference" in html
    assert "Themed afternoon: Volunteers and professionals" in html
    assert "Night watch volunteers at the end of life" in html
    assert "/en/cases/night-watch-volunteers-in-vejle/" in html
    for danish in ("Opsamling fra forårskonferencen", "Temaeftermiddag:", "Vågekoner"):
        assert danish not in html
