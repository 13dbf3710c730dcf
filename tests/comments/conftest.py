import time

import pytest
from django.core import signing
from django.test import TestCase

from comments.forms import TIMESTAMP_SALT
from tests.factories import NewsIndexPageFactory, NewsPageFactory


@pytest.fixture
def post(home_page):
    index = NewsIndexPageFactory(parent=home_page)
    return NewsPageFactory(parent=index, title="Velfærd i nye former")


def started(seconds_ago: float = 60) -> str:
    """The form's signed timestamp, as if it was shown ``seconds_ago``."""
    return signing.dumps(time.time() - seconds_ago, salt=TIMESTAMP_SALT)


def comment_data(**overrides) -> dict:
    data = {
        "name": "Lone Læser",
        "email": "lone@example.dk",
        "body": "Et godt indlæg om samskabelse.",
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


def write(client, page, **overrides):
    """Post the public comment form; e-mails leave after COMMIT, as outside tests."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/kommentarer/{page.pk}/", comment_data(**overrides))
