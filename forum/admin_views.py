"""The moderators' queue in the Wagtail admin: reported posts in context, one click to act.

Each reported post appears once, with all its open reports (merged per post), its thread,
the posts before it, its author and municipality, and the actions of
``services.POST_ACTIONS`` as POST forms. The permission is checked here and again by every
service function.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.menu import MenuItem

from . import services
from .models import Post

PER_PAGE = 20
TABS = [
    ("open", gettext_lazy("Åbne")),
    ("handled", gettext_lazy("Behandlede")),
]
DONE_MESSAGES = {
    "hide": gettext_lazy("Indlægget er skjult for medlemmerne."),
    "unhide": gettext_lazy("Indlægget vises igen."),
    "lock": gettext_lazy("Tråden “%(thread)s” er låst."),
    "unlock": gettext_lazy("Tråden “%(thread)s” er låst op."),
    "delete": gettext_lazy("Indlægget er slettet."),
    "dismiss": gettext_lazy("Anmeldelsen er afvist; indlægget bliver stående."),
}


class ReportsMenuItem(MenuItem):
    """ "Forumanmeldelser (3)": how many posts wait for a moderator, in the menu itself."""

    def is_shown(self, request):
        return services.can_moderate(request.user)

    def render_component(self, request):
        waiting = services.open_report_count()
        self.label = (
            _("Forumanmeldelser (%(count)d)") % {"count": waiting}
            if waiting
            else _("Forumanmeldelser")
        )
        return super().render_component(request)


def _require_moderator(request) -> None:
    if not services.can_moderate(request.user):
        raise PermissionDenied


def _tab(value) -> str:
    return value if value in dict(TABS) else "open"


@require_admin_access
def queue(request):
    _require_moderator(request)
    tab = _tab(request.GET.get("vis"))
    posts = services.report_queue(handled=tab == "handled")
    page_obj = Paginator(posts, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "forum/admin/reports.html",
        {
            "page_title": _("Forumanmeldelser"),
            "header_icon": "warning",
            "tab": tab,
            "tabs": TABS,
            "open_count": services.open_report_count(),
            "page_obj": page_obj,
            "posts": services.with_context(page_obj),
        },
    )


@require_admin_access
@require_POST
def moderate(request, pk: int, action: str):
    _require_moderator(request)
    if action not in services.POST_ACTIONS:
        raise Http404
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    try:
        services.moderate_post(request.user, post, action)
    except services.ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DONE_MESSAGES[action] % {"thread": post.thread.title})
    return redirect(f"{reverse('forum_reports')}?vis={_tab(request.POST.get('vis'))}")
