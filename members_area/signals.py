from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Revision
from wagtail.signals import post_page_move

from core import page_cache
from resources.services import (
    protect_documents_below,
    protect_documents_of_draft,
    protect_documents_of_members_only_page,
)

from .access import MEMBERS_GROUP_NAME
from .models import MemberOrganisation, MembersAreaPage
from .services import restrict_to_members


@receiver(post_save, sender=MembersAreaPage)
def restrict_new_members_area(sender, instance, created, **kwargs):
    """The members' section is closed to everyone outside the Members group from the start."""
    if created:
        restrict_to_members(instance)


# Connected after ``restrict_new_members_area`` on purpose: receivers run in the order they
# were connected, so a new members' section is already restricted when its documents are checked.
@receiver(post_save)
def protect_documents_of_saved_page(sender, instance, raw=False, **kwargs):
    """Saving a members-only page in any way locks up the documents it references.

    Saves with ``update_fields`` count too (Wagtail saves a draft that way, and code may save
    one content field): the documents of the live content, of the instance being saved and
    of the newest draft are all protected.
    """
    if raw or not isinstance(instance, Page):
        return
    if type(instance) is Page:  # a generic save (e.g. a move) carries no content fields
        return
    protect_documents_of_members_only_page(instance)


@receiver(post_save, sender=Revision)
def protect_documents_of_saved_draft(sender, instance, raw=False, **kwargs):
    """A draft or an autosave of a members-only page locks up the documents it references.

    A document is downloadable by its URL the moment it is uploaded, so waiting for the
    page to be published would leave it public meanwhile.
    """
    if not raw:
        protect_documents_of_draft(instance)


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


@receiver(post_save, sender=MemberOrganisation)
@receiver(post_delete, sender=MemberOrganisation)
def purge_member_directory(sender, **kwargs):
    """The public list of members shows organisations: a join, leave or edit shows at once."""
    page_cache.purge()
