from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.ratelimits import is_limited, limit
from core.translations import one_per_translation, translation_for
from members_area.access import can_view_page, is_member, visible_pages

from . import services
from .forms import RegistrationForm
from .ics import calendar_for
from .models import EventPage, Registration


def _event_for(request, event_id) -> EventPage:
    event = EventPage.objects.live().filter(pk=event_id).first()
    if event is None or not can_view_page(event, request.user):
        raise Http404
    return event


def _in_language_of(event: EventPage):
    """These URLs carry no language prefix; they speak the language of the event's page."""
    return translation.override(event.locale.language_code)


def _in_language_of_registration(registration):
    """Links from e-mails speak the language the person registered in."""
    return translation.override(registration.language)


@limit("event_registration")
def register(request, event_id):
    """Members register themselves in one click with their account; anyone else fills in the
    form and confirms by e-mail (double opt-in), also when logged in without membership.
    Rate limited per visitor (``event_registration`` in ``settings.RATE_LIMITS``).
    """
    event = _event_for(request, event_id)
    with _in_language_of(event):
        return _register(request, event)


def _register(request, event: EventPage):
    member = is_member(request.user)
    form = RegistrationForm(request.POST if request.method == "POST" and not member else None)
    error = None
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = _("For mange tilmeldinger fra din adresse. Prøv igen senere.")
        elif (
            not member
            and form.is_valid()
            and is_limited(request, "mail_to_address", address=form.cleaned_data["email"])
        ):
            # The confirmation e-mails to one address are limited, whoever asks for them.
            error = _("For mange tilmeldinger fra din adresse. Prøv igen senere.")
        elif member or form.is_valid():
            details = _member_details(request.user) if member else form.cleaned_data
            try:
                registration = services.register_for_event(event, user=request.user, **details)
            except services.AlreadyRegistered as exc:
                if member:  # a member registers only themselves: nothing to enumerate
                    error = str(exc)
                else:
                    # Answer exactly as for a new registration; the address learns the truth.
                    services.notify_already_registered(event, details["email"])
                    return render(
                        request,
                        "events/registered.html",
                        {"event": event, "registration": _as_new(event, details["email"])},
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


def _as_new(event, email: str):
    """What a fresh public registration looks like on the "check your e-mail" page."""
    return Registration(event=event, email=email, status=Registration.Status.PENDING)


def _member_details(user) -> dict:
    """What a member's one-click registration says: name, account e-mail, organisation."""
    profile = getattr(user, "member_profile", None)
    return {
        "name": user.get_full_name() or user.get_username(),
        "email": user.email,
        "organisation": str(getattr(profile, "organisation", "") or ""),
    }


def _signed_link(request, token, *, lookup, question_template, act, done):
    """A link from an e-mail: GET asks with a button (link previews change nothing), POST
    acts. A bad, expired or tampered link gets a clear message and changes nothing."""
    try:
        registration = lookup(token)
        with _in_language_of_registration(registration):
            if request.method != "POST":
                return render(
                    request,
                    question_template,
                    {
                        "registration": registration,
                        "event": services.event_in_language_of(registration),
                    },
                )
            return done(act(token))
    except services.RegistrationError as exc:
        return render(request, "events/link_error.html", {"error": str(exc)}, status=400)


def confirm(request, token):
    return _signed_link(
        request,
        token,
        lookup=services.registration_for_confirm_token,
        question_template="events/confirm.html",
        act=services.confirm_registration,
        done=lambda registration: render(
            request,
            "events/registered.html",
            {
                "event": services.event_in_language_of(registration),
                "registration": registration,
                "confirmed": True,
            },
        ),
    )


def cancel(request, token):
    def done(registration):
        messages.success(request, _("Du er afmeldt. Tak fordi du gav besked."))
        return redirect(services.event_in_language_of(registration).url)

    return _signed_link(
        request,
        token,
        lookup=services.registration_for_cancel_token,
        question_template="events/cancel.html",
        act=services.cancel_registration,
        done=done,
    )


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
    events = one_per_translation(events.filter(end__gte=timezone.now())).order_by("start")[:200]
    response = HttpResponse(calendar_for(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="arrangementer.ics"'
    return response


@login_required
def my_registrations(request):
    """The "Mine tilmeldinger" page: the signed-in person's registrations, coming first."""
    upcoming, past = services.registrations_of(request.user)
    response = render(request, "events/my_registrations.html", {"upcoming": upcoming, "past": past})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def cancel_own(request, registration_id):
    """Cancel one's own registration: GET asks, POST cancels. Someone else's is a 404."""
    registration = services.own_registration(request.user, registration_id)
    if registration is None:
        raise Http404
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    if request.method == "POST":
        try:
            services.cancel_own_registration(request.user, registration_id)
        except services.RegistrationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Du er afmeldt. Tak fordi du gav besked."))
        return redirect(back or reverse("events:my_registrations"))
    return render(
        request,
        "events/cancel.html",
        {
            "registration": registration,
            "event": translation_for(registration.event),
            "next": back,
        },
    )
