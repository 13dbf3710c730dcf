from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .models import AlertDelivery, AlertSubscription


class AlertSubscriptionAdmin(ModelAdmin):
    model = AlertSubscription
    menu_icon = "mail"
    list_display = ("email", "status", "all_news", "frequency", "language", "created_at")
    list_filter = ("status", "frequency", "all_news")
    search_fields = ("email",)
    list_export = ("email", "status", "all_news", "frequency", "language", "confirmed_at")
    inspect_view_enabled = True


class AlertDeliveryAdmin(ModelAdmin):
    model = AlertDelivery
    menu_icon = "list-ul"
    list_display = ("page", "subscription", "digest", "status", "attempts", "sent_at")
    list_filter = ("status", "digest")
    search_fields = ("subscription__email",)
    inspect_view_enabled = True


@modeladmin_register
class AlertsAdminGroup(ModelAdminGroup):
    menu_label = _("Nyheder på e-mail")
    menu_icon = "mail"
    menu_order = 255
    items = (AlertSubscriptionAdmin, AlertDeliveryAdmin)
