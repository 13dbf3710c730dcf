from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndexOutbox(models.Model):
    """An index write the search engine refused, waiting to be retried.

    One row per object: a later failure for the same object updates the row. The retry
    reconciles the object's *current* state (indexed if it still exists, removed if not), so
    the action is a record of what failed rather than an instruction.
    """

    class Action(models.TextChoices):
        UPDATE = "update", _("Opdatér")
        DELETE = "delete", _("Slet")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("indholdstype"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("objekt-id"), max_length=64)
    action = models.CharField(_("handling"), max_length=10, choices=Action.choices)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    last_error = models.TextField(_("seneste fejl"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ventende indeksopdatering")
        verbose_name_plural = _("ventende indeksopdateringer")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="site_search_outbox_one_per_object"
            )
        ]
        ordering = ["next_attempt_at", "pk"]

    def __str__(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model} #{self.object_id}"


class SearchTerm(models.Model):
    """A word of the indexed text: the vocabulary "did you mean" suggestions come from.

    Written by our database index (``search.backends.database``) for every indexed object,
    also next to an external engine (the fallback index). Words of members-only text are here
    too: a suggestion is only shown after a search for it found something the reader may see
    (``search.services.spelling``).
    """

    word = models.CharField(_("ord"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("søgeord i indekset")
        verbose_name_plural = _("søgeord i indekset")

    def __str__(self) -> str:
        return self.word
