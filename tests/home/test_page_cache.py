import pytest

from tests.factories import MemberFactory, NewsPageFactory, restrict_to_members

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_anonymous_page_is_served_from_cache_until_something_is_published(client, news_index):
    NewsPageFactory(parent=news_index, title="Første nyhed")
    first = client.get(news_index.url)
    assert first["X-Page-Cache"] == "miss"
    again = client.get(news_index.url)
    assert again["X-Page-Cache"] == "hit"
    assert "Første nyhed" in again.content.decode()

    draft = NewsPageFactory(parent=news_index, title="Ny nyhed udgivet", live=False)
    draft.save_revision().publish()  # what an editor's "Publish" does
    after = client.get(news_index.url)
    assert after["X-Page-Cache"] == "miss"
    assert "Ny nyhed udgivet" in after.content.decode()


def test_unpublishing_purges_the_cache(client, news_index):
    post = NewsPageFactory(parent=news_index, title="Trækkes tilbage")
    client.get(news_index.url)
    post.unpublish()
    response = client.get(news_index.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Trækkes tilbage" not in response.content.decode()


def test_logged_in_visitors_bypass_the_cache_and_get_private_responses(client, news_index):
    secret = NewsPageFactory(parent=news_index, title="Medlemsnyhed")
    restrict_to_members(secret)
    client.get(news_index.url)  # anonymous copy now cached, without the members' post

    client.force_login(MemberFactory())
    response = client.get(news_index.url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "Medlemsnyhed" in response.content.decode()

    client.logout()
    anonymous = client.get(news_index.url)
    assert "Medlemsnyhed" not in anonymous.content.decode()


def test_members_only_page_is_never_stored(client, news_index):
    secret = NewsPageFactory(parent=news_index, title="Lukket")
    restrict_to_members(secret)
    member = MemberFactory()
    client.force_login(member)
    assert client.get(secret.url).status_code == 200
    client.logout()
    response = client.get(secret.url)
    assert response.status_code == 302  # to the login page, not a cached copy


def test_a_post_that_becomes_members_only_leaves_the_cached_listing(client, news_index):
    post = NewsPageFactory(parent=news_index, title="Referat fra styregruppen")
    client.get(news_index.url)
    assert "Referat fra styregruppen" in client.get(news_index.url).content.decode()  # a hit

    restriction = restrict_to_members(post)
    response = client.get(news_index.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Referat fra styregruppen" not in response.content.decode()
    assert client.get(post.url).status_code == 302  # to the login page

    restriction.delete()  # public again
    assert "Referat fra styregruppen" in client.get(news_index.url).content.decode()


def test_changing_who_may_see_a_restricted_page_purges_the_cache(client, news_index):
    from wagtail.models import PageViewRestriction

    post = NewsPageFactory(parent=news_index, title="Kun for de indloggede")
    restriction = PageViewRestriction.objects.create(
        page=post, restriction_type=PageViewRestriction.GROUPS
    )
    client.get(news_index.url)
    restriction.groups.clear()
    assert client.get(news_index.url)["X-Page-Cache"] == "miss"


def test_restricting_a_document_collection_purges_the_cache(client, news_index):
    from wagtail.models import Collection, CollectionViewRestriction

    client.get(news_index.url)
    CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.LOGIN,
    )
    assert client.get(news_index.url)["X-Page-Cache"] == "miss"
