"""Events: the two whole-day network meetings and the open afternoon events, with registration."""

from __future__ import annotations

import datetime
import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from comments.models import CommentsOffByDefaultMixin
from core.translations import one_per_translation, source_page
from home.models import BasePage
from members_area.access import can_view_page, is_member, visible_pages
from taxonomy.models import Theme

from .blocks import ProgrammeItemBlock
from .materials import MATERIALS_PANEL, EventMaterial

EVENTS_PER_PAGE = 10
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class EventIndexPage(BasePage):
    intro = RichTextField(_("indledning"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("arrangementsoversigt")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        past = request.GET.get("vis") == "tidligere"
        # Every event once, in this index's language where translated, otherwise in Danish.
        events = one_per_translation(
            visible_pages(EventPage.objects.live(), request.user), self.locale_id
        )
        events = (
            events.filter(end__lt=now).order_by("-start")
            if past
            else (events.filter(end__gte=now).order_by("start"))
        )
        event_type = request.GET.get("type", "")
        if event_type in EventPage.EventType.values:
            events = events.filter(event_type=event_type)
        theme = request.GET.get("tema", "")
        if theme:
            events = events.filter(themes__slug=theme)
        context.update(
            events=Paginator(events.distinct(), EVENTS_PER_PAGE).get_page(request.GET.get("side")),
            past=past,
            event_type=event_type,
            theme=theme,
            event_types=EventPage.EventType.choices,
            themes=Theme.objects.all(),
            query_string="&".join(
                f"{k}={v}"
                for k, v in (
                    ("vis", "tidligere" if past else ""),
                    ("type", event_type),
                    ("tema", theme),
                )
                if v
            ),
        )
        return context


class EventPage(CommentsOffByDefaultMixin, BasePage):
    class EventType(models.TextChoices):
        CONFERENCE = "conference", _("Konference")
        WORKSHOP = "workshop", _("Workshop")
        AFTERNOON = "afternoon", _("Temaeftermiddag")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Kun for medlemmer")
        OPEN = "open", _("Åben for alle")

    event_type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    summary = models.TextField(_("kort beskrivelse"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("slut"))
    venue_name = models.CharField(_("sted"), max_length=200)
    street_address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    description = RichTextField(
        _("beskrivelse"), blank=True, features=["bold", "italic", "ol", "ul", "link", "h2", "h3"]
    )
    programme = StreamField([("item", ProgrammeItemBlock())], verbose_name=_("program"), blank=True)
    audience = models.CharField(
        _("målgruppe"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    capacity = models.PositiveIntegerField(_("antal pladser"), default=50)
    registration_opens = models.DateTimeField(_("tilmelding åbner"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("tilmeldingsfrist"), null=True, blank=True)
    price = models.DecimalField(
        _("pris (kr.)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Tom = gratis."),
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktens e-mail"), blank=True)
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("temaer"), blank=True, related_name="events"
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("event_type"), FieldPanel("audience")]),
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Arrangementet"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldRowPanel(
                    [FieldPanel("street_address"), FieldPanel("postal_code"), FieldPanel("city")]
                ),
            ],
            heading=_("Sted"),
        ),
        MultiFieldPanel(
            [
                HelpPanel(template="events/admin/registrations_panel.html"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("price")]),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
            ],
            heading=_("Tilmelding"),
        ),
        FieldPanel("description"),
        FieldPanel("programme"),
        MATERIALS_PANEL,
    ]
    # Materials belong to the event (its source page); a translation or copy gets none.
    exclude_fields_in_copy = ["materials"]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("venue_name"),
        index.SearchField("city"),
        index.FilterField("start"),
        index.FilterField("event_type"),
        index.FilterField("audience"),
    ]
    comments_setting = "on_events"
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Slut skal ligge efter start.")
        # A missing or invalid start/end is reported by its own field; compare only real values.
        if self.registration_closes and self.end and self.registration_closes > self.end:
            errors["registration_closes"] = _(
                "Tilmeldingsfristen skal ligge før arrangementet slutter."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def meta_description(self) -> str:
        return self.search_description or self.listing_summary or self.summary[:300]

    @property
    def is_open_to_public(self) -> bool:
        return self.audience == self.Audience.OPEN

    def registration_state(self, now=None) -> str:
        """``not_yet``, ``open``, ``closed`` or ``over``."""
        now = now or timezone.now()
        if self.end <= now:
            return "over"
        if self.registration_opens and now < self.registration_opens:
            return "not_yet"
        if (self.registration_closes and now > self.registration_closes) or now >= self.start:
            return "closed"
        return "open"

    @property
    def source_event(self) -> EventPage:
        """The event page its translations were made from: it holds the registrations, and
        its capacity and registration window govern every language (docs/events.md)."""
        cached = getattr(self, "_source_event", None)
        if cached is None:
            cached = self._source_event = source_page(self)
        return cached

    def confirmed_count(self) -> int:
        return Registration.objects.filter(
            event_id=self.source_event.pk, status=Registration.Status.CONFIRMED
        ).count()

    def schema_org(self, request=None) -> SafeString:
        """schema.org Event as JSON, safe to place inside ``<script type="application/ld+json">``.

        ``<``, ``>`` and ``&`` are written as JSON escapes (like Django's ``json_script``) so a
        title such as ``</script>`` cannot end the script element.
        """
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": self.summary,
            "startDate": timezone.localtime(self.start).isoformat(),
            "endDate": timezone.localtime(self.end).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": self.venue_name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": self.street_address,
                    "postalCode": self.postal_code,
                    "addressLocality": self.city,
                    "addressCountry": "DK",
                },
            },
            "organizer": {"@type": "Organization", "name": "Netværket for Social Innovation"},
            "url": self.get_full_url(request),
        }
        if self.price is not None:
            data["offers"] = {"@type": "Offer", "price": str(self.price), "priceCurrency": "DKK"}
        return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        member = is_member(request.user)
        source = self.source_event
        context.update(
            state=source.registration_state(),
            seats_left=max(source.capacity - self.confirmed_count(), 0),
            viewer_is_member=member,
            may_register=member or source.is_open_to_public,
            own_registration=(
                source.registrations.active().filter(user=request.user).first()
                if request.user.is_authenticated
                else None
            ),
            materials=self.materials_for(request.user),
        )
        return context

    def materials_for(self, user) -> list[EventMaterial] | None:
        """The event's materials once it has begun (``None`` before); an empty list for
        someone who may not see them (materials of members' events are for members)."""
        source = self.source_event
        if source.start > timezone.now():
            return None
        if not can_view_page(source, user) or not (source.is_open_to_public or is_member(user)):
            return []
        # Plain iteration: a preview or draft holds its materials in memory, not in the table.
        return [m for m in source.materials.select_related("document") if m.document_id or m.url]


def confirmation_window() -> datetime.timedelta:
    """How long a pending registration waits for its e-mail confirmation."""
    return datetime.timedelta(hours=int(settings.EVENT_CONFIRMATION_HOURS))


class RegistrationQuerySet(models.QuerySet):
    def active(self, now=None):
        """Registrations that count: confirmed, waitlisted, or pending and still confirmable.

        A pending registration whose confirmation link has expired no longer blocks the
        address (anyone could otherwise lock someone out by never confirming); registering
        again renews it.
        """
        now = now or timezone.now()
        return self.filter(
            Q(status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED))
            | Q(status=Registration.Status.PENDING, created_at__gt=now - confirmation_window())
        )


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer bekræftelse")
        CONFIRMED = "confirmed", _("Tilmeldt")
        WAITLISTED = "waitlisted", _("På venteliste")
        CANCELLED = "cancelled", _("Afmeldt")

    # Rows the database allows once per address and event (the unique constraint below). An
    # expired pending row is still one of them, so registering again renews that row.
    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    # Always the event's source page (``EventPage.source_event``), whatever the language of
    # the page the person registered on: one pool of seats per event across its translations.
    event = models.ForeignKey(
        EventPage,
        verbose_name=_("arrangement"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    language = models.CharField(
        _("sprog"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="da",
        help_text=_("Sproget på siden, personen tilmeldte sig på; e-mails sendes på det."),
    )
    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"))
    email_normalised = models.CharField(max_length=254, editable=False)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    needs = models.TextField(_("kost og tilgængelighed"), blank=True)
    needs_consent_at = models.DateTimeField(
        _("samtykke til kost og tilgængelighed"), null=True, blank=True
    )
    is_member = models.BooleanField(_("medlem"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    queued_at = models.DateTimeField(_("i kø siden"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("afmeldt"), null=True, blank=True)
    attended = models.BooleanField(_("deltog"), default=False)
    attended_at = models.DateTimeField(_("fremmøde registreret"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    panels = [FieldPanel("attended"), FieldPanel("needs")]

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["event", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalised"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted"]),
                name="events_one_active_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    def save(self, *args, **kwargs):
        self.email_normalised = self.email.strip().lower()
        super().save(*args, **kwargs)

    def waiting_position(self) -> int | None:
        """Place on the waiting list (1 = next to get a seat), None when not waiting."""
        if self.status != self.Status.WAITLISTED or self.queued_at is None:
            return None
        ahead = Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk)
        waiting = Registration.objects.filter(event_id=self.event_id, status=self.status)
        return waiting.filter(ahead).count() + 1

    def confirmation_expired(self, now=None) -> bool:
        """Pending, and the time to confirm it by e-mail has run out."""
        now = now or timezone.now()
        return self.status == self.Status.PENDING and self.created_at <= now - confirmation_window()
