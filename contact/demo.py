"""Demo form pages: "Bliv medlem" under the membership page and "Kontakt" in the menu."""

from __future__ import annotations

from wagtail.models import Locale, Page

from core.demo import demo_loader
from home.demo import child_by_slug, translate
from home.models import StandardPage

from .models import FormField, FormPage

SECRETARIAT = "socialinnovation@example.dk"

JOIN_FIELDS_DA = [
    ("Kommune", "singleline", True, "", ""),
    ("Dit navn", "singleline", True, "", ""),
    ("Stilling", "singleline", False, "", ""),
    ("E-mail", "email", True, "", ""),
    ("Telefon", "singleline", False, "", ""),
    ("Hvad vil I gerne have ud af netværket?", "multiline", False, "", ""),
]
JOIN_FIELDS_EN = [
    ("Municipality", "singleline", True, "", ""),
    ("Your name", "singleline", True, "", ""),
    ("Job title", "singleline", False, "", ""),
    ("E-mail", "email", True, "", ""),
    ("Phone", "singleline", False, "", ""),
    ("What would you like to get out of the network?", "multiline", False, "", ""),
]
CONTACT_FIELDS_DA = [
    ("Navn", "singleline", True, "", ""),
    ("E-mail", "email", True, "", ""),
    ("Emne", "dropdown", True, "Medlemskab\nArrangementer\nPresse\nAndet", ""),
    ("Besked", "multiline", True, "", ""),
]
CONTACT_FIELDS_EN = [
    ("Name", "singleline", True, "", ""),
    ("E-mail", "email", True, "", ""),
    ("Subject", "dropdown", True, "Membership\nEvents\nPress\nOther", ""),
    ("Message", "multiline", True, "", ""),
]


def _fields(spec) -> list[FormField]:
    return [
        FormField(label=label, field_type=kind, required=required, choices=choices, help_text=help_)
        for label, kind, required, choices, help_ in spec
    ]


def _form_page(parent: Page, slug: str, **fields) -> FormPage | None:
    if Page.objects.child_of(parent).filter(slug=slug).not_type(FormPage).exists():
        return None  # an older demo's plain page holds the slug; leave the editor's tree alone
    return child_by_slug(parent, FormPage, slug, **fields)


@demo_loader(order=70)
def load(home_page) -> dict:
    en = Locale.objects.get(language_code="en")
    membership = StandardPage.objects.child_of(home_page).filter(slug="medlemskab").first()
    join = _form_page(
        membership or home_page,
        "bliv-medlem",
        title="Bliv medlem",
        intro="<p>Fortæl os lidt om jeres kommune, så kontakter sekretariatet jer for en "
        "uforpligtende snak om medlemskab.</p>",
        submit_label="Send",
        thank_you_text="<p>Tak! Sekretariatet kontakter jer inden for en uge.</p>",
        to_address=SECRETARIAT,
        subject="Ny interesse for medlemskab",
        retention_days=365,
        form_fields=_fields(JOIN_FIELDS_DA),
        listing_summary="Vil jeres kommune være med? Skriv til os.",
    )
    if join is not None and membership is not None:
        translate(
            join,
            en,
            title="Join the network",
            slug="join",
            intro="<p>Tell us a little about your municipality, and the secretariat will "
            "contact you for an informal talk about membership.</p>",
            thank_you_text="<p>Thank you! The secretariat will contact you within a week.</p>",
            form_fields=_fields(JOIN_FIELDS_EN),
        )
        _link_membership_to(membership, join)
    contact = _form_page(
        home_page,
        "kontakt",
        title="Kontakt",
        show_in_menus=True,
        intro="<p>Sekretariatet sidder hos Teknologisk Institut i Taastrup og svarer på "
        "hverdage. Du kan også ringe på +45 72 20 00 00 mellem 9 og 15.</p>",
        thank_you_text="<p>Tak for din besked. Vi svarer normalt inden for to hverdage.</p>",
        to_address=SECRETARIAT,
        subject="Ny henvendelse fra hjemmesiden",
        retention_days=180,
        form_fields=_fields(CONTACT_FIELDS_DA),
    )
    if contact is not None:
        translate(
            contact,
            en,
            title="Contact",
            slug="contact",
            intro="<p>The secretariat is based at the Danish Technological Institute in "
            "Taastrup and answers on weekdays. You can also call +45 72 20 00 00 between "
            "9 and 15.</p>",
            thank_you_text="<p>Thank you for your message. We usually answer within two "
            "working days.</p>",
            submit_label="Send",
            form_fields=_fields(CONTACT_FIELDS_EN),
        )
    return {"form_pages": FormPage.objects.count()}


def _link_membership_to(membership: StandardPage, join: FormPage) -> None:
    """The membership page's call to action opens the join form (once)."""
    if any(block.block_type == "call_to_action" for block in membership.body):
        return
    membership.body.append(
        (
            "call_to_action",
            {
                "title": "Bliv medlem",
                "text": "Fortæl os om jeres kommune, så tager vi en snak om jeres behov.",
                "page": join,
                "url": "",
                "button_label": "Til formularen",
            },
        )
    )
    membership.save_revision().publish()
    english = membership.get_translation_or_none(Locale.objects.get(language_code="en"))
    english_join = join.get_translation_or_none(english.locale) if english else None
    if english is not None and english_join is not None:
        english.body.append(
            (
                "call_to_action",
                {
                    "title": "Join the network",
                    "text": "Tell us about your municipality and we will talk about your needs.",
                    "page": english_join,
                    "url": "",
                    "button_label": "Go to the form",
                },
            )
        )
        english.save_revision().publish()
