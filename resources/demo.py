"""Demo resources of every type, some members-only with a small generated PDF."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale

from core.demo import demo_loader
from home.demo import child_by_slug, translate
from taxonomy.models import Actor, Theme
from taxonomy.seed import seed_taxonomy

from .models import LibraryPage, ResourcePage

RESOURCES = [
    dict(
        slug="civilsamfundets-rolle-i-velfaerden",
        title="Civilsamfundets rolle i velfærden",
        resource_type="report",
        authors="Teknologisk Institut",
        publisher="Teknologisk Institut",
        year=2025,
        themes=["ikke-offentlige-aktoerer"],
        abstract="Kortlægning af, hvor foreninger og frivillige bidrager til kommunale velfærdsopgaver.",
    ),
    dict(
        slug="partnerskabsguide",
        title="Guide til sociale partnerskaber",
        resource_type="report",
        authors="Netværket for Social Innovation",
        year=2026,
        themes=["partnerskaber"],
        members_only=True,
        pdf=True,
        abstract="Trin for trin: fra idé til aftale mellem kommune, forening og virksomhed.",
    ),
    dict(
        slug="social-innovation-in-europe",
        title="Social Innovation in Europe",
        resource_type="book",
        authors="R. Murray, J. Caulier-Grice, G. Mulgan",
        publisher="NESTA",
        year=2010,
        language="en",
        themes=["baeredygtighed-skalering"],
        abstract="The open book of social innovation: methods for developing and growing social innovations.",
    ),
    dict(
        slug="frivillighed-i-tal",
        title="Frivillighed i tal",
        resource_type="article",
        authors="Center for Frivilligt Socialt Arbejde",
        year=2024,
        themes=["kvalitet"],
        abstract="Hvem er de frivillige, og hvor meget tid lægger de i sociale indsatser?",
    ),
    dict(
        slug="vidensportal-om-socialt-arbejde",
        title="Vidensportal om socialt arbejde",
        resource_type="link",
        external_url="https://example.org/vidensportal",
        year=2026,
        themes=["samspil"],
        abstract="Samling af evalueringer og forskning om sociale indsatser.",
    ),
    dict(
        slug="nyhedsbrev-marts-2026",
        title="Netværkets nyhedsbrev, marts 2026",
        resource_type="newsletter",
        authors="Sekretariatet",
        year=2026,
        themes=["partnerskaber"],
        abstract="Opsamling fra workshoppen om partnerskaber og nye cases i casebanken.",
    ),
    dict(
        slug="oplaeg-fra-konferencen-video",
        title="Oplæg fra konferencen: skalering der virker",
        resource_type="video",
        external_url="https://example.org/video/skalering",
        year=2026,
        language="en",
        themes=["baeredygtighed-skalering"],
        members_only=True,
        abstract="Optagelse af hovedtalen ved netværkets forårskonference.",
    ),
    dict(
        slug="incitamenter-for-virksomheder",
        title="Incitamenter for virksomheder i sociale partnerskaber",
        resource_type="article",
        authors="Sekretariatet",
        year=2026,
        themes=["incitamenter"],
        members_only=True,
        pdf=True,
        abstract="Hvad motiverer virksomheder til at indgå i sociale partnerskaber med kommuner?",
    ),
]


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF with ``text`` (ASCII) - no PDF library needed."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


ENGLISH = {
    "civilsamfundets-rolle-i-velfaerden": (
        "civil-society-in-welfare",
        "The role of civil society in welfare",
        "A mapping of where associations and volunteers contribute to municipal welfare tasks.",
    ),
    "partnerskabsguide": (
        "partnership-guide",
        "Guide to social partnerships",
        "Step by step: from idea to agreement between municipality, association and business.",
    ),
    "social-innovation-in-europe": (
        "social-innovation-in-europe",
        "Social Innovation in Europe",
        "The open book of social innovation: methods for developing and growing social "
        "innovations.",
    ),
    "frivillighed-i-tal": (
        "volunteering-in-figures",
        "Volunteering in figures",
        "Who are the volunteers, and how much time do they give to social initiatives?",
    ),
    "vidensportal-om-socialt-arbejde": (
        "knowledge-portal-on-social-work",
        "Knowledge portal on social work",
        "A collection of evaluations and research on social initiatives.",
    ),
    "nyhedsbrev-marts-2026": (
        "newsletter-march-2026",
        "The network's newsletter, March 2026",
        "Round-up of the partnership workshop and new cases in the case bank.",
    ),
    "oplaeg-fra-konferencen-video": (
        "conference-talk-video",
        "Conference talk: scaling that works",
        "Recording of the keynote at the network's spring conference.",
    ),
    "incitamenter-for-virksomheder": (
        "incentives-for-businesses",
        "Incentives for businesses in social partnerships",
        "What motivates businesses to enter social partnerships with municipalities?",
    ),
}


def load_english(library: LibraryPage) -> None:
    """The library and every resource in English (titles and abstracts translated)."""
    en = Locale.objects.get(language_code="en")
    translate(
        library,
        en,
        title="Library",
        slug="library",
        intro="<p>Articles, reports, books, links and newsletters on social innovation.</p>",
        listing_summary="Knowledge on social innovation: reports, articles, books and links.",
    )
    for resource in ResourcePage.objects.child_of(library).filter(slug__in=ENGLISH):
        slug, title, abstract = ENGLISH[resource.slug]
        translate(resource, en, slug=slug, title=title, abstract=abstract)


@demo_loader(order=20)
def load(home_page) -> dict:
    library = child_by_slug(
        home_page,
        LibraryPage,
        "bibliotek",
        title="Vidensbibliotek",
        show_in_menus=True,
        intro="<p>Artikler, rapporter, bøger, links og nyhedsbreve om social innovation.</p>",
        listing_summary="Viden om social innovation: rapporter, artikler, bøger og links.",
    )
    seed_taxonomy(Theme, Actor)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    Document = get_document_model()
    for data in RESOURCES:
        if ResourcePage.objects.child_of(library).filter(slug=data["slug"]).exists():
            continue
        fields = {k: v for k, v in data.items() if k not in {"themes", "pdf"}}
        resource = ResourcePage(**fields)
        if data.get("pdf"):
            resource.document = Document.objects.create(
                title=data["title"],
                file=ContentFile(tiny_pdf(data["slug"]), name=f"{data['slug']}.pdf"),
            )
        resource.themes = [themes[slug] for slug in data["themes"]]
        library.add_child(instance=resource)
        resource.save_revision().publish()
    load_english(library)
    return {"resources": ResourcePage.objects.child_of(library).count()}
