"""The moderators' queue in the Wagtail admin: comments by status, one click to decide."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.menu import MenuItem

from . import services
from .models import Comment

MODERATE_PERMISSION = "comments.moderate_comment"
PER_PAGE = 30
TABS = [
    (Comment.Status.PENDING, gettext_lazy("Til godkendelse")),
    (Comment.Status.APPROVED, gettext_lazy("Godkendte")),
    (Comment.Status.SPAM, gettext_lazy("Spam")),
    (Comment.Status.REJECTED, gettext_lazy("Afviste")),
    (Comment.Status.UNCONFIRMED, gettext_lazy("Ikke bekræftet")),
]
DONE_MESSAGES = {
    "approve": gettext_lazy("Kommentaren fra %(name)s er godkendt og vises nu."),
    "reject": gettext_lazy("Kommentaren fra %(name)s er afvist."),
    "spam": gettext_lazy("Kommentaren fra %(name)s er markeret som spam."),
}


class ModerationMenuItem(MenuItem):
    """ "Kommentarer (3)": the number waiting for a moderator, in the menu itself."""

    def is_shown(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def render_component(self, request):
        waiting = services.pending_count()
        self.label = (
            _("Kommentarer (%(count)d)") % {"count": waiting} if waiting else _("Kommentarer")
        )
        return super().render_component(request)


def _require_moderator(request):
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied


@require_admin_access
def queue(request):
    _require_moderator(request)
    statuses = dict(TABS)
    status = request.GET.get("status")
    status = status if status in statuses else Comment.Status.PENDING
    comments = (
        Comment.objects.filter(status=status)
        .select_related("page", "parent", "user")
        .order_by("created_at" if status == Comment.Status.PENDING else "-created_at")
    )
    page_obj = Paginator(comments, PER_PAGE).get_page(request.GET.get("p"))
    counts = services.queue_counts()
    return TemplateResponse(
        request,
        "comments/admin/queue.html",
        {
            "page_title": _("Kommentarer"),
            "header_icon": "comment",
            "status": status,
            "tabs": [(value, label, counts[value]) for value, label in TABS],
            "comments": page_obj,
            "actions": [
                ("approve", _("Godkend"), "button-primary"),
                ("reject", _("Afvis"), "button-secondary"),
                ("spam", _("Spam"), "button-secondary no"),
            ],
        },
    )


@require_admin_access
@require_POST
def moderate(request, pk: int, action: str):
    _require_moderator(request)
    comment = get_object_or_404(Comment, pk=pk)
    if action not in services.MODERATION_ACTIONS:
        raise PermissionDenied
    services.moderate(comment, action, request.user)
    messages.success(request, DONE_MESSAGES[action] % {"name": comment.name})
    status = request.POST.get("status") or Comment.Status.PENDING
    return redirect(f"{reverse('comments_queue')}?status={status}")
