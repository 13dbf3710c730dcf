import pytest

from cases.models import CaseIndexPage, CasePage
from home.models import HomePage, StandardPage
from tests.factories import (
    CasePageFactory,
    MemberFactory,
    UserFactory,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db
MARKER = "HEMMELIG-CASE-7Q2"


@pytest.fixture
def members_case(case_bank):
    return CasePageFactory(
        parent=case_bank,
        title="Sociale investeringer",
        members_only=True,
        summary="Offentligt resumé om investorer.",
        challenge=f"<p>Udfordring {MARKER}</p>",
        results=f"<p>Resultat {MARKER}</p>",
    )


def test_cases_live_only_in_the_case_bank():
    assert CasePage.can_create_at(CaseIndexPage())
    assert not CasePage.can_create_at(HomePage())
    assert not CasePage.can_create_at(StandardPage())
    assert CaseIndexPage.can_create_at(HomePage())


def test_seven_questions_are_seeded_as_themes():
    from taxonomy.models import Actor, Theme

    assert Theme.objects.count() == 7
    assert Theme.objects.filter(name__icontains="skalering").exists()
    assert set(Actor.objects.values_list("slug", flat=True)) == {
        "offentlig-sektor",
        "virksomheder",
        "frivillige",
        "civilsamfund",
        "borgere",
    }


def test_public_sees_only_the_teaser_of_a_members_only_case(client, members_case):
    html = client.get(members_case.url).content.decode()
    assert "Offentligt resumé om investorer." in html
    assert "Log ind som medlem" in html
    assert MARKER not in html


def test_logged_in_non_member_also_sees_only_the_teaser(client, members_case):
    client.force_login(UserFactory())
    html = client.get(members_case.url).content.decode()
    assert MARKER not in html and "Log ind som medlem" in html


def test_member_sees_the_whole_case(client, members_case):
    client.force_login(MemberFactory())
    html = client.get(members_case.url).content.decode()
    assert MARKER in html
    assert "Log ind som medlem" not in html


def test_public_case_is_shown_in_full(client, case_bank):
    case = CasePageFactory(parent=case_bank, challenge="<p>Alle må læse dette.</p>")
    assert "Alle må læse dette." in client.get(case.url).content.decode()


def test_case_bank_lists_cases_with_stage_facet(client, case_bank):
    CasePageFactory(parent=case_bank, title="Pilot i Vejle", stage="pilot")
    CasePageFactory(parent=case_bank, title="Skaleret i Aarhus", stage="scaled")
    html = client.get(case_bank.url + "?fase=pilot").content.decode()
    assert "Pilot i Vejle" in html and "Skaleret i Aarhus" not in html


def test_theme_links_point_to_the_case_bank(client, case_bank):
    from taxonomy.models import Theme

    themes = [Theme.objects.create(name=f"Tema {n}", slug=f"tema-{n}") for n in range(3)]
    case = CasePageFactory(parent=case_bank, slug="tre-temaer")
    case.themes.set(themes)
    case.save_revision().publish()

    html = client.get(case.url).content.decode()
    for theme in themes:
        assert f'href="{case_bank.url}?tema={theme.slug}"' in html


def test_related_cases_are_listed_as_the_visitor_may_open_them(client, case_bank):
    from cases.models import RelatedCase

    case = CasePageFactory(parent=case_bank, slug="med-relaterede")
    public = CasePageFactory(parent=case_bank, title="Åben nabo-case")
    teaser = CasePageFactory(parent=case_bank, title="Nabo kun for medlemmer", members_only=True)
    closed = CasePageFactory(parent=case_bank, title="Lukket nabo-case")
    restrict_to_members(closed)
    draft = CasePageFactory(parent=case_bank, title="Kladde-nabo", live=False)
    for order, other in enumerate([public, teaser, closed, draft]):
        RelatedCase.objects.create(page=case, case=other, sort_order=order)

    html = client.get(case.url).content.decode()
    assert f'<a href="{public.url}">Åben nabo-case</a>' in html
    # A members-only case's title is part of its public teaser.
    assert f'<a href="{teaser.url}">Nabo kun for medlemmer</a>' in html
    assert "Lukket nabo-case" not in html and "Kladde-nabo" not in html


def test_the_case_bank_url_is_found_without_loading_the_case_bank(
    case_bank, django_assert_num_queries
):
    case = CasePageFactory(parent=case_bank, slug="børn-og-unge")
    assert "b%C3%B8rn-og-unge" in case.url
    case = CasePage.objects.get(pk=case.pk)
    case.get_url()  # the site's root paths, read once
    with django_assert_num_queries(0):
        assert case.parent_url() == case_bank.url


def test_a_renamed_theme_shows_at_once(client, case_bank):
    from taxonomy.models import Theme

    theme = Theme.objects.create(name="Gammelt navn", slug="tema-navn")
    case = CasePageFactory(parent=case_bank, slug="omdoebt-tema")
    case.themes.set([theme])
    case.save_revision().publish()
    assert "Gammelt navn" in client.get(case.url).content.decode()

    theme.name = "Nyt navn"
    theme.save()
    html = client.get(case.url).content.decode()
    assert "Nyt navn" in html and "Gammelt navn" not in html


def test_a_preview_of_a_draft_never_shows_its_themes_or_related_cases_to_visitors(
    client, case_bank
):
    from cases.models import RelatedCase
    from taxonomy.models import Theme

    published, drafted = (
        Theme.objects.create(name="Udgivet tema", slug="udgivet"),
        Theme.objects.create(name="Kladdetema", slug="kladde"),
    )
    neighbour = CasePageFactory(parent=case_bank, title="Kladdens nabo")
    case = CasePageFactory(parent=case_bank, slug="med-kladde")
    case.themes.set([published])
    case.save_revision().publish()

    draft = CasePage.objects.get(pk=case.pk)
    draft.themes.set([drafted])
    draft.related_cases.add(RelatedCase(case=neighbour))
    draft.save_revision()
    preview = draft.get_latest_revision_as_object().make_preview_request()
    assert "Kladdetema" in preview.content.decode()

    html = client.get(case.url).content.decode()
    assert "Udgivet tema" in html
    assert "Kladdetema" not in html and "Kladdens nabo" not in html
