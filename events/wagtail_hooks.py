"""Events in the Wagtail admin: registrations only (views in admin_views.py, URLs in
admin_urls.py)."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import admin_urls, services
from .admin_panels import UpcomingEventsPanel
from .admin_views import (
    VIEW_PERMISSIONS,
    EventFilter,
    RegistrationButtonHelper,
    RegistrationDeleteView,
)
from .models import EventPage, Registration


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
        "attended",
        "created_at",
    )  # language and membership are filters: fewer columns keep names readable at 1280 px
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


@hooks.register("insert_global_admin_css")
def event_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("events/admin.css"))


@hooks.register("register_page_listing_buttons")
def registrations_button(page, user, next_url=None):
    """On an event in the page listing: its registrations, with the seats taken."""
    if not isinstance(page.specific_deferred, EventPage):
        return
    if not any(user.has_perm(p) for p in VIEW_PERMISSIONS):
        return
    event = page.specific_deferred.source_event
    counts = services.registration_counts(event)
    yield ListingButton(
        _("Tilmeldinger (%(confirmed)d/%(capacity)d)")
        % {"confirmed": counts.confirmed, "capacity": counts.capacity},
        reverse("events_admin_registrations", args=[event.pk]),
        icon_name="date",
        priority=15,
    )


@hooks.register("construct_homepage_panels")
def add_upcoming_events_panel(request, panels):
    UpcomingEventsPanel.add_to(request, panels)
