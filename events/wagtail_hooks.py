"""Events in the Wagtail admin: registrations only (views in admin_views.py, URLs in
admin_urls.py)."""

from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import admin_urls
from .admin_views import EventFilter, RegistrationButtonHelper, RegistrationDeleteView
from .models import Registration


@modeladmin_register
class RegistrationAdmin(ModelAdmin):
    model = Registration
    menu_label = gettext_lazy("Tilmeldinger")
    menu_icon = "date"
    menu_order = 240
    button_helper_class = RegistrationButtonHelper
    delete_view_class = RegistrationDeleteView
    list_display = (
        "name",
        "email",
        "organisation",
        "event",
        "status",
        "language",
        "is_member",
        "attended",
        "created_at",
    )
    list_filter = (("event", EventFilter), "status", "language", "is_member", "attended")
    search_fields = ("name", "email", "organisation")
    list_export = (
        "event",
        "name",
        "email",
        "organisation",
        "needs",
        "status",
        "language",
        "is_member",
        "attended",
        "created_at",
        "confirmed_at",
    )
    export_filename = "deltagere"
    inspect_view_enabled = True


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return admin_urls.urlpatterns
