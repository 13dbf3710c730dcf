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


def documents_in(obj):
    """Documents ``obj`` references as it is in memory: a draft, or a page being saved.

    Reads the references straight from the object (Wagtail's own extractor, the one that fills
    the reference index) without writing them to the index, which stays about live content.
    """
    document_model = get_document_model()
    document_type_id = ContentType.objects.get_for_model(document_model).id
    ids = {
        int(object_id)
        for content_type_id, object_id, _model_path, _content_path in (
            ReferenceIndex._extract_references_from_object(obj)
        )
        if content_type_id == document_type_id and str(object_id).isdigit()
    }
    return document_model.objects.filter(pk__in=ids).select_related("collection")


def _latest_draft(page: Page) -> Page | None:
    """The page as its newest unpublished revision has it (None without one)."""
    if not page.has_unpublished_changes or not page.latest_revision_id:
        return None
    revision = page.latest_revision
    return revision.as_object() if revision is not None else None


def protect_documents_of_members_only_page(page: Page) -> int:
    """Move every document a members-only page references into the Members collection.

    Counts the live content, the page as it is being saved (saves with ``update_fields``) and
    its newest draft: a file attached in a draft is downloadable by its URL at once, long
    before anyone publishes.

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
    documents = {document.pk: document for document in documents_referenced_by(page)}
    documents.update((document.pk, document) for document in documents_in(page))
    draft = _latest_draft(page)
    if draft is not None:
        documents.update((document.pk, document) for document in documents_in(draft))
    return _protect(page, documents.values())


def protect_documents_of_draft(revision) -> int:
    """A page's draft (saved, or autosaved) locks up the documents it references.

    The draft decides on its own content, ``members_only`` flag included; a draft of a page in
    the members' section is members-only by its place in the tree.
    """
    if not issubclass(revision.base_content_type.model_class(), Page):
        return 0
    draft = revision.as_object()
    if not is_members_only_page(draft):
        return 0
    return _protect(draft, documents_in(draft))


def _protect(page: Page, documents) -> int:
    moved = 0
    for document in documents:
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
