"""The members' start page shows what is new for the member, in a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import services as forum
from forum.models import Category
from tests.factories import (
    CaseIndexPageFactory,
    CasePageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    LibraryPageFactory,
    ResourcePageFactory,
    make_member,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_page):
    member = make_member(username="mette@vejle.dk")
    member.date_joined = timezone.now() - datetime.timedelta(days=60)
    member.save()
    return {
        "member": member,
        "category": Category.objects.create(name="Partnerskaber", slug="partnerskaber"),
        "events": EventIndexPageFactory(parent=home_page),
        "cases": CaseIndexPageFactory(parent=home_page),
        "library": LibraryPageFactory(parent=home_page),
    }


def _add_content(site, n: int) -> None:
    forum.start_thread(
        site["member"], category=site["category"], title=f"Tråd om aftaler {n}", body="Hej"
    )
    EventPageFactory(parent=site["events"], title=f"Netværksmøde {n}")
    CasePageFactory(parent=site["cases"], title=f"Ny case {n}")
    ResourcePageFactory(parent=site["library"], title=f"Ny rapport {n}")


def test_dashboard_shows_forum_activity_events_cases_and_resources(client, site):
    _add_content(site, 1)
    past = EventPageFactory(parent=site["events"], title="Afholdt seminar")
    past.start = timezone.now() - datetime.timedelta(days=10)
    past.end = past.start + datetime.timedelta(hours=3)
    past.save_revision().publish()
    client.force_login(site["member"])
    html = client.get("/medlemmer/").content.decode()
    for title in ("Tråd om aftaler 1", "Netværksmøde 1", "Ny case 1", "Ny rapport 1"):
        assert title in html, title
    assert "Afholdt seminar" not in html


def test_dashboard_lists_only_events_the_member_may_see(client, site, home_page):
    staff_only = EventPageFactory(parent=site["events"], title="Bestyrelsesmøde")
    restriction = restrict_to_members(staff_only)
    restriction.groups.clear()  # an editors-only page: not even members may open it
    client.force_login(site["member"])
    assert "Bestyrelsesmøde" not in client.get("/medlemmer/").content.decode()


def test_dashboard_queries_do_not_grow_with_content(client, site):
    client.force_login(site["member"])
    _add_content(site, 1)
    client.get("/medlemmer/")  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as few:
        client.get("/medlemmer/")
    for n in range(2, 6):
        _add_content(site, n)
    client.get("/medlemmer/")  # publishing purged the per-process lookups: refill them once
    with CaptureQueriesContext(connection) as many:
        html = client.get("/medlemmer/").content.decode()
    assert "Netværksmøde 5" in html and "Tråd om aftaler 5" in html
    assert len(many) == len(few), [q["sql"] for q in many]
    assert len(many) <= 25, len(many)
