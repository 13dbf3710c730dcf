"""Member organisations, member profiles, invitations and the members' section of the tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from home.blocks import BodyStreamBlock
from home.models import BasePage


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
    ]

    class Meta:
        verbose_name = _("medlemsorganisation")
        verbose_name_plural = _("medlemsorganisationer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

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
        "cases.Theme", verbose_name=_("interesseområder"), blank=True, related_name="+"
    )
    forum_notifications = models.BooleanField(
        _("e-mail om nye indlæg i fulgte tråde"), default=True
    )
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
