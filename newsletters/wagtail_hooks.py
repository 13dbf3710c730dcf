"""Newsletters in the Wagtail admin: registrations only (views in admin_views.py)."""

from django.db.models import Count
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from . import admin_urls
from .admin_panels import SendsInProgressPanel, SubscriberGrowthPanel
from .admin_ui import SEND_MENU_ORDER, SEND_PERMISSION, SendMenuItem
from .models import NewsletterList, NewsletterPage, NewsletterSend, Subscriber


class SubscriberAdmin(ModelAdmin):
    model = Subscriber
    menu_icon = "user"
    list_display = ("email", "name", "status", "created_at", "confirmed_at")
    list_filter = ("status", "lists")
    search_fields = ("email", "name")
    list_export = ("email", "name", "status", "created_at", "confirmed_at", "unsubscribed_at")
    export_filename = "abonnenter"
    inspect_view_enabled = True
    index_template_name = "newsletters/admin/subscriber_index.html"


class NewsletterListAdmin(ModelAdmin):
    model = NewsletterList
    menu_icon = "list-ul"
    menu_label = gettext_lazy("Lister")
    list_display = ("name", "slug", "is_default", "subscriber_count")
    search_fields = ("name", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_subscribers=Count("subscribers"))

    @staticmethod
    def subscriber_count(obj):
        return obj.n_subscribers

    subscriber_count.short_description = gettext_lazy("abonnenter")


class SendAdmin(ModelAdmin):
    model = NewsletterSend
    menu_icon = "mail"
    menu_label = gettext_lazy("Udsendelser")
    list_display = ("subject", "status", "scheduled_at", "started_at", "finished_at")
    list_filter = ("status",)
    inspect_view_enabled = True


@modeladmin_register
class NewsletterAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Nyhedsbrev")
    menu_icon = "mail"
    menu_order = 270
    items = (SubscriberAdmin, NewsletterListAdmin, SendAdmin)


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [path("nyhedsbrev/", include(admin_urls))]


@hooks.register("register_page_header_buttons")
def send_newsletter_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, NewsletterPage) and user.has_perm(SEND_PERMISSION):
        yield Button(
            _("Send nyhedsbrev"),
            reverse("newsletters_send", args=[page.pk]),
            icon_name="mail",
            priority=5,
        )


@hooks.register("register_page_action_menu_item")
def send_newsletter_menu_item():
    return SendMenuItem(order=SEND_MENU_ORDER)


@hooks.register("register_page_header_buttons")
def compose_newsletter_button(page, user, view_name=None, next_url=None):
    if (
        isinstance(page.specific_deferred, NewsletterPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Foreslå indhold"),
            reverse("newsletters_compose", args=[page.pk]),
            icon_name="list-ul",
            priority=6,
        )


@hooks.register("construct_homepage_panels")
def add_newsletter_panels(request, panels):
    SendsInProgressPanel.add_to(request, panels)
    SubscriberGrowthPanel.add_to(request, panels)
