"""Purge the anonymous page cache whenever what pages show may have changed."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import page_cache

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
@receiver(post_save, sender=Tag)  # a renamed tag shows on every post filed under it
@receiver(post_delete, sender=Tag)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def purge_on_chrome_change(sender, **kwargs):
    page_cache.purge()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=CollectionViewRestriction)
@receiver(post_delete, sender=CollectionViewRestriction)
def purge_on_view_restriction_change(sender, **kwargs):
    """A page (or a document collection) became members-only or public again.

    The purge is part of the transaction (the generation lives in the database), so a visitor
    served before the commit caches the old page under the old generation, never the new one.
    """
    page_cache.purge()


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
@receiver(m2m_changed, sender=CollectionViewRestriction.groups.through)
def purge_on_view_restriction_groups_change(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        purge_on_view_restriction_change(sender)
