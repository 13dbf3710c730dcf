"""What the public sees of a members-only case in search: its teaser, never its full text.

Not in the hits, not in the snippet, not in the order of the hits.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from search import services
from tests.factories import CasePageFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

MARKER = "lukketmarkoer"
TEASER = "Sociale investeringer i Aalborg Et resumé om investorer og kommuner."


@pytest.fixture
def members_case(case_bank):
    return CasePageFactory(
        parent=case_bank,
        title="Sociale investeringer i Aalborg",
        summary="Et resumé om investorer og kommuner.",
        challenge=f"<p>Udfordringen: {MARKER} i budgettet.</p>",
        solution=f"<p>Løsningen bygger på {MARKER}.</p>",
        partners=f"Fonden {MARKER} og Aalborg Kommune",
        results=f"<p>Sociale investeringer gav {MARKER}.</p>",
        members_only=True,
    )


def plain(snippet) -> str:
    return re.sub(r"</?mark>", "", str(snippet))


@pytest.mark.parametrize("who", ["anonymous", "non-member"])
def test_the_public_cannot_find_members_only_full_text(client, members_case, case_bank, who):
    user = AnonymousUser() if who == "anonymous" else UserFactory()
    if who != "anonymous":
        client.force_login(user)

    assert services.library_search(user, query=MARKER, kind="cases").hits == []
    assert services.library_search(user, query=MARKER).hits == []
    assert services.site_search(user, MARKER).total == 0
    for url in (case_bank.url, "/soeg/", "/soeg/bibliotek/"):
        html = client.get(url, {"q": MARKER}).content.decode()
        assert "Sociale investeringer" not in html
        assert 'class="search-hit"' not in html and "search-hit__snippet" not in html


@pytest.mark.parametrize("who", ["anonymous", "non-member"])
def test_searching_the_public_title_snippets_the_teaser_only(client, members_case, case_bank, who):
    user = AnonymousUser() if who == "anonymous" else UserFactory()

    [hit] = services.library_search(user, query="sociale investeringer", kind="cases").hits
    [site_hit] = services.site_search(user, "sociale investeringer").page.object_list

    for found in (hit, site_hit):
        assert found.title == "Sociale investeringer i Aalborg"
        assert found.teaser_only
        assert "<mark>investeringer</mark>" in found.snippet
        assert plain(found.snippet) in TEASER
        assert MARKER not in found.snippet and "budget" not in found.snippet
    html = client.get(case_bank.url, {"q": "sociale investeringer"}).content.decode()
    assert "Sociale investeringer i Aalborg" in html and MARKER not in html


def test_a_member_finds_and_reads_the_full_text(client, members_case, case_bank):
    member = MemberFactory()
    client.force_login(member)

    [hit] = services.library_search(member, query=MARKER, kind="cases").hits

    assert not hit.teaser_only
    assert f"<mark>{MARKER}</mark>" in hit.snippet
    assert f"<mark>{MARKER}</mark>" in client.get(case_bank.url, {"q": MARKER}).content.decode()


@pytest.fixture
def two_members_cases(case_bank):
    """Same teaser match for "ældre"; only the second is about elderly people in its full text."""
    quiet = CasePageFactory(
        parent=case_bank,
        title="Frivillige i Nordby",
        summary="Et projekt for ældre i byen.",
        challenge="<p>Cykler og værksteder.</p>",
        members_only=True,
    )
    loud = CasePageFactory(
        parent=case_bank,
        title="Frivillige i Sydby",
        summary="Et projekt for ældre i byen.",
        challenge="<p>" + "Ældre hjælper ældre, og ældre mødes. " * 8 + "</p>",
        members_only=True,
    )
    return quiet, loud


def test_the_order_of_members_only_hits_follows_their_teaser_for_the_public(two_members_cases):
    quiet, loud = two_members_cases
    by_teaser = [quiet.title, loud.title]  # equal teaser match: the older page first
    by_full_text = [loud.title, quiet.title]

    for user in (AnonymousUser(), UserFactory()):
        library = services.library_search(user, query="ældre", kind="cases")
        assert [hit.title for hit in library.hits] == by_teaser
        site = services.site_search(user, "ældre")
        assert [hit.title for hit in site.page.object_list] == by_teaser
    member = services.library_search(MemberFactory(), query="ældre", kind="cases")
    assert [hit.title for hit in member.hits] == by_full_text
