import smtplib

import pytest
import wagtail_factories
from django.core.mail.backends.base import BaseEmailBackend

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


class SMTPDownBackend(BaseEmailBackend):
    """The mail server is unreachable: every send fails as smtplib fails."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "mail.example.dk: service not available")


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.newsletters.conftest.SMTPDownBackend"

    def recover():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return recover


def make_subscribers(*emails, status="active"):
    from newsletters import services
    from newsletters.models import Subscriber

    lists = services.default_lists()
    subscribers = []
    for email in emails:
        subscriber = Subscriber.objects.create(email=email, status=status)
        subscriber.lists.set(lists)
        subscribers.append(subscriber)
    return subscribers
