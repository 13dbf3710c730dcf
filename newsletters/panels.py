"""Panels of the newsletter editor."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import HelpPanel


class ComposerPanel(HelpPanel):
    """A link to the composer (``newsletters_compose``) above the body: what was published
    since the previous issue, to tick and add. A new issue is saved as a draft first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "newsletters/admin/composer_panel.html")
        kwargs.setdefault("heading", _("Forslag til indhold"))
        super().__init__(**kwargs)
