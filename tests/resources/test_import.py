from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.models import CasePage
from resources.importing import import_csv
from resources.models import ResourcePage
from taxonomy.models import Actor, Theme
from taxonomy.seed import seed_taxonomy
from tests.factories import LibraryPageFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _taxonomy():
    """The network's themes and actors, seeded by a migration; a transactional test elsewhere in
    the run may have flushed them."""
    seed_taxonomy(Theme, Actor)


def test_good_file_imports_every_row_published(case_bank):
    report = import_csv((DATA / "cases_good.csv").read_text(), "cases")
    assert report.created == 2 and not report.rejected
    malmo = CasePage.objects.get(title="Nabohjælp i Malmö")
    assert malmo.live and malmo.members_only and malmo.country == "Sverige"
    horsens = CasePage.objects.get(municipality="Horsens")
    assert {t.slug for t in horsens.themes.all()} == {"samspil", "kvalitet"}
    assert horsens.challenge == "<p>Ensomhed ved måltiderne.</p>"


def test_bad_rows_are_reported_by_line_and_nothing_is_written(case_bank, capsys):
    with pytest.raises(CommandError):
        call_command("import_library", str(DATA / "cases_bad.csv"), kind="cases")
    output = capsys.readouterr().out
    assert "linje 3: stage:" in output
    assert "linje 4: municipality: En dansk case skal have en kommune." in output
    assert "linje 5: themes: Ukendt: findes-ikke" in output
    assert CasePage.objects.count() == 0  # not even the good row


def test_skip_invalid_imports_only_the_good_rows(case_bank):
    report = import_csv((DATA / "cases_bad.csv").read_text(), "cases", skip_invalid=True)
    assert report.created == 1 and len(report.rejected) == 3
    assert list(CasePage.objects.values_list("title", flat=True)) == ["God række"]


def test_dry_run_writes_nothing(case_bank):
    report = import_csv((DATA / "cases_good.csv").read_text(), "cases", dry_run=True)
    assert report.valid_rows == 2 and report.created == 0
    assert CasePage.objects.count() == 0


def test_duplicate_slugs_and_markup_in_resources(home_page):
    LibraryPageFactory(parent=home_page)
    text = (
        "title,resource_type,language,abstract,year,body,external_url\n"
        "Rapport,report,da,Et resumé,2024,<script>alert(1)</script>,\n"
        "Rapport,report,da,Samme titel,2024,,\n"
        "Portal,link,da,Mangler adresse,2024,,\n"
        "For gammel,book,en,Et resumé,1700,,\n"
    )
    report = import_csv(text, "resources", skip_invalid=True)
    reasons = dict(report.rejected)
    assert "slug findes allerede: rapport" in reasons[3]
    assert "external_url" in reasons[4]
    assert "year" in reasons[5]
    body = ResourcePage.objects.get(title="Rapport").body
    assert "<script>" not in body and "&lt;script&gt;" in body
