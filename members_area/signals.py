from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from resources.services import protect_documents_below, protect_documents_of_members_only_page

from .access import MEMBERS_GROUP_NAME
from .models import MembersAreaPage
from .services import restrict_to_members


@receiver(post_save, sender=MembersAreaPage)
def restrict_new_members_area(sender, instance, created, **kwargs):
    """The members' section is closed to everyone outside the Members group from the start."""
    if created:
        restrict_to_members(instance)


# Connected after ``restrict_new_members_area`` on purpose: receivers run in the order they
# were connected, so a new members' section is already restricted when its documents are checked.
@receiver(post_save)
def protect_documents_of_saved_page(sender, instance, raw=False, update_fields=None, **kwargs):
    """Creating or publishing a members-only page locks up the documents it references.

    Only full saves count: they carry the content that is (or will be) shown. Wagtail saves
    drafts with ``update_fields``, leaving the page's live content untouched.
    """
    if raw or update_fields is not None or not isinstance(instance, Page):
        return
    if type(instance) is Page:  # a generic save (e.g. a move) carries no content fields
        return
    protect_documents_of_members_only_page(instance)


@receiver(post_page_move)
def protect_documents_of_moved_pages(sender, instance, **kwargs):
    """A subtree moved into the members' section takes its documents along into protection."""
    protect_documents_below(instance)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def protect_documents_of_restricted_pages(sender, instance, action, reverse, pk_set, **kwargs):
    """Closing a page to all but the Members group also closes the documents of its subtree."""
    if action != "post_add":
        return
    if reverse:  # members_group().pageviewrestriction_set.add(...)
        if instance.name != MEMBERS_GROUP_NAME:
            return
        restrictions = PageViewRestriction.objects.filter(pk__in=pk_set).select_related("page")
    elif instance.groups.filter(pk__in=pk_set, name=MEMBERS_GROUP_NAME).exists():
        restrictions = [instance]
    else:
        return
    for restriction in restrictions:
        protect_documents_below(restriction.page)
