"""A search that finds nothing offers a spelling the index knows ("did you mean"), never one
only members-only text holds; result listings (site, case bank, library, forum) show
highlighted snippets of the text readers see, not raw rich text or Markdown.

The same tests run on PostgreSQL (trigram similarity) with ``DATABASE_URL`` set.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum import services as forum
from forum.models import Category
from home.models import StandardPage
from search import services
from tests.factories import CasePageFactory, ResourcePageFactory, make_member


def add_page(parent, title, intro=""):
    return parent.add_child(instance=StandardPage(title=title, intro=intro))


# --- Did you mean --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, meant",
    [
        ("frivilige", "frivillige"),
        ("partnerskaer", "partnerskaber"),
        ("partnerskaber samarbjede", "partnerskaber samarbejde"),
    ],
)
def test_a_misspelt_search_suggests_what_the_index_knows(client, home_page, typed, meant):
    add_page(home_page, "Frivillige i kommunerne", "Kommuner indgår partnerskaber og samarbejde.")

    result = services.site_search(None, typed)

    assert result.total == 0
    assert result.did_you_mean == meant
    html = client.get("/soeg/", {"q": typed}).content.decode()
    assert "Mente du:" in html
    assert f"?q={meant.replace(' ', '%20')}" in html


@pytest.mark.django_db
def test_nothing_is_suggested_for_words_far_from_the_vocabulary(home_page):
    add_page(home_page, "Frivillige i kommunerne")
    assert services.site_search(None, "xylofon").did_you_mean == ""


@pytest.mark.django_db
def test_library_and_case_bank_suggest_a_spelling(client, library, case_bank):
    ResourcePageFactory(parent=library, title="Guide til partnerskaber")
    CasePageFactory(parent=case_bank, title="Cykelbyen", summary="Cykelstier i byen.")

    result = services.library_search(None, query="partnerskaer", kind="resources")
    assert result.total == 0
    assert result.suggestions.did_you_mean == "partnerskaber"

    html = client.get(case_bank.url, {"q": "cykelstir"}).content.decode()
    assert "Mente du:" in html and "cykelstier" in html


@pytest.mark.django_db
def test_members_only_words_are_never_suggested_to_the_public(case_bank):
    CasePageFactory(
        parent=case_bank,
        title="Intern case",
        summary="Offentligt resumé.",
        challenge="<p>Fortrolige forhandlingsnotater</p>",
        members_only=True,
    )
    member = make_member(username="medlem@vejle.dk")

    public = services.library_search(None, query="forhandlingsnotatr", kind="cases")
    members = services.library_search(member, query="forhandlingsnotatr", kind="cases")

    assert public.suggestions.did_you_mean == ""
    assert members.suggestions.did_you_mean == "forhandlingsnotater"


# --- Snippets ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_bank_snippets_are_rendered_text_with_highlights(client, case_bank):
    CasePageFactory(
        parent=case_bank,
        title="Ældre og frivillige",
        summary="Om ældre.",
        challenge="<p>Ensomhed blandt ældre &amp; pårørende.</p><p>Frivillige hjælper.</p>",
    )

    [hit] = services.library_search(None, query="frivillig", kind="cases").hits

    assert "<p>" not in hit.snippet and "&amp;amp;" not in hit.snippet
    assert "pårørende. <mark>Frivillige</mark> hjælper." in hit.snippet
    html = client.get(case_bank.url, {"q": "frivillig"}).content.decode()
    assert "<mark>Frivillige</mark> hjælper" in html


@pytest.mark.django_db
def test_library_snippets_are_rendered_text_with_highlights(library):
    ResourcePageFactory(
        parent=library,
        title="Rapport",
        abstract="Om partnerskaber.",
        body="<h2>Resultater</h2><p>Partnerskaber <b>virker</b> i <i>kommunerne</i>.</p>",
    )
    member = make_member(username="medlem@vejle.dk")

    [hit] = services.library_search(member, query="kommune", kind="resources").hits

    assert "<b>" not in hit.snippet and "<h2>" not in hit.snippet
    assert "<mark>kommunerne</mark>" in hit.snippet


@pytest.mark.django_db
def test_forum_search_shows_rendered_posts_with_highlights(client, home_page):
    member = make_member(username="mette@vejle.dk", email="mette@vejle.dk")
    member.date_joined = timezone.now() - datetime.timedelta(days=60)
    member.save()
    client.force_login(member)
    category = Category.objects.create(name="Partnerskaber", slug="partnerskaber")
    forum.start_thread(
        member,
        category=category,
        title="Erfaringer",
        body="**Frivillige** i [Vejle](https://vejle.dk) _hjælper_ ældre.\n\n- punkt",
    )

    html = client.get("/medlemmer/forum/soeg/", {"q": "frivillige"}).content.decode()

    assert "**" not in html and "](https://vejle.dk)" not in html and "_hjælper_" not in html
    assert "<mark>Frivillige</mark> i Vejle hjælper ældre." in html


@pytest.mark.django_db
def test_site_search_snippets_show_the_text_blocks_of_a_stream_field(client, home_page):
    """Headings, paragraphs and call-to-action texts make the snippet; choice values, URLs and
    chosen pages do not, and no chosen page is loaded to make it (no query per hit)."""
    body = json.dumps(
        [
            {"type": "heading", "value": {"text": "Frivillige i Vejle", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Frivillige <b>besøger</b> ældre.</p>"},
            {
                "type": "call_to_action",
                "value": {
                    "title": "Bliv frivillig",
                    "text": "",
                    "page": home_page.pk,
                    "url": "https://example.org/frivillig",
                    "button_label": "Læs mere",
                },
            },
        ]
    )

    def queries() -> int:
        client.get("/soeg/", {"q": "frivillig"})
        with CaptureQueriesContext(connection) as captured:
            client.get("/soeg/", {"q": "frivillig"})
        return len(captured)

    home_page.add_child(instance=StandardPage(title="Side 0", body=body))
    one = queries()
    for number in (1, 2):
        home_page.add_child(instance=StandardPage(title=f"Side {number}", body=body))
    three = queries()
    [hit, *_] = services.site_search(None, "frivillig").page.object_list

    assert three == one
    assert (
        "<mark>Frivillige</mark> i Vejle <mark>Frivillige</mark> besøger ældre. "
        "Bliv <mark>frivillig</mark>" in hit.snippet
    )
    assert "h2" not in hit.snippet and "example.org" not in hit.snippet
