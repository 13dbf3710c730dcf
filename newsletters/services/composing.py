"""Composing an issue: propose what was published since the previous issue went out.

Newsletters go to non-members, so only pages a non-member may read in full are proposed
(``members_area.access.full_content_visible_pages``; events only when open to everyone), each
thing once, in the issue's language where translated (``core.translations``). The editor
ticks what to include; ``add_to_issue`` writes the chosen pages into the issue's body as a
new draft revision, in the order given, and the editor reorders and trims them in the editor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Min
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from cases.models import CasePage
from core.translations import one_per_translation
from events.models import EventPage
from home.models import NewsPage
from members_area.access import full_content_visible_pages
from resources.models import ResourcePage

from ..blocks import NewsletterStreamBlock
from ..models import NewsletterPage

# Without a previous issue, propose what was published within this many days.
FIRST_ISSUE_WINDOW = datetime.timedelta(days=31)


@dataclass(frozen=True)
class Section:
    """One kind of item: the body's block type, its page model, the default heading."""

    block_type: str
    model: type
    order_by: str = "first_published_at"

    def heading(self) -> str:
        return str(NewsletterStreamBlock.base_blocks[self.block_type].label)


SECTIONS = (
    Section("news", NewsPage),
    Section("events", EventPage, order_by="start"),
    Section("cases", CasePage),
    Section("resources", ResourcePage),
)


@dataclass
class Proposals:
    since: datetime.datetime
    previous: NewsletterPage | None
    # (section, pages) in the order the issue shows them; sections without pages are left out
    sections: list[tuple[Section, list]]
    already_included: int

    def pages(self) -> list:
        return [page for _section, pages in self.sections for page in pages]


def previous_issue(issue: NewsletterPage) -> NewsletterPage | None:
    """The latest other issue dated on or before ``issue`` that went out (its first send
    started) or at least was published; ``went_out`` is set on it."""
    return (
        NewsletterPage.objects.exclude(translation_key=issue.translation_key)
        .filter(first_published_at__isnull=False, issue_date__lte=issue.issue_date)
        .annotate(went_out=Coalesce(Min("sends__started_at"), F("first_published_at")))
        .order_by("-went_out", "-pk")
        .first()
    )


def _public_pages(section: Section, locale_id: int, since: datetime.datetime):
    """Live pages of one section a non-member may read in full, first published (in any
    language) after ``since``, each once in the issue's language or Danish."""
    model = section.model
    published_before = model.objects.filter(first_published_at__lte=since).values("translation_key")
    pages = full_content_visible_pages(
        model.objects.live().exclude(translation_key__in=published_before), AnonymousUser()
    )
    if model is EventPage:
        pages = pages.filter(audience=EventPage.Audience.OPEN, end__gt=timezone.now())
    return one_per_translation(pages, locale_id).order_by(section.order_by, "pk")


def _included_keys(issue: NewsletterPage) -> set:
    """Translation keys of the pages the issue's latest draft already shows."""
    body = issue.get_latest_revision_as_object().body
    pages = [page for block in body if block.block_type != "text" for page in block.value["pages"]]
    return {page.translation_key for page in pages if page is not None}


def proposals_for(issue: NewsletterPage) -> Proposals:
    """What was published since the previous issue and is not in ``issue`` yet."""
    previous = previous_issue(issue)
    since = previous.went_out if previous else timezone.now() - FIRST_ISSUE_WINDOW
    included = _included_keys(issue)
    sections, already = [], 0
    for section in SECTIONS:
        pages = list(_public_pages(section, issue.locale_id, since))
        fresh = [page for page in pages if page.translation_key not in included]
        already += len(pages) - len(fresh)
        if fresh:
            sections.append((section, fresh))
    return Proposals(since=since, previous=previous, sections=sections, already_included=already)


def add_to_issue(issue: NewsletterPage, page_ids: list[int], user) -> int:
    """Write the chosen proposals into the issue's body as a new draft revision.

    Only ids among the current proposals count (anything else is ignored, so no form value
    can put a members-only page into an issue). Each chosen page is appended, in the order of
    ``page_ids``, to the first block of its section, or to a new block at the end with the
    section's heading in the issue's language. Returns how many pages were added.
    """
    proposed = {
        page.pk: (section, page)
        for section, pages in proposals_for(issue).sections
        for page in pages
    }
    chosen = [proposed[pk] for pk in dict.fromkeys(page_ids) if pk in proposed]
    if not chosen:
        return 0
    draft = issue.get_latest_revision_as_object()
    body = draft.body
    stream_block = body.stream_block
    with translation.override(issue.locale.language_code):
        for section in SECTIONS:
            section_pages = [page for kind, page in chosen if kind == section]
            if not section_pages:
                continue
            block = next((b for b in body if b.block_type == section.block_type), None)
            if block is None:
                value = stream_block.child_blocks[section.block_type].to_python(
                    {"heading": section.heading(), "pages": [page.pk for page in section_pages]}
                )
                body.append((section.block_type, value))
            else:
                for page in section_pages:
                    block.value["pages"].append(page)
    draft.body = body
    draft.save_revision(user=user, log_action=True)
    return len(chosen)
