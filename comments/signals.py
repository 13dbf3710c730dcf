from django.db.models.signals import post_save
from django.dispatch import receiver

from core import page_cache

from .models import CommentSettings


@receiver(post_save, sender=CommentSettings)
def purge_when_comments_are_switched(sender, created, **kwargs):
    """Switching comments on or off for a page type changes every page of that type. (A row
    created on first use holds the defaults pages were already shown with.)"""
    if not created:
        page_cache.purge()
