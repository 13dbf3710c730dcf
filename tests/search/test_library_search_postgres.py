"""The library search and teaser privacy tests again, on PostgreSQL: there ranking, counting and
paging run through SQL of their own (``search.backends.database``, migration 0003)."""

import pytest

from tests.search.test_library_search import *  # noqa: F403
from tests.search.test_teaser_privacy import *  # noqa: F403

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
