"""Demo privacy policy in Danish and English, chosen in the site settings (footer and forms)."""

from __future__ import annotations

from wagtail.models import Locale, Site

from core.demo import demo_loader

from ..models import SiteSettings, StandardPage
from .building import child_by_slug, heading, rich, translate

DA = [
    heading("Hvem er dataansvarlig"),
    *rich(
        "Netværket for Social Innovation drives af sekretariatet hos Teknologisk Institut, "
        "Gregersensvej 1, 2630 Taastrup, som er dataansvarlig for de oplysninger, du giver os "
        "her på siden. Du kan altid skrive til sekretariatet via kontaktformularen eller på "
        "socialinnovation@example.dk."
    ),
    heading("Hvad vi indsamler, og hvorfor"),
    *rich(
        "<b>Kontakt og Bliv medlem:</b> navn, e-mail og det, du skriver, så vi kan svare dig. "
        "Grundlag: vores legitime interesse i at besvare henvendelser (GDPR art. 6, stk. 1, "
        "litra f). Henvendelserne slettes automatisk efter den periode, der står ved "
        "formularen (typisk 6–12 måneder).",
        "<b>Tilmelding til arrangementer:</b> navn, e-mail og organisation for at kunne "
        "afholde arrangementet (art. 6, stk. 1, litra b). Oplysninger om kost og "
        "tilgængelighed er frivillige; de kan sige noget om dit helbred og gemmes derfor kun "
        "med dit udtrykkelige samtykke (art. 9, stk. 2, litra a). De slettes, når "
        "arrangementet er slut. Ikke-medlemmers tilmeldinger anonymiseres 90 dage efter "
        "arrangementet.",
        "<b>Nyhedsbrev:</b> din e-mail og dit samtykke (art. 6, stk. 1, litra a), til du "
        "afmelder dig via linket i hvert nyhedsbrev.",
        "<b>Medlemskonti og forum:</b> navn, e-mail, kommune, stilling og dine indlæg, så "
        "længe du har en konto. Du kan selv slette din konto under din profil.",
    ),
    heading("Hvem ser oplysningerne"),
    *rich(
        "Kun sekretariatets medarbejdere og de databehandlere, der driver siden og sender "
        "e-mail for os, under databehandleraftaler. Vi sælger eller videregiver aldrig "
        "oplysninger til markedsføring."
    ),
    heading("Cookies"),
    *rich(
        "Siden bruger kun nødvendige cookies: én, der holder dig logget ind, og én, der "
        "beskytter formularerne mod misbrug. Vi bruger ingen statistik- eller "
        "markedsføringscookies og henter intet fra tredjeparter."
    ),
    heading("Dine rettigheder"),
    *rich(
        "Du har ret til indsigt, berigtigelse, sletning, begrænsning og dataportabilitet, og "
        "du kan altid trække et samtykke tilbage. Skriv til sekretariatet. Er du utilfreds, "
        "kan du klage til Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby, "
        "www.datatilsynet.dk."
    ),
]

EN = [
    heading("Who is the data controller"),
    *rich(
        "The Municipal Network on Social Innovation is run by its secretariat at the Danish "
        "Technological Institute, Gregersensvej 1, 2630 Taastrup, Denmark, which is the "
        "controller of the data you give us on this site. You can always write to the "
        "secretariat through the contact form or at socialinnovation@example.dk."
    ),
    heading("What we collect, and why"),
    *rich(
        "<b>Contact and Join the network:</b> your name, e-mail and what you write, so that "
        "we can answer. Basis: our legitimate interest in answering enquiries (GDPR Art. "
        "6(1)(f)). Submissions are deleted automatically after the period shown with the form "
        "(usually 6–12 months).",
        "<b>Event registration:</b> name, e-mail and organisation to run the event (Art. "
        "6(1)(b)). Dietary and accessibility needs are optional; they can reveal something "
        "about your health and are therefore kept only with your explicit consent (Art. "
        "9(2)(a)). They are deleted when the event is over. Non-members' registrations are "
        "anonymised 90 days after the event.",
        "<b>Newsletter:</b> your e-mail and your consent (Art. 6(1)(a)), until you "
        "unsubscribe through the link in every issue.",
        "<b>Member accounts and forum:</b> name, e-mail, municipality, job title and your "
        "posts, for as long as you have an account. You can delete your account from your "
        "profile.",
    ),
    heading("Who sees the data"),
    *rich(
        "Only the secretariat's staff and the processors that host the site and send e-mail "
        "for us, under data processing agreements. We never sell or pass on data for "
        "marketing."
    ),
    heading("Cookies"),
    *rich(
        "The site uses strictly necessary cookies only: one that keeps you signed in and one "
        "that protects the forms from abuse. No analytics or marketing cookies, and nothing "
        "is loaded from third parties."
    ),
    heading("Your rights"),
    *rich(
        "You have the right of access, rectification, erasure, restriction and data "
        "portability, and you can withdraw consent at any time. Write to the secretariat. "
        "If you are not satisfied, you can complain to the Danish Data Protection Agency "
        "(Datatilsynet), Carl Jacobsens Vej 35, 2500 Valby, www.datatilsynet.dk."
    ),
]


@demo_loader(order=80)
def load(home_page) -> dict:
    policy = child_by_slug(
        home_page,
        StandardPage,
        "privatlivspolitik",
        title="Privatlivspolitik",
        intro="Sådan behandler Netværket for Social Innovation dine personoplysninger.",
        body=DA,
    )
    translate(
        policy,
        Locale.objects.get(language_code="en"),
        title="Privacy policy",
        slug="privacy-policy",
        intro="How the Municipal Network on Social Innovation handles your personal data.",
        body=EN,
    )
    for site in Site.objects.filter(root_page=home_page):
        settings = SiteSettings.for_site(site)
        if settings.privacy_policy_page_id is None:
            settings.privacy_policy_page = policy
            settings.save()
    return {"privacy_policy": policy.url}
