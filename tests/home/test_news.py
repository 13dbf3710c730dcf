import pytest

from tests.factories import MemberFactory, NewsCategoryFactory, NewsPageFactory, restrict_to_members

pytestmark = pytest.mark.django_db


def test_news_archive_lists_newest_first_with_pagination(client, news_index):
    for n in range(12):
        NewsPageFactory(parent=news_index, title=f"Indlæg {n:02d}")
    first = client.get(news_index.url).content.decode()
    assert first.index("Indlæg 11") < first.index("Indlæg 10")
    assert "Indlæg 01" not in first
    second = client.get(news_index.url + "?side=2").content.decode()
    assert "Indlæg 01" in second and "Indlæg 11" not in second


def test_post_is_filed_under_its_categories_and_tags(client, news_index):
    category = NewsCategoryFactory(name="Viden", slug="viden")
    post = NewsPageFactory(parent=news_index, title="Tredje sektor i tal")
    post.categories = [category]
    post.tags.add("civilsamfund")
    post.save_revision().publish()

    html = client.get(post.url).content.decode()
    assert "Arkiveret under" in html
    assert f'href="{news_index.url}kategori/viden/"' in html
    assert f'href="{news_index.url}emne/civilsamfund/"' in html


def test_a_post_with_a_danish_slug_links_to_its_archive(client, news_index):
    category = NewsCategoryFactory(name="Viden", slug="viden")
    post = NewsPageFactory(parent=news_index, title="Ældrepleje", slug="ældrepleje")
    post.categories = [category]
    post.save_revision().publish()

    html = client.get(post.url).content.decode()
    assert f'href="{news_index.url}kategori/viden/"' in html
    assert f'href="{news_index.url}feed/rss/"' in html


def test_a_preview_of_a_draft_never_files_the_live_post_under_the_drafts_categories(
    client, news_index
):
    """What a post page keeps per worker (its categories and tags) is never taken from a
    preview: the editor's draft must not reach visitors."""
    live_category = NewsCategoryFactory(name="Udgivet kategori", slug="udgivet")
    draft_category = NewsCategoryFactory(name="Kladdekategori", slug="kladde")
    post = NewsPageFactory(parent=news_index, title="Med kladde")
    post.categories = [live_category]
    post.save_revision().publish()

    draft = type(post).objects.get(pk=post.pk)
    draft.categories = [draft_category]
    draft.tags.add("kladdeemne")
    draft.save_revision()
    preview = draft.get_latest_revision_as_object().make_preview_request()
    assert "Kladdekategori" in preview.content.decode()

    html = client.get(post.url).content.decode()
    assert "Udgivet kategori" in html
    assert "Kladdekategori" not in html and "kladdeemne" not in html


def test_a_renamed_tag_shows_at_once(client, news_index):
    from taggit.models import Tag

    post = NewsPageFactory(parent=news_index, title="Med emne")
    post.tags.add("gammelt emne")
    post.save_revision().publish()
    assert "gammelt emne" in client.get(post.url).content.decode()

    tag = Tag.objects.get(name="gammelt emne")
    tag.name = "nyt emne"
    tag.save()

    html = client.get(post.url).content.decode()
    assert "nyt emne" in html and "gammelt emne" not in html


def test_category_and_tag_listings_show_only_matching_posts(client, news_index):
    category = NewsCategoryFactory(name="Cases", slug="cases")
    filed = NewsPageFactory(parent=news_index, title="Vågekoner i Vejle")
    filed.categories = [category]
    filed.tags.add("frivillige")
    filed.save_revision().publish()
    NewsPageFactory(parent=news_index, title="Anden nyhed")

    by_category = client.get(news_index.url + "kategori/cases/").content.decode()
    assert "Vågekoner i Vejle" in by_category and "Anden nyhed" not in by_category
    by_tag = client.get(news_index.url + "emne/frivillige/").content.decode()
    assert "Vågekoner i Vejle" in by_tag and "Anden nyhed" not in by_tag
    assert client.get(news_index.url + "kategori/findes-ikke/").status_code == 404


def test_previous_and_next_links_between_posts(client, news_index):
    older = NewsPageFactory(parent=news_index, title="Ældst")
    middle = NewsPageFactory(parent=news_index, title="Midt")
    newer = NewsPageFactory(parent=news_index, title="Nyest")
    html = client.get(middle.url).content.decode()
    assert f'rel="prev" href="{older.url}"' in html
    assert f'rel="next" href="{newer.url}"' in html


def test_members_only_post_is_hidden_from_the_public_archive(client, news_index):
    secret = NewsPageFactory(parent=news_index, title="Kun for medlemmer XYZ")
    restrict_to_members(secret)
    NewsPageFactory(parent=news_index, title="Offentlig nyhed")
    assert "Kun for medlemmer XYZ" not in client.get(news_index.url).content.decode()
    assert "Kun for medlemmer XYZ" not in client.get("/").content.decode()

    client.force_login(MemberFactory())
    assert "Kun for medlemmer XYZ" in client.get(news_index.url).content.decode()
