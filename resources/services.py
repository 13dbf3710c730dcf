"""Business rules of the resource library and of document protection."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, ReferenceIndex

from members_area.access import is_members_only_page, members_group

MEMBERS_COLLECTION_NAME = "Medlemmer"

logger = logging.getLogger(__name__)


@transaction.atomic
def members_collection() -> Collection:
    """The document collection only the Members group may download from (created once)."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=MEMBERS_COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=MEMBERS_COLLECTION_NAME)
    restriction = CollectionViewRestriction.objects.filter(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    ).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
    restriction.groups.add(members_group())
    return collection


def protect_members_document(document) -> None:
    """Move the file of a members-only resource into the Members collection.

    Moving (rather than refusing to save) keeps the editor's work; a document that is already
    in any restricted collection stays where it is.
    """
    if document.collection.get_view_restrictions().exists():
        return
    document.collection = members_collection()
    document.save(update_fields=["collection"])


def documents_referenced_by(page: Page):
    """Documents ``page`` attaches or links: foreign keys, chooser blocks, rich-text links.

    Wagtail's reference index is brought up to date for ``page`` first: its own update runs as
    a background task, possibly after the caller (a save or publish) has moved on, and a
    stale index would let a new attachment through.
    """
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(page)
    document_model = get_document_model()
    document_type = ContentType.objects.get_for_model(document_model)
    document_ids = ReferenceIndex.get_references_for_object(page).filter(
        to_content_type=document_type
    )
    return document_model.objects.filter(
        pk__in=[int(pk) for pk in document_ids.values_list("to_object_id", flat=True)]
    ).select_related("collection")


def protect_documents_of_members_only_page(page: Page) -> int:
    """Move every document a members-only page references into the Members collection.

    Members-only wins: a document referenced by a members-only page is protected even when a
    public page links it too. The public page's link then asks for a member login instead of
    serving the file; a file meant for everyone belongs in a separate public upload. (Keeping
    it public would let any public reference, even an accidental one, leak a confidential
    file.) Such conflicts are logged for the editors. Documents are never moved back to a
    public collection automatically; that stays an editor's decision.

    Returns how many documents were moved.
    """
    if not is_members_only_page(page):
        return 0
    moved = 0
    for document in documents_referenced_by(page):
        if document.collection.get_view_restrictions().exists():
            continue
        protect_members_document(document)
        moved += 1
        public_pages = [
            source.pk
            for source in _pages_referencing(document)
            if source.pk != page.pk and not is_members_only_page(source)
        ]
        if public_pages:
            logger.warning(
                "Document %s is referenced by members-only page %s and by public pages %s; "
                "it is now for members only.",
                document.pk,
                page.pk,
                public_pages,
            )
    return moved


def protect_documents_below(page: Page) -> int:
    """Protect the documents of ``page`` and of every page below it (a subtree turned closed)."""
    pages = Page.objects.filter(path__startswith=page.path).specific()
    return sum(protect_documents_of_members_only_page(each) for each in pages)


def _pages_referencing(document) -> list[Page]:
    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return list(Page.objects.filter(pk__in=[int(pk) for pk in ids]))
