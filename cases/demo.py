"""Demo cases: Danish and international social innovation initiatives (some members-only)."""

from __future__ import annotations

from wagtail.models import Locale

from core.demo import demo_loader
from home.demo import child_by_slug, feature_pages, translate
from taxonomy.models import Actor, Theme
from taxonomy.seed import seed_taxonomy

from .models import CaseIndexPage, CasePage

CASES = [
    dict(
        slug="vaagekoner-i-vejle",
        title="Vågekoner: frivillige ved livets afslutning",
        municipality="Vejle",
        stage="running",
        themes=["ikke-offentlige-aktoerer", "samspil"],
        actors=["frivillige", "offentlig-sektor"],
        summary="Frivillige vågekoner sidder hos døende borgere, der ikke har pårørende, i tæt samarbejde med plejepersonalet.",
        challenge="Borgere uden pårørende risikerer at dø alene, og personalet har ikke tid til at sidde hos dem i timevis.",
        solution="En forening uddanner frivillige, som plejecentret kan tilkalde døgnet rundt. Ansvaret for plejen forbliver hos personalet.",
    ),
    dict(
        slug="buurtzorg-selvstyrende-hjemmepleje",
        title="Buurtzorg: selvstyrende hjemmeplejeteams",
        scope="international",
        country="Holland",
        stage="scaled",
        themes=["professionelle-job", "baeredygtighed-skalering"],
        actors=["offentlig-sektor", "borgere"],
        summary="Små selvstyrende teams af sygeplejersker organiserer hjemmeplejen omkring borgerens eget netværk.",
        challenge="Opsplittet hjemmepleje med mange forskellige medarbejdere hos den samme borger.",
        solution="Teams på 10-12 sygeplejersker med fuldt ansvar for et nabolag og minimal administration.",
    ),
    dict(
        slug="sociale-investeringer-i-beskaeftigelse",
        title="Sociale investeringer i beskæftigelse",
        municipality="Aarhus",
        stage="pilot",
        themes=["incitamenter", "partnerskaber"],
        actors=["virksomheder", "offentlig-sektor"],
        members_only=True,
        summary="En kommune og private investorer deler risikoen ved en ny beskæftigelsesindsats.",
        challenge="Nye indsatser er svære at finansiere, når gevinsten først viser sig efter flere år.",
        solution="Investorerne betaler indsatsen og får kun afkast, hvis flere borgere kommer i job. HEMMELIGT-DEMO-RESULTAT: 38 % i job efter 18 måneder.",
    ),
    dict(
        slug="biblioteket-som-borgerlaboratorium",
        title="Biblioteket som borgerlaboratorium",
        municipality="Odense",
        stage="running",
        themes=["ikke-offentlige-aktoerer", "samspil"],
        actors=["borgere", "civilsamfund"],
        summary="Lokale borgere bruger biblioteket til at afprøve egne idéer til fællesskaber i bydelen.",
        challenge="Få borgere bidrager til de lokale løsninger, selv om mange har lyst.",
        solution="Biblioteket stiller rum, vejledning og et lille idébudget til rådighed.",
    ),
    dict(
        slug="seniorbofaellesskaber",
        title="Seniorbofællesskaber som forebyggelse",
        municipality="Holstebro",
        stage="scaled",
        themes=["baeredygtighed-skalering"],
        actors=["borgere", "virksomheder"],
        summary="Kommunen faciliterer nye seniorbofællesskaber sammen med boligselskaber.",
        challenge="Ensomhed blandt ældre øger behovet for hjælp og pleje.",
        solution="Kommunen hjælper grupper af seniorer med at finde grund, boligselskab og fællesskab.",
    ),
    dict(
        slug="frivillige-i-genoptraening",
        title="Frivillige træningsmakkere i genoptræningen",
        municipality="Aalborg",
        stage="pilot",
        themes=["kvalitet", "professionelle-job"],
        actors=["frivillige", "offentlig-sektor"],
        members_only=True,
        summary="Frivillige træningsmakkere følger borgere videre efter et kommunalt genoptræningsforløb.",
        challenge="Effekten af genoptræning falder, når forløbet slutter.",
        solution="Fysioterapeuter oplærer frivillige, der træner videre med borgerne i lokale foreninger.",
    ),
    dict(
        slug="social-impact-bond-peterborough",
        title="Social impact bond i Peterborough",
        scope="international",
        country="Storbritannien",
        stage="scaled",
        themes=["incitamenter"],
        actors=["virksomheder", "civilsamfund"],
        summary="Verdens første social impact bond finansierede en indsats for løsladte fanger.",
        challenge="Mange løsladte begår ny kriminalitet inden for et år.",
        solution="Private investorer finansierede en indsats og fik afkast ved færre tilbagefald.",
    ),
    dict(
        slug="virksomhedsmentorer-for-unge",
        title="Virksomhedsmentorer for unge uden uddannelse",
        municipality="Herning",
        stage="running",
        themes=["incitamenter", "partnerskaber"],
        actors=["virksomheder", "frivillige"],
        summary="Ansatte i lokale virksomheder er mentorer for unge, der står uden for uddannelse og job.",
        challenge="Unge uden netværk har svært ved at finde fodfæste på arbejdsmarkedet.",
        solution="Virksomheder stiller mentorer til rådighed, kommunen matcher og følger op.",
    ),
]


# Public cases shown on the home page, with their English translations.
FEATURED_EN = {
    "vaagekoner-i-vejle": dict(
        slug="night-watch-volunteers-in-vejle",
        title="Night watch volunteers at the end of life",
        country="Denmark",
        summary="Volunteers sit with dying citizens who have no relatives, in close "
        "cooperation with the care staff.",
        challenge="Citizens without relatives risk dying alone, and staff have no time to sit "
        "with them for hours.",
        solution="An association trains volunteers whom the care home can call day and night. "
        "Responsibility for care stays with the staff.",
    ),
    "buurtzorg-selvstyrende-hjemmepleje": dict(
        slug="buurtzorg-self-managing-home-care",
        title="Buurtzorg: self-managing home care teams",
        country="The Netherlands",
        summary="Small self-managing teams of nurses organise home care around the citizen's "
        "own network.",
        challenge="Fragmented home care with many different staff visiting the same citizen.",
        solution="Teams of 10-12 nurses with full responsibility for a neighbourhood and "
        "minimal administration.",
    ),
    "biblioteket-som-borgerlaboratorium": dict(
        slug="the-library-as-a-citizens-lab",
        title="The library as a citizens' lab",
        country="Denmark",
        summary="Local citizens use the library to try out their own ideas for community "
        "in their neighbourhood.",
        challenge="Few citizens contribute to local solutions, even though many would like to.",
        solution="The library provides rooms, guidance and a small budget for ideas.",
    ),
}


# The other demo cases in English: every case exists in both languages.
ENGLISH = {
    **FEATURED_EN,
    "sociale-investeringer-i-beskaeftigelse": dict(
        slug="social-investment-in-employment",
        title="Social investment in employment",
        country="Denmark",
        summary="A municipality and private investors share the risk of a new employment "
        "programme.",
        challenge="New programmes are hard to fund when the gains only show after several years.",
        solution="Investors pay for the programme and only get a return if more citizens find "
        "work. HEMMELIGT-DEMO-RESULTAT: 38 % in work after 18 months.",
    ),
    "seniorbofaellesskaber": dict(
        slug="senior-co-housing",
        title="Senior co-housing as prevention",
        country="Denmark",
        summary="The municipality facilitates new senior co-housing communities together with "
        "housing associations.",
        challenge="Loneliness among older people increases the need for help and care.",
        solution="The municipality helps groups of seniors find a site, a housing association "
        "and a community.",
    ),
    "frivillige-i-genoptraening": dict(
        slug="volunteer-training-partners-in-rehabilitation",
        title="Volunteer training partners in rehabilitation",
        country="Denmark",
        summary="Volunteer training partners follow citizens after a municipal rehabilitation "
        "programme.",
        challenge="The effect of rehabilitation fades when the programme ends.",
        solution="Physiotherapists train volunteers who keep exercising with the citizens in "
        "local clubs.",
    ),
    "social-impact-bond-peterborough": dict(
        slug="social-impact-bond-peterborough",
        title="Social impact bond in Peterborough",
        country="United Kingdom",
        summary="The world's first social impact bond funded a programme for released prisoners.",
        challenge="Many released prisoners reoffend within a year.",
        solution="Private investors funded a programme and got a return when reoffending fell.",
    ),
    "virksomhedsmentorer-for-unge": dict(
        slug="business-mentors-for-young-people",
        title="Business mentors for young people without education",
        country="Denmark",
        summary="Employees of local businesses mentor young people outside education and work.",
        challenge="Young people without a network find it hard to get a foothold in the labour "
        "market.",
        solution="Businesses provide mentors; the municipality matches and follows up.",
    ),
}


def featured_cases(home_page) -> list[CasePage]:
    """The public Danish cases the demo home page features, in order."""
    cases = CasePage.objects.descendant_of(home_page).filter(
        slug__in=FEATURED_EN, members_only=False
    )
    by_slug = {case.slug: case for case in cases}
    return [by_slug[slug] for slug in FEATURED_EN if slug in by_slug]


def load_english(index: CaseIndexPage) -> None:
    en = Locale.objects.get(language_code="en")
    translate(
        index,
        en,
        title="Case bank",
        slug="cases",
        intro="<p>Danish and international examples of social innovation in welfare.</p>",
        listing_summary="Danish and international examples of social innovation.",
    )
    for case in CasePage.objects.child_of(index).filter(slug__in=ENGLISH):
        fields = ENGLISH[case.slug]
        translate(
            case,
            en,
            **{k: v for k, v in fields.items() if k not in {"challenge", "solution"}},
            challenge=f"<p>{fields['challenge']}</p>",
            solution=f"<p>{fields['solution']}</p>",
            results="<p>The experience is summarised in the network's evaluation.</p>",
            partners="The municipality, local associations and citizens.",
        )


@demo_loader(order=10)
def load(home_page) -> dict:
    index = child_by_slug(
        home_page,
        CaseIndexPage,
        "cases",
        title="Casebank",
        show_in_menus=True,
        intro="<p>Danske og internationale eksempler på social innovation i velfærden.</p>",
        listing_summary="Danske og internationale eksempler på social innovation.",
    )
    seed_taxonomy(Theme, Actor)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    actors = {actor.slug: actor for actor in Actor.objects.all()}
    for data in CASES:
        if CasePage.objects.child_of(index).filter(slug=data["slug"]).exists():
            continue
        fields = {
            k: v for k, v in data.items() if k not in {"themes", "actors", "challenge", "solution"}
        }
        case = CasePage(
            **fields,
            challenge=f"<p>{data['challenge']}</p>",
            solution=f"<p>{data['solution']}</p>",
            results="<p>Erfaringerne er samlet i netværkets evaluering.</p>",
            partners="Kommunen, lokale foreninger og borgere.",
        )
        case.themes = [themes[slug] for slug in data["themes"]]
        case.actors = [actors[slug] for slug in data["actors"]]
        index.add_child(instance=case)
        case.save_revision().publish()
    load_english(index)
    return {"cases": CasePage.objects.child_of(index).count()}


@demo_loader(order=90)
def feature_on_home_page(home_page) -> dict:
    """After every other loader: the home pages feature some public cases (once; an editor's
    later choice is kept)."""
    en = Locale.objects.get(language_code="en")
    featured = featured_cases(home_page)
    feature_pages(home_page, featured)
    feature_pages(home_page.get_translation(en), [case.get_translation(en) for case in featured])
    return {"featured": len(featured)}
