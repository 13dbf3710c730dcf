"""The case bank: national and international social innovation initiatives.

A case is public, or ``members_only``: then the public sees its teaser (title, summary,
themes, stage, place) and a call to log in; members see it all. What is teaser and what is
full content is declared once (``TEASER_SEARCH_FIELDS`` / ``FULL_SEARCH_FIELDS``, and
``TEASER_FILTER_FIELDS`` for facets) so search can match and count non-members on the teaser
only.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from comments.models import CommentsOffByDefaultMixin
from home.models import BasePage
from members_area.access import visibility_key, visible_pages
from search.pages import LibrarySearchPageMixin
from taxonomy.models import Actor, Theme

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class CaseIndexPage(LibrarySearchPageMixin, BasePage):
    library_kind = "cases"

    intro = RichTextField(_("indledning"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["cases.CasePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("casebank")


class CasePage(CommentsOffByDefaultMixin, BasePage):
    class Stage(models.TextChoices):
        IDEA = "idea", _("Idé")
        PILOT = "pilot", _("Pilotprojekt")
        RUNNING = "running", _("I drift")
        SCALED = "scaled", _("Skaleret")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("Dansk")
        INTERNATIONAL = "international", _("International")

    # Teaser: public for every case.
    summary = models.TextField(
        _("resumé"), help_text=_("Vises for alle, også når casen kun er for medlemmer.")
    )
    stage = models.CharField(_("fase"), max_length=20, choices=Stage.choices, default=Stage.RUNNING)
    scope = models.CharField(
        _("national/international"), max_length=20, choices=Scope.choices, default=Scope.NATIONAL
    )
    municipality = models.CharField(
        _("kommune"),
        max_length=100,
        blank=True,
        help_text=_("For danske cases: den ansvarlige kommune."),
    )
    country = models.CharField(_("land"), max_length=100, default="Danmark")
    themes = ParentalManyToManyField(
        Theme, verbose_name=_("temaer"), blank=True, related_name="cases"
    )
    members_only = models.BooleanField(
        _("kun for medlemmer"),
        default=False,
        help_text=_("Offentligheden ser kun titel, resumé, temaer, fase og sted."),
    )

    # Full content: members only when ``members_only`` is set.
    challenge = RichTextField(_("udfordringen"), blank=True, features=RICH_FEATURES)
    solution = RichTextField(_("løsningen"), blank=True, features=RICH_FEATURES)
    actors = ParentalManyToManyField(
        Actor, verbose_name=_("aktører"), blank=True, related_name="cases"
    )
    partners = models.TextField(
        _("partnere"), blank=True, help_text=_("Hvem deltager, og hvad bidrager de med?")
    )
    results = RichTextField(_("resultater og evidens"), blank=True, features=RICH_FEATURES)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktens e-mail"), blank=True)
    links = StreamField(
        [
            ("document", DocumentChooserBlock(label=_("Dokument"))),
            (
                "link",
                blocks.StructBlock(
                    [
                        ("title", blocks.CharBlock(label=_("Titel"))),
                        ("url", blocks.URLBlock(label=_("Adresse"))),
                    ],
                    label=_("Link"),
                    icon="link",
                ),
            ),
        ],
        verbose_name=_("dokumenter og links"),
        blank=True,
    )

    TEASER_SEARCH_FIELDS = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]
    FULL_SEARCH_FIELDS = TEASER_SEARCH_FIELDS + [
        index.SearchField(name) for name in ("challenge", "solution", "partners", "results")
    ]
    # Fields the public teaser shows (case_page.html: stage and place, themes), so the public
    # may filter and count members-only cases by them. Not ``actors``: partners are full content.
    TEASER_FILTER_FIELDS = ("stage", "scope", "country", "municipality", "themes")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("stage"), FieldPanel("scope")]),
                FieldRowPanel([FieldPanel("municipality"), FieldPanel("country")]),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("members_only"),
            ],
            heading=_("Teaser (offentlig)"),
        ),
        MultiFieldPanel(
            [FieldPanel("challenge"), FieldPanel("solution"), FieldPanel("results")],
            heading=_("Casen"),
        ),
        MultiFieldPanel(
            [FieldPanel("actors", widget=forms.CheckboxSelectMultiple), FieldPanel("partners")],
            heading=_("Partnere"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("links")],
            heading=_("Kontakt, dokumenter og links"),
        ),
        InlinePanel("related_cases", label=_("Relaterede cases"), max_num=6),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("challenge"),
        index.SearchField("solution"),
        index.SearchField("partners"),
        index.SearchField("results"),
        index.AutocompleteField("summary"),
        index.FilterField("stage"),
        index.FilterField("scope"),
        index.FilterField("country"),
        index.FilterField("municipality"),
        index.FilterField("members_only"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    # On a members-only case comments are full content: members only (comments.services).
    comments_setting = "on_cases"

    parent_page_types = ["cases.CaseIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    @property
    def meta_description(self) -> str:
        return self.search_description or self.listing_summary or self.summary[:300]

    @property
    def place(self) -> str:
        if self.scope == self.Scope.NATIONAL and self.municipality:
            return f"{self.municipality}, {self.country}"
        return self.country

    def get_context(self, request, *args, **kwargs):
        from members_area.access import can_view_full_content

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["full_content"] = can_view_full_content(self, user)
        context["index_url"] = self.parent_url(request)  # the theme links' case bank
        # Themes, actors and related cases change when this case is published, a related case
        # is (un)published or moved (all purge) or the taxonomy is edited (taxonomy.signals).
        context["themes"], context["actors"] = self.remember_live(
            request,
            f"case-terms:{self.pk}",
            lambda: (list(self.themes.all()), list(self.actors.all())),
        )
        context["related"] = self.remember_live(
            request,
            f"case-related:{self.pk}:{visibility_key(user)}",
            lambda: self.related_for(user),
        )
        return context

    def related_for(self, user) -> list[Page]:
        """The live related cases ``user`` may open, by tree order: their titles and links."""
        related = (
            Page.objects.live()
            .filter(pk__in=self.related_cases.values_list("case_id", flat=True))
            .only("title", "url_path")
        )
        return list(visible_pages(related, user))


class RelatedCase(Orderable):
    page = ParentalKey(CasePage, related_name="related_cases", on_delete=models.CASCADE)
    case = models.ForeignKey(
        CasePage, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("case")]
