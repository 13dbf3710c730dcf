"""Member organisations, member profiles, invitations and the members' section of the tree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from home.blocks import BodyStreamBlock
from home.models import BasePage

# Denmark's population for the share the members cover, unless the page says otherwise.
# Source: Statistics Denmark (Danmarks Statistik), table FOLK1A, population 1 January 2025.
DENMARK_POPULATION = 5_992_734
DENMARK_POPULATION_SOURCE = "Danmarks Statistik, FOLK1A, 1. januar 2025"


class MemberOrganisationQuerySet(models.QuerySet):
    def active_members(self, on: datetime.date | None = None):
        """Members on ``on`` (today): active, already joined and not yet left."""
        day = on or timezone.localdate()
        return self.filter(status=MemberOrganisation.Status.ACTIVE, member_since__lte=day).filter(
            models.Q(member_until__isnull=True) | models.Q(member_until__gte=day)
        )


class MemberOrganisation(models.Model):
    """A member body of the network, usually a municipality."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommune")
        REGION = "region", _("Region")
        OTHER = "other", _("Anden organisation")

    class Region(models.TextChoices):
        HOVEDSTADEN = "hovedstaden", _("Region Hovedstaden")
        SJAELLAND = "sjaelland", _("Region Sjælland")
        SYDDANMARK = "syddanmark", _("Region Syddanmark")
        MIDTJYLLAND = "midtjylland", _("Region Midtjylland")
        NORDJYLLAND = "nordjylland", _("Region Nordjylland")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktivt medlem")
        PAUSED = "paused", _("Sat på pause")
        ENDED = "ended", _("Ophørt")

    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    municipality_code = models.CharField(_("kommunekode"), max_length=3, blank=True)
    status = models.CharField(
        _("medlemsstatus"),
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
    )
    member_since = models.DateField(_("medlem siden"), default=timezone.localdate)
    member_until = models.DateField(_("medlem til"), null=True, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kontaktpersonen kan invitere kolleger fra organisationen."),
    )
    contact_email = models.EmailField(_("kontakt-e-mail"), blank=True)
    contact_phone = models.CharField(_("kontakttelefon"), max_length=40, blank=True)
    # Shown on the public list of members (MemberDirectoryPage).
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vises på den offentlige liste over medlemmer. Billeder er altid offentlige."),
    )
    website = models.URLField(_("hjemmeside"), blank=True)
    population = models.PositiveIntegerField(
        _("indbyggertal"),
        null=True,
        blank=True,
        help_text=_("Bruges til at vise, hvor stor en del af befolkningen netværket dækker."),
    )
    publish_contact = models.BooleanField(
        _("vis kontaktperson offentligt"),
        default=False,
        help_text=_(
            "Kun hvis kommunen har sagt ja: kontaktpersonens navn, e-mail og telefon vises "
            "på den offentlige liste over medlemmer."
        ),
    )

    objects = MemberOrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("region"),
        FieldPanel("municipality_code"),
        FieldPanel("status"),
        FieldPanel("member_since"),
        FieldPanel("member_until"),
        FieldPanel("contact_person"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("website"),
                FieldPanel("population"),
                FieldPanel("publish_contact"),
            ],
            heading=_("Offentlig visning"),
        ),
    ]

    class Meta:
        verbose_name = _("medlemsorganisation")
        verbose_name_plural = _("medlemsorganisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_contact_name(self) -> str:
        """The contact person's name, only where the municipality agreed to publish it."""
        if not self.publish_contact or self.contact_person is None:
            return ""
        return self.contact_person.get_full_name()

    @property
    def is_active_member(self) -> bool:
        today = timezone.localdate()
        return self.status == self.Status.ACTIVE and (
            self.member_until is None or self.member_until >= today
        )


class MemberProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile"
    )
    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    job_title = models.CharField(_("stilling"), max_length=200, blank=True)
    interests = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("interesseområder"), blank=True, related_name="+"
    )
    forum_notifications = models.BooleanField(
        _("e-mail om nye indlæg i fulgte tråde"), default=True
    )
    forum_digest = models.BooleanField(
        _("saml e-mails om forummet i én daglig oversigt"),
        default=False,
        help_text=_("I stedet for én e-mail pr. nyt indlæg får du én e-mail om morgenen."),
    )
    # Where the last daily digest ended (forum.services.send_daily_digests).
    forum_digest_until = models.DateTimeField(null=True, blank=True, editable=False)
    event_news = models.BooleanField(_("e-mail om nye arrangementer"), default=True)
    erased_at = models.DateTimeField(_("slettet"), null=True, blank=True)

    class Meta:
        verbose_name = _("medlemsprofil")
        verbose_name_plural = _("medlemsprofiler")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Invitation(models.Model):
    """An e-mailed invitation to become a member user of an organisation (single use)."""

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("fornavn"), max_length=150, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        MemberOrganisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepteret"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("email"),
        FieldPanel("first_name"),
        FieldPanel("last_name"),
        FieldPanel("organisation"),
    ]

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"


class MembersSectionMixin:
    def get_context(self, request, *args, **kwargs):
        from .access import visible_pages

        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = visible_pages(self.get_children().live().specific(), request.user)
        return context


class MembersAreaPage(MembersSectionMixin, BasePage):
    """Root of the members' section: restricted to the Members group when created."""

    intro = models.TextField(_("indledning"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("indhold"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["members_area.MembersPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("medlemsområde")


class MembersPage(MembersSectionMixin, BasePage):
    intro = models.TextField(_("indledning"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("indhold"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["members_area.MembersAreaPage", "members_area.MembersPage"]
    subpage_types = ["members_area.MembersPage"]

    class Meta:
        verbose_name = _("medlemsside")


@dataclass
class MemberDirectory:
    """What the public list of members shows: municipalities by name, other members apart."""

    municipalities: list[MemberOrganisation]
    others: list[MemberOrganisation]
    population_covered: int
    municipalities_with_population: int
    national_population: int

    @classmethod
    def build(cls, national_population: int) -> MemberDirectory:
        members = list(
            MemberOrganisation.objects.active_members()
            .select_related("logo", "contact_person")
            .order_by("name")
        )
        municipalities = [m for m in members if m.kind == MemberOrganisation.Kind.MUNICIPALITY]
        counted = [m.population for m in municipalities if m.population]
        return cls(
            municipalities=municipalities,
            others=[m for m in members if m.kind != MemberOrganisation.Kind.MUNICIPALITY],
            population_covered=sum(counted),
            municipalities_with_population=len(counted),
            national_population=national_population,
        )

    @property
    def share_percent(self) -> float | None:
        """The members' share of Denmark's population; None until editors enter a figure.

        ``complete`` tells whether every municipality's figure is in (the page says so when not).
        """
        if not self.municipalities_with_population or not self.national_population:
            return None
        return min(100.0, 100 * self.population_covered / self.national_population)

    @property
    def population_covered_display(self) -> str:
        return number_format(self.population_covered, force_grouping=True)

    @property
    def national_population_display(self) -> str:
        return number_format(self.national_population, force_grouping=True)

    @property
    def complete(self) -> bool:
        return self.municipalities_with_population == len(self.municipalities)


class MemberDirectoryPage(BasePage):
    """The public list of member municipalities, built from the active ``MemberOrganisation``s.

    Nothing to maintain by hand: an organisation appears when it is an active member and
    disappears when its membership ends or is paused (``services.member_directory``).
    """

    intro = models.TextField(_("indledning"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("indhold under listen"), blank=True)
    national_population = models.PositiveIntegerField(
        _("Danmarks befolkning"),
        default=DENMARK_POPULATION,
        help_text=_("Grundlaget for, hvor stor en andel af befolkningen medlemmerne dækker."),
    )
    population_source = models.CharField(
        _("kilde til befolkningstal"), max_length=200, default=DENMARK_POPULATION_SOURCE
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("national_population"), FieldPanel("population_source")],
            heading=_("Befolkningstal"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("liste over medlemskommuner")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directory"] = MemberDirectory.build(self.national_population)
        return context
