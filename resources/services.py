"""Business rules of the resource library."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction

from members_area.access import members_group

MEMBERS_COLLECTION_NAME = "Medlemmer"


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
