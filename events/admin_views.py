"""Admin views of events: registrations of one event, their actions, exports and the printable
attendance list, plus the helpers of the registrations modeladmin.

Registered by ``wagtail_hooks`` (through ``admin_urls``); the rules live in ``services``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.views import DeleteView

from core.translations import source_page_ids

from . import exports, services
from .admin_forms import RegistrationActionForm, RegistrationEmailForm
from .models import EventPage, Registration

VIEW_PERMISSIONS = ("events.view_registration", "events.change_registration")
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


# --- One event's registrations ---------------------------------------------------------------


def require_permission(*permissions: str):
    """Admin access and any of ``permissions``; otherwise a 403 page that names what is missing
    (registrations hold personal data: admin access alone is not enough)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(request.user.has_perm(p) for p in permissions):
                return TemplateResponse(
                    request,
                    "events/admin/permission_denied.html",
                    {
                        "permission": permissions[0],
                        "page_title": _("Ingen adgang"),
                        "header_icon": "lock",
                    },
                    status=403,
                )
            return view(request, *args, **kwargs)

        return require_admin_access(wrapped)

    return decorator


def _event(event_id: int) -> EventPage:
    """The event whose registrations are meant: its source page, whichever translation's id
    came in the URL."""
    return get_object_or_404(EventPage, pk=event_id).source_event


STATUS_FILTERS = [value for value, _label in Registration.Status.choices]


def _listing_context(request, event: EventPage, status: str) -> dict:
    registrations = Registration.objects.filter(event=event).order_by("created_at", "pk")
    if status:
        registrations = registrations.filter(status=status)
    return {
        "event": event,
        "registrations": registrations,
        "counts": services.registration_counts(event),
        "status": status,
        "statuses": Registration.Status.choices,
        "actions": RegistrationActionForm.ACTIONS,
        "may_change": request.user.has_perm(CHANGE_PERMISSION),
        "page_title": _("Tilmeldinger: %(title)s") % {"title": event.title},
        "header_icon": "date",
    }


@require_permission(*VIEW_PERMISSIONS)
def event_registrations(request, event_id):
    """The registrations of one event, with counts, exports and the actions on chosen ones."""
    event = _event(event_id)
    status = request.GET.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    return TemplateResponse(
        request, "events/admin/registrations.html", _listing_context(request, event, status)
    )


@require_POST
@require_permission(CHANGE_PERMISSION)
def registration_action(request, event_id):
    """Apply the chosen action to the checked registrations (the e-mail action first shows the
    form for subject and text). Invalid or foreign ids answer 400 with the reason."""
    event = _event(event_id)
    form = RegistrationActionForm(request.POST, event=event)
    if not form.is_valid():
        context = _listing_context(request, event, "")
        context["action_errors"] = [e for errors in form.errors.values() for e in errors]
        return TemplateResponse(request, "events/admin/registrations.html", context, status=400)
    action, chosen = form.cleaned_data["action"], form.cleaned_data["registrations"]
    if action == RegistrationActionForm.EMAIL:
        return _email(request, event, chosen)
    if action in (RegistrationActionForm.ATTEND, RegistrationActionForm.UNATTEND):
        changed = services.mark_attended(chosen, attended=action == RegistrationActionForm.ATTEND)
        messages.success(
            request,
            ngettext(
                "%(count)d tilmelding opdateret.", "%(count)d tilmeldinger opdateret.", changed
            )
            % {"count": changed},
        )
    elif action == RegistrationActionForm.WAITLIST:
        moved = services.move_to_waitlist(event, chosen)
        messages.success(
            request,
            ngettext(
                "%(count)d person flyttet til ventelisten.",
                "%(count)d personer flyttet til ventelisten.",
                moved,
            )
            % {"count": moved},
        )
        if moved < len(chosen):
            messages.warning(request, _("Kun tilmeldte med en plads kan flyttes til ventelisten."))
    return redirect("events_admin_registrations", event.pk)


def _email(request, event, chosen):
    """Without a subject yet: the form. With one: queue it (once per person and text)."""
    if "subject" not in request.POST:
        form = RegistrationEmailForm(
            initial={"action": RegistrationActionForm.EMAIL, "registrations": chosen}, event=event
        )
        return _email_page(request, event, form, chosen)
    form = RegistrationEmailForm(request.POST, event=event)
    if not form.is_valid():
        return _email_page(request, event, form, chosen, status=400)
    queued = services.email_registrants(
        event, chosen, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
    )
    if queued:
        messages.success(
            request,
            ngettext(
                "E-mailen sendes til %(count)d person.",
                "E-mailen sendes til %(count)d personer.",
                queued,
            )
            % {"count": queued},
        )
    else:
        messages.warning(
            request, _("Denne e-mail er allerede sendt til de valgte. Der er ikke sendt igen.")
        )
    return redirect("events_admin_registrations", event.pk)


def _email_page(request, event, form, chosen, status=200):
    return TemplateResponse(
        request,
        "events/admin/email.html",
        {
            "event": event,
            "form": form,
            "chosen": chosen,
            "page_title": _("E-mail til deltagere: %(title)s") % {"title": event.title},
            "header_icon": "mail",
        },
        status=status,
    )


@require_permission(*VIEW_PERMISSIONS)
def export_registrations(request, event_id, extension):
    event = _event(event_id)
    if extension == "csv":
        response = HttpResponse(exports.as_csv(event), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(
            exports.as_xlsx(event),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(event, extension)}"'
    return response


def _organisation_of(registration: Registration) -> str:
    """What the person wrote, else their member organisation (usually the municipality)."""
    if registration.organisation:
        return registration.organisation
    try:
        organisation = registration.user.member_profile.organisation
    except (AttributeError, ObjectDoesNotExist):
        return ""
    return organisation.name if organisation else ""


@require_permission(*VIEW_PERMISSIONS)
def attendance_list(request, event_id):
    """A printable list of the confirmed participants with a column to sign."""
    event = _event(event_id)
    participants = (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        .select_related("user__member_profile__organisation")
        .order_by("name", "pk")
    )
    return TemplateResponse(
        request,
        "events/admin/attendance_list.html",
        {
            "event": event,
            "participants": [(r, _organisation_of(r)) for r in participants],
            "page_title": _("Deltagerliste: %(title)s") % {"title": event.title},
        },
    )
