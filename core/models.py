"""Shared records with no pages of their own."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.outbox.models import OutboundEmail

__all__ = ["CacheGeneration", "OutboundEmail"]


class CacheGeneration(models.Model):
    """The current generation of the anonymous page cache, site-wide or for one URL path.

    Kept in the database rather than in Redis, so a purge is never lost with Redis: every
    cache key contains the generation, and entries cached under an older one (a Redis that
    missed the purge, or came back from an older snapshot) can no longer be read.
    """

    scope = models.CharField(_("omfang"), max_length=64, primary_key=True)  # "*" or a path hash
    value = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("cache-generation")
        verbose_name_plural = _("cache-generationer")

    def __str__(self):
        return f"{self.scope}: {self.value}"
