"""Two languages: each page once per listing, hreflang alternates, a language switch that stays."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Locale

from tests.factories import NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def english(page, **fields):
    translation = page.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()  # its parents are created as live aliases
    translation.refresh_from_db()
    return translation


def test_pages_link_their_translations_with_hreflang(client, home_page):
    about = StandardPageFactory(parent=home_page, title="Om netværket", slug="om")
    about_en = english(about, title="About the network", slug="about")
    html = client.get(about_en.url).content.decode()
    assert f'<link rel="alternate" hreflang="da" href="http://localhost{about.url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="http://localhost{about_en.url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://localhost{about.url}">' in html
    lonely = StandardPageFactory(parent=home_page, title="Kun dansk", slug="kun-dansk")
    html = client.get(lonely.url).content.decode()
    assert 'hreflang="en" href' not in html.split("</head>")[0]


def test_the_sitemap_lists_hreflang_alternates(client, home_page):
    about = StandardPageFactory(parent=home_page, title="Om netværket", slug="om")
    about_en = english(about, title="About the network", slug="about")
    root = ET.fromstring(client.get("/sitemap.xml").content)
    alternates = {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }
    expected = {
        "da": f"http://localhost{about.url}",
        "en": f"http://localhost{about_en.url}",
        "x-default": f"http://localhost{about.url}",
    }
    assert alternates[f"http://localhost{about.url}"] == expected
    assert alternates[f"http://localhost{about_en.url}"] == expected


def test_the_language_switch_keeps_the_visitor_on_the_page_or_its_section(
    client, home_page, news_index
):
    news_index_en = english(news_index, title="News", slug="news")
    translated = NewsPageFactory(parent=news_index, title="Oversat", slug="oversat")
    translated_en = english(translated, title="Translated", slug="translated")
    danish_only = NewsPageFactory(parent=news_index, title="Kun på dansk", slug="kun-dansk")

    def switch(url, language):
        html = client.get(url).content.decode()
        marker = f'lang="{language}" hreflang="{language}"'
        before = html[: html.index(marker)]
        return before[before.rindex('href="') + 6 :].split('"')[0]

    assert switch(translated.url, "en") == translated_en.url
    assert switch(translated_en.url, "da") == translated.url
    assert switch(danish_only.url, "en") == news_index_en.url  # the section's index


def test_the_english_news_archive_shows_each_post_once_falling_back_to_danish(
    client, home_page, news_index
):
    news_index_en = english(news_index, title="News", slug="news")
    translated = NewsPageFactory(parent=news_index, title="Oversat nyhed", slug="oversat")
    english(translated, title="Translated story", slug="translated")
    NewsPageFactory(parent=news_index, title="Kun på dansk", slug="kun-dansk")
    draft = NewsPageFactory(parent=news_index, title="Kladde", slug="kladde", live=False)
    draft_en = english(NewsPageFactory(parent=news_index, title="Dansk udgave", slug="udgave"))
    draft_en.unpublish()

    html = client.get(news_index_en.url).content.decode()
    assert "Translated story" in html and "Oversat nyhed" not in html
    assert "Kun på dansk" in html and "Dansk udgave" in html  # no live English: Danish
    assert draft.title not in html
    feed = client.get(news_index_en.url + "feed/rss/").content.decode()
    assert feed.count("<item>") == 3

    danish = client.get(news_index.url).content.decode()
    assert "Oversat nyhed" in danish and "Translated story" not in danish


def test_editors_see_the_pages_that_lack_an_english_translation(client, home_page, news_index):
    from tests.factories import UserFactory

    translated = NewsPageFactory(parent=news_index, title="Oversat nyhed", slug="oversat")
    english(translated, title="Translated story", slug="translated")
    NewsPageFactory(parent=news_index, title="Mangler oversættelse", slug="mangler")
    NewsPageFactory(parent=news_index, title="Kladde uden oversættelse", slug="kladde", live=False)
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))
    menu = client.get("/admin/reports/mangler-oversaettelse/")
    html = menu.content.decode()
    assert menu.status_code == 200
    assert "Mangler oversættelse" in html and "Kladde uden oversættelse" in html
    assert "Oversat nyhed" not in html and "Translated story" not in html
    assert news_index.title in html  # its English copy is only an alias of the Danish page


def test_english_search_shows_each_page_once_in_english_or_else_in_danish(client, home_page):
    translated = StandardPageFactory(
        parent=home_page, title="Frivillige netværk", intro="Partnerskaber med frivillige"
    )
    english(translated, title="Volunteer networks", intro="Frivillige partnerships")
    StandardPageFactory(parent=home_page, title="Frivillige i ældreplejen", intro="Kun dansk")

    html = client.get("/en/soeg/", {"q": "frivillige"}).content.decode()
    assert '<html lang="en">' in html
    assert "Volunteer networks" in html
    assert "Frivillige i ældreplejen" in html  # no English translation: the Danish page
    assert "Frivillige netværk" not in html  # translated: English only, once

    danish = client.get("/soeg/", {"q": "frivillige"}).content.decode()
    assert "Frivillige netværk" in danish and "Volunteer networks" not in danish

    answer = client.get("/en/soeg/autocomplete/", {"q": "frivil"})
    titles = [item["title"] for item in answer.json()["results"]]
    assert "Frivillige i ældreplejen" in titles and "Frivillige netværk" not in titles


def test_the_sites_own_views_exist_in_english_with_alternates_and_switch(client, home_page):
    signup = client.get("/en/nyhedsmail/tilmeld/").content.decode()
    head = signup.split("</head>")[0]
    assert '<html lang="en">' in signup
    assert (
        '<link rel="alternate" hreflang="da" href="http://testserver/nyhedsmail/tilmeld/">' in head
    )
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/en/nyhedsmail/tilmeld/">'
        in head
    )

    html = client.get("/en/soeg/", {"q": "x"}).content.decode()
    assert '<html lang="en">' in html
    # The switch keeps the visitor on the search, query included.
    assert 'href="/soeg/?q=x" lang="da"' in html

    danish = client.get("/soeg/", {"q": "x"}).content.decode()
    assert '<html lang="da">' in danish
    assert 'href="/en/soeg/?q=x" lang="en"' in danish
