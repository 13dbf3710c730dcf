"""The case bank's privacy tests (counts and filters on non-teaser fields) again, on PostgreSQL,
where the facet counts run through SQL of their own."""

import pytest

from tests.cases.test_case_bank_privacy import *  # noqa: F403

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
