"""Materials of an event: slides, documents, links and recordings, attached after the event.

They belong to the event, i.e. to its source page (docs/events.md, "One event across its
translations"): every language shows the source page's materials, and a translation gets no
copy of them. Materials of an event only for members stay for members: their documents are
moved into the Members collection (``events.signals``), the page shows them to members only,
and the e-mail that announces them goes to members only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable


class EventMaterialQuerySet(models.QuerySet):
    def usable(self):
        """Materials that still lead somewhere (a deleted document leaves its row empty)."""
        return self.filter(models.Q(document__isnull=False) | ~models.Q(url="")).select_related(
            "document"
        )


class EventMaterial(Orderable):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        DOCUMENT = "document", _("Dokument")
        LINK = "link", _("Link")
        RECORDING = "recording", _("Optagelse")

    page = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("titel"), max_length=200)
    kind = models.CharField(_("slags"), max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("dokument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(
        _("link"), max_length=500, blank=True, help_text=_("Fx en optagelse eller en side.")
    )

    objects = EventMaterialQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("document"), FieldPanel("url")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("materiale")
        verbose_name_plural = _("materialer")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if bool(self.document_id) == bool(self.url):
            raise ValidationError(_("Vælg enten et dokument eller et link."))

    @property
    def href(self) -> str:
        """Where the material is: the document's URL (served through Django, so a members'
        document asks for a member's login) or the link."""
        return self.document.url if self.document_id else self.url


# On the event page, after the programme.
MATERIALS_PANEL = InlinePanel(
    "materials",
    heading=_("Materialer efter arrangementet"),
    label=_("Materiale"),
    help_text=_(
        "Tilføj materialerne på den danske side: de vises på alle sprog, når arrangementet er "
        "begyndt, og deltagerne får én e-mail, første gang de udgives."
    ),
)
