"""The network's shared vocabulary: themes (its seven questions) and kinds of actor.

Cases, resources, events and members' interests are tagged with them, so they live here and
not in any one of those apps. Editors manage them as snippets; ``taxonomy.seed`` adds the
starting set. The tables keep their original names (``cases_theme``, ``cases_actor``) from
when the case bank owned them, so existing data stays where it is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class BilingualName(models.Model):
    """A taxonomy term with a Danish name and an English one for the English site."""

    name = models.CharField(_("navn"), max_length=200)
    name_en = models.CharField(_("navn på engelsk"), max_length=200, blank=True)
    slug = models.SlugField(_("kort navn"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


@register_snippet
class Theme(BilingualName):
    """The network's themes; seeded with its seven questions."""

    description = models.TextField(_("beskrivelse"), blank=True)

    panels = BilingualName.panels + [FieldPanel("description")]

    class Meta(BilingualName.Meta):
        db_table = "cases_theme"
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")


@register_snippet
class Actor(BilingualName):
    """Kinds of partner in a case: public sector, companies, volunteers, civil society, citizens."""

    class Meta(BilingualName.Meta):
        db_table = "cases_actor"
        verbose_name = _("aktørtype")
        verbose_name_plural = _("aktørtyper")
