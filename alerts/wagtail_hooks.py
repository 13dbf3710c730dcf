from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .models import AlertSubscription, PublishedPost


class AlertSubscriptionAdmin(ModelAdmin):
    model = AlertSubscription
    menu_icon = "mail"
    menu_label = _("Abonnenter på nyheder")
    list_display = ("email", "status", "all_news", "frequency", "language", "created_at")
    list_filter = ("status", "frequency", "all_news")
    search_fields = ("email",)
    list_export = ("email", "status", "all_news", "frequency", "language", "confirmed_at")
    inspect_view_enabled = True


class PublishedPostAdmin(ModelAdmin):
    """Which posts alerted (their messages are in the outbox, group ``alerts.post:<post>``)."""

    model = PublishedPost
    menu_icon = "list-ul"
    list_display = ("page", "first_published_at", "alerted", "digested_at")
    list_filter = ("alerted",)
    inspect_view_enabled = True


@modeladmin_register
class AlertsAdminGroup(ModelAdminGroup):
    menu_label = _("Nyheder på e-mail")
    menu_icon = "mail"
    menu_order = 255
    items = (AlertSubscriptionAdmin, PublishedPostAdmin)
