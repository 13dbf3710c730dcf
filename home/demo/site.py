"""Demo site settings, the home page's own content and the "about" pages."""

from __future__ import annotations

from wagtail.models import Locale, Site

from ..models import HomePage, SiteSettings, StandardPage
from .building import SITE_NAME, child_by_slug, demo_image, heading, rich, translate

SEVEN_QUESTIONS_DA = [
    "Hvor kan ikke-offentlige aktører bidrage til løsningen af velfærdsopgaverne?",
    "Hvordan strukturerer vi partnerskaber mellem kommune, civilsamfund, virksomheder og borgere?",
    "Hvordan beskytter vi de professionelle job, når nye aktører løser opgaver?",
    "Hvordan fastholder vi kvaliteten, når ikke-professionelle partnere bidrager?",
    "Hvilke incitamenter virker for virksomheder og borgere?",
    "Hvordan spiller nye partnere og de professionelle medarbejdere sammen i hverdagen?",
    "Hvordan bliver nye løsninger bæredygtige og skalerbare?",
]
SEVEN_QUESTIONS_EN = [
    "Where can non-public actors contribute to solving welfare tasks?",
    "How do we structure partnerships between municipality, civil society, companies and citizens?",
    "How do we protect professional jobs when new actors take on tasks?",
    "How do we keep quality high when non-professional partners contribute?",
    "Which incentives work for companies and citizens?",
    "How do new partners and professional staff work together day to day?",
    "How do new solutions become sustainable and scalable?",
]


def _ordered_list(items: list[str]) -> str:
    return "<ol>" + "".join(f"<li>{item}</li>" for item in items) + "</ol>"


def load_site_settings(site: Site) -> None:
    settings = SiteSettings.for_site(site)
    settings.organisation_name = SITE_NAME
    settings.host_institution = "Sekretariatet, Teknologisk Institut"
    settings.address = "Gregersensvej 1\n2630 Taastrup"
    settings.email = "socialinnovation@example.dk"
    settings.phone = "+45 72 20 00 00"
    settings.footer_text = (
        "Netværket samler 30 kommuner om social innovation: nye måder at løse velfærdsopgaver "
        "på sammen med civilsamfund, virksomheder og borgere."
    )
    settings.default_meta_description = (
        "Kommunalt netværk for social innovation: cases, viden, arrangementer og et forum for "
        "medarbejdere i medlemskommunerne."
    )
    settings.save()


def load_home(home: HomePage, en: Locale) -> HomePage:
    if home.hero_image_id is None:
        home.hero_image = demo_image("Netværket samlet", (11, 94, 85), (232, 183, 58))
        home.listing_summary = (
            "30 kommuner udvikler sammen nye løsninger på velfærdens udfordringer."
        )
        home.body = [
            heading("Hvorfor social innovation?"),
            *rich(
                "Kommunerne står med flere ældre borgere, stigende forventninger og stramme "
                "budgetter. Social innovation handler om at finde nye svar sammen med dem, der "
                "har viden, tid og lyst: frivillige, foreninger, virksomheder og borgerne selv."
            ),
        ]
        home.save_revision().publish()
    return translate(
        home,
        en,
        title="Home",
        slug="home",
        hero_title="The Municipal Network on Social Innovation",
        hero_text=(
            "30 municipalities develop new answers to the challenges of welfare – together "
            "with civil society, companies and citizens."
        ),
        listing_summary="30 municipalities developing new welfare solutions together.",
        body=[
            heading("Why social innovation?"),
            *rich(
                "Municipalities face more older citizens, rising expectations and tight budgets. "
                "Social innovation means finding new answers together with those who have the "
                "knowledge, time and will: volunteers, associations, companies and citizens."
            ),
        ],
    )


def load_about(home: HomePage, en: Locale) -> None:
    about = child_by_slug(
        home,
        StandardPage,
        "om-netvaerket",
        title="Om netværket",
        show_in_menus=True,
        intro=(
            "Netværket for Social Innovation er et samarbejde mellem 30 kommuner, der vil lære "
            "af hinanden og af forskningen om, hvordan nye partnerskaber kan løfte velfærden."
        ),
        listing_summary="30 kommuner, syv fælles spørgsmål og et sekretariat hos Teknologisk Institut.",
        body=[
            *rich(
                "Netværket blev etableret af Teknologisk Institut sammen med en kreds af "
                "kommuner, der ønskede et fælles rum for at udvikle og afprøve nye løsninger "
                "på velfærdsområdet. I dag er 30 kommuner fra hele landet med.",
                "Medlemmerne mødes to gange om året til en hel dag: en konference med danske "
                "og internationale eksperter og en workshop med gruppearbejde om egne cases. "
                "Hertil kommer 2–3 temaeftermiddage om året, der også er åbne for "
                "ikke-medlemmer.",
            ),
            heading("De syv spørgsmål"),
            (
                "paragraph",
                "<p>Netværkets arbejde tager udgangspunkt i syv spørgsmål:</p>"
                + _ordered_list(SEVEN_QUESTIONS_DA),
            ),
            (
                "quote",
                {
                    "text": "Vi kan ikke løse morgendagens opgaver med gårsdagens "
                    "arbejdsdeling. Vi skal finde nye partnere – og gøre det ordentligt.",
                    "attribution": "Medlem af netværkets styregruppe",
                },
            ),
        ],
    )
    translate(
        about,
        en,
        title="About the network",
        slug="about",
        intro=(
            "The Municipal Network on Social Innovation brings together 30 municipalities that "
            "learn from each other and from research how new partnerships can improve welfare."
        ),
        listing_summary="30 municipalities, seven shared questions, a secretariat at the Danish "
        "Technological Institute.",
        body=[
            *rich(
                "The network was founded by the Danish Technological Institute with a group of "
                "municipalities that wanted a shared space to develop and test new welfare "
                "solutions. Today 30 municipalities from all over Denmark take part.",
                "Members meet twice a year for a whole day: a conference with Danish and "
                "international experts, and a workshop with group work on their own cases. "
                "In addition, 2–3 themed afternoon events a year are open to non-members.",
            ),
            heading("The seven questions"),
            (
                "paragraph",
                "<p>The network's work starts from seven questions:</p>"
                + _ordered_list(SEVEN_QUESTIONS_EN),
            ),
        ],
    )

    membership = child_by_slug(
        home,
        StandardPage,
        "medlemskab",
        title="Medlemskab",
        show_in_menus=True,
        intro="Medlemskab er for kommuner. Alle medarbejdere i en medlemskommune får adgang.",
        body=[
            *rich(
                "Som medlem får kommunens medarbejdere adgang til netværkets casebank med danske "
                "og internationale initiativer, det fulde vidensbibliotek, forummet og de to "
                "årlige netværksdage.",
                "Kontakt sekretariatet for at høre om medlemskab for jeres kommune.",
            ),
        ],
    )
    translate(
        membership,
        en,
        title="Membership",
        slug="membership",
        intro="Membership is for municipalities. All staff of a member municipality get access.",
        body=rich(
            "Staff of member municipalities get access to the case bank of Danish and "
            "international initiatives, the full resource library, the forum and the two "
            "annual network days.",
            "Contact the secretariat to discuss membership for your municipality.",
        ),
    )
    # The contact page is a form page (contact.demo), as is the join form under membership.
