"""Admin views of events: registrations of one event, their actions, exports and the printable
attendance list, plus the helpers of the registrations modeladmin.

Registered by ``wagtail_hooks`` (through ``admin_urls``); the rules live in ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.auth import require_admin_access
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.views import DeleteView

from core.translations import source_page_ids

from . import services
from .models import EventPage, Registration

CHANGE_PERMISSION = "events.change_registration"
PROMOTE_PERMISSION = CHANGE_PERMISSION
MODELADMIN_INDEX = "events_registration_modeladmin_index"


# --- The registrations modeladmin (registered in wagtail_hooks) ---------------------------------


class RegistrationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, *args, **kwargs):
        buttons = super().get_buttons_for_obj(obj, *args, **kwargs)
        if obj.status == Registration.Status.WAITLISTED and self.request.user.has_perm(
            PROMOTE_PERMISSION
        ):
            buttons.append(
                {
                    "url": reverse("events_promote_registration", args=[obj.pk]),
                    "label": _("Ryk op fra venteliste"),
                    "classname": "button button-small button-secondary",
                    "title": _("Giv personen en plads (også ud over kapaciteten)"),
                }
            )
        return buttons


class EventFilter(RelatedFieldListFilter):
    """Each event once (its source page, which holds the registrations), never an unpublished
    draft: published events and any that hold registrations, newest first."""

    def field_choices(self, field, request, model_admin):
        events = (
            EventPage.objects.filter(Q(live=True) | Q(registrations__isnull=False))
            .filter(pk__in=source_page_ids(EventPage.objects.all()))
            .distinct()
            .order_by("-start")
        )
        return [
            (event.pk, f"{event.title} ({timezone.localtime(event.start):%d.%m.%Y})")
            for event in events
        ]


class RegistrationDeleteView(DeleteView):
    """Deleting a confirmed registration frees its seat for the first on the waiting list."""

    def delete_instance(self):
        services.delete_registration(self.instance)


# --- Promoting from the waiting list -------------------------------------------------------------


@require_admin_access
def promote_registration(request, pk):
    """GET asks for confirmation; only a POST (with its CSRF token) hands out the seat."""
    if not request.user.has_perm(PROMOTE_PERMISSION):
        raise PermissionDenied
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    index_url = reverse(MODELADMIN_INDEX)
    if request.method != "POST":
        return TemplateResponse(
            request,
            "events/admin/confirm_promote.html",
            {
                "registration": registration,
                "page_title": _("Ryk op fra venteliste"),
                "header_icon": "date",
                "index_url": index_url,
            },
        )
    try:
        registration = services.promote_from_waitlist(registration)
    except services.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s har fået en plads.") % {"name": registration.name})
    return redirect(index_url)
