from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_views
from .admin_panels import CommentsAwaitingModerationPanel


@hooks.register("register_admin_urls")
def register_comment_admin_urls():
    return [
        path("kommentarer/", admin_views.queue, name="comments_queue"),
        path(
            "kommentarer/<int:pk>/<slug:action>/",
            admin_views.moderate,
            name="comments_moderate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_comments_menu_item():
    return admin_views.ModerationMenuItem(
        _("Kommentarer"), reverse("comments_queue"), icon_name="comment", order=250
    )


@hooks.register("register_permissions")
def register_comment_permissions():
    return Permission.objects.filter(
        content_type__app_label="comments", codename="moderate_comment"
    )


@hooks.register("construct_homepage_panels")
def add_comments_awaiting_moderation_panel(request, panels):
    CommentsAwaitingModerationPanel.add_to(request, panels)
