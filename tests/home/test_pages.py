import pytest

from home.models import HomePage, NewsIndexPage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_shows_hero_and_latest_news(client, home_page, news_index):
    from tests.factories import NewsPageFactory

    NewsPageFactory(parent=news_index, title="Nyt fra Holstebro")
    html = client.get("/").content.decode()
    assert "Netværket for Social Innovation" in html
    assert "Nyt fra Holstebro" in html


def test_page_tree_rules_keep_editors_from_building_a_wrong_tree():
    assert NewsPage.can_create_at(NewsIndexPage())
    assert not NewsPage.can_create_at(HomePage())
    assert not NewsPage.can_create_at(StandardPage())
    assert NewsIndexPage.can_create_at(HomePage())
    assert not NewsIndexPage.can_create_at(StandardPage())
    assert NewsPage.allowed_subpage_models() == []


def test_only_one_news_index_per_home_page(home_page, news_index):
    assert not NewsIndexPage.can_create_at(home_page)


def test_unknown_url_gets_the_friendly_404_page(client, home_page):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Siden findes ikke" in html
    assert 'href="/"' in html  # a way back to the home page


def test_meta_description_and_open_graph_tags(client, home_page, news_index):
    from tests.factories import NewsPageFactory

    post = NewsPageFactory(
        parent=news_index, title="Frivillige i ældreplejen", intro="Tre kommuner deler erfaringer."
    )
    html = client.get(post.url).content.decode()
    assert '<meta name="description" content="Tre kommuner deler erfaringer.">' in html
    assert '<meta property="og:title" content="Frivillige i ældreplejen">' in html
    assert '<meta property="og:type" content="article">' in html


def test_robots_txt_points_at_the_sitemap_and_hides_the_admin(client, home_page):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_standard_pages_live_under_the_home_page_not_at_the_tree_root(home_page):
    from wagtail.models import Page

    assert not StandardPage.can_create_at(Page.get_first_root_node())
    assert StandardPage.can_create_at(home_page)
    assert StandardPage.can_create_at(StandardPage())
    assert not StandardPage.can_create_at(NewsIndexPage())


def test_featured_members_only_pages_stay_off_the_public_home_page(client, home_page):
    from home.models import HomePageFeaturedItem
    from tests.factories import StandardPageFactory, make_member, restrict_to_members

    public = StandardPageFactory(parent=home_page, title="Åben vejledning")
    members = StandardPageFactory(
        parent=home_page, title="Budget for styregruppen", listing_summary="Fortroligt resumé"
    )
    restrict_to_members(members)
    for order, page in enumerate((members, public)):
        HomePageFeaturedItem.objects.create(home_page=home_page, page=page, sort_order=order)

    html = client.get("/").content.decode()
    assert "Åben vejledning" in html
    assert "Budget for styregruppen" not in html and "Fortroligt resumé" not in html

    client.force_login(make_member())
    html = client.get("/").content.decode()
    assert html.index("Budget for styregruppen") < html.index("Åben vejledning")


def test_server_error_page_uses_the_stylesheet_not_inline_styles(client):
    from django.template import loader

    html = loader.get_template("500.html").render()  # as Django's server_error renders it
    assert "<style" not in html and "style=" not in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "Der opstod en fejl" in html and 'href="/"' in html
