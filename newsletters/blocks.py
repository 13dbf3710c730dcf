"""The body of a newsletter issue: text and sections of chosen pages.

The page choosers of a section open at that section's index (news, events, case bank,
library) in the issue's language instead of at the root of the tree: their modal URL is
``newsletters_choose_page`` (``admin_views.choose_page``), which starts where pages of the
wanted type live.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.widgets import AdminPageChooser


class IndexPageChooser(AdminPageChooser):
    """Wagtail's page chooser, whose modal starts at the index of the wanted page type."""

    def get_chooser_modal_url(self):
        return reverse("newsletters_choose_page")


class IndexPageChooserBlock(blocks.PageChooserBlock):
    @cached_property
    def widget(self):
        return IndexPageChooser(
            target_models=self.target_models, can_choose_root=self.can_choose_root
        )


def pages_block(label, page_type: str) -> blocks.StructBlock:
    """A heading and chosen pages of one type, rendered as teasers in the e-mail."""
    return blocks.StructBlock(
        [
            ("heading", blocks.CharBlock(label=_("Overskrift"))),
            (
                "pages",
                blocks.ListBlock(IndexPageChooserBlock(page_type=page_type), label=_("Sider")),
            ),
        ],
        label=label,
        icon="list-ul",
        template="newsletters/blocks/pages_block.html",
    )


class NewsletterStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Tekst"), features=["bold", "italic", "link", "ul", "ol"])
    news = pages_block(_("Nyheder"), "home.NewsPage")
    events = pages_block(_("Arrangementer"), "events.EventPage")
    cases = pages_block(_("Cases"), "cases.CasePage")
    resources = pages_block(_("Ressourcer"), "resources.ResourcePage")
