import xml.etree.ElementTree as ET

import pytest

from tests.factories import (
    NewsCategoryFactory,
    NewsPageFactory,
    StandardPageFactory,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_rss_feed_lists_public_posts_with_links_and_categories(client, news_index):
    category = NewsCategoryFactory(name="Viden", slug="viden")
    post = NewsPageFactory(parent=news_index, title="Tredje sektor: 9,6 % af BNP")
    post.categories = [category]
    post.save_revision().publish()
    secret = NewsPageFactory(parent=news_index, title="Lukket referat")
    restrict_to_members(secret)

    response = client.get(news_index.url + "feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Tredje sektor: 9,6 % af BNP"]
    assert items[0].findtext("link") == "http://testserver" + post.url
    assert items[0].findtext("category") == "Viden"


def test_atom_feed_and_category_feed(client, news_index):
    category = NewsCategoryFactory(name="Cases", slug="cases")
    filed = NewsPageFactory(parent=news_index, title="Buurtzorg i Danmark")
    filed.categories = [category]
    filed.save_revision().publish()
    NewsPageFactory(parent=news_index, title="Uden kategori")

    atom = ET.fromstring(client.get(news_index.url + "feed/atom/").content)
    titles = {entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")}
    assert titles == {"Buurtzorg i Danmark", "Uden kategori"}

    rss = ET.fromstring(client.get(news_index.url + "kategori/cases/feed/rss/").content)
    assert [i.findtext("title") for i in rss.find("channel").findall("item")] == [
        "Buurtzorg i Danmark"
    ]


def test_pages_advertise_their_feed(client, news_index):
    html = client.get(news_index.url).content.decode()
    assert (
        f'type="application/rss+xml" title="Nyheder (RSS)" href="{news_index.url}feed/rss/"' in html
    )


def test_sitemap_lists_public_pages_of_both_locales_but_no_members_only_page(client, home_page):
    from home.demo import load_demo_content

    load_demo_content()
    members = StandardPageFactory(parent=home_page, title="Medlemsområde", slug="medlemmer")
    StandardPageFactory(parent=members, title="Referat", slug="referat-fra-styregruppen")
    restrict_to_members(members)

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert "http://localhost/om-netvaerket/" in locations
    assert "http://localhost/en/about/" in locations
    assert "http://localhost/nyheder/social-innovation-i-en-dansk-kontekst/" in locations
    assert not [loc for loc in locations if "medlemmer" in loc or "referat" in loc]
