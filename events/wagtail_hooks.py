from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from . import services
from .models import Registration


class RegistrationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, *args, **kwargs):
        buttons = super().get_buttons_for_obj(obj, *args, **kwargs)
        if obj.status == Registration.Status.WAITLISTED:
            buttons.append(
                {
                    "url": reverse("events_promote_registration", args=[obj.pk]),
                    "label": _("Ryk op fra venteliste"),
                    "classname": "button button-small button-secondary",
                    "title": _("Giv personen en plads (også ud over kapaciteten)"),
                }
            )
        return buttons


@modeladmin_register
class RegistrationAdmin(ModelAdmin):
    model = Registration
    menu_label = gettext_lazy("Tilmeldinger")
    menu_icon = "date"
    menu_order = 240
    button_helper_class = RegistrationButtonHelper
    list_display = (
        "name",
        "email",
        "organisation",
        "event",
        "status",
        "is_member",
        "attended",
        "created_at",
    )
    list_filter = ("event", "status", "is_member", "attended")
    search_fields = ("name", "email", "organisation")
    list_export = (
        "event",
        "name",
        "email",
        "organisation",
        "needs",
        "status",
        "is_member",
        "attended",
        "created_at",
        "confirmed_at",
    )
    export_filename = "deltagere"
    inspect_view_enabled = True


@require_admin_access
def promote_registration(request, pk):
    try:
        registration = services.promote_from_waitlist(get_object_or_404(Registration, pk=pk))
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s har fået en plads.") % {"name": registration.name})
    return redirect(RegistrationAdmin().url_helper.index_url)


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return [
        path(
            "tilmeldinger/<int:pk>/ryk-op/",
            promote_registration,
            name="events_promote_registration",
        )
    ]
