"""Purge the anonymous page cache whenever what pages show may have changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache
from .models import NewsCategory, SiteSettings


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def purge_on_page_change(sender, **kwargs):
    page_cache.purge()


@receiver(post_delete)
def purge_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_cache.purge()


@receiver(post_save, sender=SiteSettings)
@receiver(post_save, sender=NewsCategory)
def purge_on_chrome_change(sender, **kwargs):
    page_cache.purge()
