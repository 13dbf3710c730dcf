from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from members_area.access import can_view_page, is_member, visible_pages

from . import services
from .forms import RegistrationForm
from .ics import calendar_for
from .models import EventPage


def _event_for(request, event_id) -> EventPage:
    event = EventPage.objects.live().filter(pk=event_id).first()
    if event is None or not can_view_page(event, request.user):
        raise Http404
    return event


@ratelimit(key="ip", rate="20/h", method="POST", block=False)
def register(request, event_id):
    event = _event_for(request, event_id)
    member = is_member(request.user)
    form = RegistrationForm(
        request.POST or None,
        initial={
            "name": request.user.get_full_name() if member else "",
            "email": request.user.email if member else "",
        },
    )
    error = None
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = _("For mange tilmeldinger fra din adresse. Prøv igen senere.")
        elif member and "one_click" in request.POST:
            try:
                registration = services.register_for_event(
                    event,
                    name=request.user.get_full_name() or request.user.get_username(),
                    email=request.user.email,
                    user=request.user,
                    organisation=str(
                        getattr(getattr(request.user, "member_profile", None), "organisation", "")
                        or ""
                    ),
                )
            except services.RegistrationError as exc:
                error = str(exc)
            else:
                return render(
                    request,
                    "events/registered.html",
                    {"event": event, "registration": registration},
                )
        elif form.is_valid():
            try:
                registration = services.register_for_event(
                    event, user=request.user, **form.cleaned_data
                )
            except services.RegistrationError as exc:
                error = str(exc)
            else:
                return render(
                    request,
                    "events/registered.html",
                    {"event": event, "registration": registration},
                )
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "error": error,
            "member": member,
            "state": event.registration_state(),
        },
        status=400 if error or (request.method == "POST" and form.errors) else 200,
    )


def confirm(request, token):
    if request.method != "POST":
        try:
            registration = services._registration_from(
                token, salt=services.CONFIRM_SALT, max_age=services.confirmation_max_age()
            )
        except services.RegistrationError as exc:
            return render(request, "events/link_error.html", {"error": str(exc)}, status=400)
        return render(request, "events/confirm.html", {"registration": registration})
    try:
        registration = services.confirm_registration(token)
    except services.RegistrationError as exc:
        return render(request, "events/link_error.html", {"error": str(exc)}, status=400)
    return render(
        request,
        "events/registered.html",
        {"event": registration.event, "registration": registration, "confirmed": True},
    )


def cancel(request, token):
    try:
        registration = services.registration_for_cancel_token(token)
        if request.method == "POST":
            registration = services.cancel_registration(token)
            messages.success(request, _("Du er afmeldt. Tak fordi du gav besked."))
            return redirect(registration.event.url)
    except services.RegistrationError as exc:
        return render(request, "events/link_error.html", {"error": str(exc)}, status=400)
    return render(request, "events/cancel.html", {"registration": registration})


@require_GET
def event_ics(request, event_id):
    event = _event_for(request, event_id)
    response = HttpResponse(calendar_for([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_GET
def calendar_feed(request):
    """Upcoming events the requester may see, as a subscribable iCal feed."""
    events = visible_pages(EventPage.objects.live(), request.user)
    events = events.filter(end__gte=timezone.now()).order_by("start")[:200]
    response = HttpResponse(calendar_for(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="arrangementer.ics"'
    return response
