"""The resource library: articles, reports, website links, books, newsletters and videos.

A members-only resource shows the public its teaser (title, authors, abstract, themes); its
file lives in the Members-restricted document collection, served through Django so the
collection's view restriction is enforced.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.models import BasePage
from search.pages import LibrarySearchPageMixin
from taxonomy.models import Theme


class LibraryPage(LibrarySearchPageMixin, BasePage):
    library_kind = "resources"

    intro = RichTextField(_("indledning"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("vidensbibliotek")


class ResourcePage(BasePage):
    class ResourceType(models.TextChoices):
        ARTICLE = "article", _("Artikel")
        REPORT = "report", _("Rapport")
        LINK = "link", _("Hjemmeside")
        BOOK = "book", _("Bog")
        NEWSLETTER = "newsletter", _("Nyhedsbrev")
        VIDEO = "video", _("Video")

    class Language(models.TextChoices):
        DANISH = "da", _("Dansk")
        ENGLISH = "en", _("Engelsk")
        SWEDISH = "sv", _("Svensk")
        NORWEGIAN = "no", _("Norsk")
        GERMAN = "de", _("Tysk")
        OTHER = "other", _("Andet")

    resource_type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    authors = models.CharField(_("forfattere"), max_length=300, blank=True)
    publisher = models.CharField(_("udgiver"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("år"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(datetime.date.today().year + 1)],
    )
    language = models.CharField(
        _("sprog"), max_length=10, choices=Language.choices, default=Language.DANISH
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("temaer"), blank=True, related_name="resources"
    )
    abstract = models.TextField(
        _("resumé"), help_text=_("Vises for alle, også for ressourcer kun for medlemmer.")
    )
    members_only = models.BooleanField(
        _("kun for medlemmer"),
        default=False,
        help_text=_(
            "Offentligheden ser titel, forfattere, resumé og temaer. Filen flyttes til "
            "medlemssamlingen, så kun medlemmer kan hente den."
        ),
    )
    body = RichTextField(
        _("beskrivelse"), blank=True, features=["bold", "italic", "ol", "ul", "link", "h2", "h3"]
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("fil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_url = models.URLField(_("ekstern adresse"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("forside/omslag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    TEASER_SEARCH_FIELDS = [
        index.SearchField("title"),
        index.SearchField("abstract"),
        index.SearchField("authors"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]
    FULL_SEARCH_FIELDS = TEASER_SEARCH_FIELDS + [
        index.SearchField("publisher"),
        index.SearchField("body"),
    ]
    # Fields the public teaser shows (resource_page.html: type, year, language; themes), so
    # the public may filter and count members-only resources by them.
    TEASER_FILTER_FIELDS = ("resource_type", "year", "language", "themes")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("resource_type"), FieldPanel("language")]),
                FieldRowPanel([FieldPanel("authors"), FieldPanel("publisher"), FieldPanel("year")]),
                FieldPanel("abstract"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("cover_image"),
                FieldPanel("members_only"),
            ],
            heading=_("Teaser (offentlig)"),
        ),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("external_url"), FieldPanel("body")],
            heading=_("Ressourcen"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("abstract"),
        index.SearchField("authors"),
        index.SearchField("publisher"),
        index.SearchField("body"),
        index.AutocompleteField("authors"),
        index.FilterField("resource_type"),
        index.FilterField("year"),
        index.FilterField("language"),
        index.FilterField("members_only"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    parent_page_types = ["resources.LibraryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressourcer")

    @property
    def meta_description(self) -> str:
        return self.search_description or self.listing_summary or self.abstract[:300]

    def clean(self):
        super().clean()
        if self.resource_type == self.ResourceType.LINK and not self.external_url:
            raise ValidationError({"external_url": _("En hjemmeside skal have en adresse.")})
        if self.document_id and self.external_url:
            raise ValidationError(
                {"external_url": _("Angiv enten en fil eller en ekstern adresse, ikke begge.")}
            )

    def save(self, *args, **kwargs):
        from .services import protect_members_document

        super().save(*args, **kwargs)
        if self.members_only and self.document_id:
            protect_members_document(self.document)

    def get_context(self, request, *args, **kwargs):
        from members_area.access import can_view_full_content

        context = super().get_context(request, *args, **kwargs)
        context["full_content"] = can_view_full_content(self, request.user)
        context["index_url"] = self.parent_url(request)  # the theme links' library
        # Change when this resource is published (a purge) or the taxonomy is edited.
        context["themes"] = self.remember_live(
            request, f"resource-themes:{self.pk}", lambda: list(self.themes.all())
        )
        return context
