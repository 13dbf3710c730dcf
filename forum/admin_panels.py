"""The forum's panel on the admin dashboard: reported posts waiting for a moderator."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin_panels import DashboardPanel

from . import services


class OpenReportsPanel(DashboardPanel):
    name = "open_forum_reports"
    template_name = "forum/admin/dashboard_reports.html"
    order = 120
    permissions = (services.MODERATE_PERMISSION,)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(
            heading=_("Anmeldelser i forummet"),
            # Reports of one post are merged: the queue counts posts, and so does the panel.
            open_reports=services.open_report_count(),
            reports_url=reverse("forum_reports"),
        )
        return context
