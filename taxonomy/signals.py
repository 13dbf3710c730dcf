"""Renamed or removed themes and actors show on cached pages and in per-process lookups
(a case's themes, facet labels): editing them purges like publishing a page does."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import page_cache

from .models import Actor, Theme


@receiver(post_save, sender=Theme)
@receiver(post_delete, sender=Theme)
@receiver(post_save, sender=Actor)
@receiver(post_delete, sender=Actor)
def purge_on_taxonomy_change(sender, **kwargs):
    page_cache.purge()
