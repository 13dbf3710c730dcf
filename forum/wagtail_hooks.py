from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from . import admin_urls, admin_views
from .admin_panels import OpenReportsPanel
from .models import Category


class CategoryAdmin(ModelAdmin):
    model = Category
    menu_icon = "list-ul"
    list_display = ("name", "slug", "sort_order")
    search_fields = ("name",)


@modeladmin_register
class ForumAdminGroup(ModelAdminGroup):
    menu_label = _("Forum")
    menu_icon = "comment"
    menu_order = 260
    items = (CategoryAdmin,)


@hooks.register("register_admin_urls")
def register_forum_admin_urls():
    return [path("forum/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return admin_views.ReportsMenuItem(
        _("Forumanmeldelser"), reverse("forum_reports"), icon_name="warning", order=261
    )


@hooks.register("register_permissions")
def register_forum_permissions():
    return Permission.objects.filter(content_type__app_label="forum", codename="moderate_thread")


@hooks.register("construct_homepage_panels")
def add_open_reports_panel(request, panels):
    OpenReportsPanel.add_to(request, panels)
