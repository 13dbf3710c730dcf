import pytest
import wagtail_factories

from newsletters.models import NewsletterIndexPage, NewsletterPage


class NewsletterIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsletterIndexPage

    title = "Nyhedsbreve"
    slug = "nyhedsbrev-arkiv"


class NewsletterPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsletterPage

    title = "Nyhedsbrev november 2026"
    body = [("text", "<p>Kære læser, her er nyt fra netværket.</p>")]


@pytest.fixture
def archive(home_page):
    return NewsletterIndexPageFactory(parent=home_page)


@pytest.fixture
def issue(archive):
    return NewsletterPageFactory(parent=archive)
