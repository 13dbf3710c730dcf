"""The comments' panel on the admin dashboard: comments waiting for a moderator."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin_panels import DashboardPanel

from . import services


class CommentsAwaitingModerationPanel(DashboardPanel):
    name = "comments_awaiting_moderation"
    template_name = "comments/admin/dashboard_pending.html"
    order = 130
    permissions = ("comments.moderate_comment",)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(
            heading=_("Kommentarer til godkendelse"),
            pending=services.pending_count(),
            queue_url=reverse("comments_queue"),
        )
        return context
