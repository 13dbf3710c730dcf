import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimits import is_limited, limit
from core.subscriptions.views import link_views

from . import services
from .forms import PreferencesForm, SubscribeForm


@limit("newsletter_signup")
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, _("For mange tilmeldinger fra din adresse. Prøv igen senere."))
        elif form.is_valid():
            if is_limited(request, "mail_to_address", address=form.cleaned_data["email"]):
                # Enough confirmations to this address for now: the same answer, no e-mail.
                return render(request, "newsletters/subscribe_done.html")
            try:
                services.request_subscription(
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    lists=list(form.cleaned_data["lists"]),
                    source="web-formular",
                )
            except services.SubscriptionError as error:
                form.add_error("email", str(error))
            else:
                # The same answer whether the address is new, known or suppressed.
                return render(request, "newsletters/subscribe_done.html")
    return render(
        request, "newsletters/subscribe.html", {"form": form}, status=400 if form.errors else 200
    )


# The e-mailed links: double opt-in confirmation and RFC 8058 one-click unsubscribe.
confirm, unsubscribe = link_views(
    find_for_confirmation=services.subscriber_for_confirmation,
    confirm=services.confirm_subscription,
    find=services.subscriber_for_key,
    unsubscribe=services.unsubscribe,
    templates="newsletters",
    name="subscriber",
)


def preferences(request, token):
    try:
        subscriber = services.subscriber_for_preferences(token)
    except services.SubscriptionError as error:
        return render(request, "newsletters/link_error.html", {"error": str(error)}, status=400)
    # Unticking every list posts no fields at all: still a submitted form (= unsubscribe).
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"lists": subscriber.lists.all()},
    )
    if request.method == "POST" and form.is_valid():
        services.update_preferences(subscriber, list(form.cleaned_data["lists"]))
        messages.success(request, _("Dine valg er gemt."))
        return redirect(request.path)
    return render(request, "newsletters/preferences.html", {"form": form, "subscriber": subscriber})


@csrf_exempt
@require_POST
def bounce_webhook(request):
    """Hard bounces and complaints from the mail provider: ``{"email": ..., "type": ...}``."""
    secret = settings.NEWSLETTER_WEBHOOK_SECRET
    if not secret or not constant_time_compare(request.headers.get("X-Webhook-Token", ""), secret):
        return HttpResponse(status=403)
    try:
        payload = json.loads(request.body)
        events = payload if isinstance(payload, list) else [payload]
        suppressed = sum(
            services.suppress(
                event["email"], "complaint" if event.get("type") == "complaint" else "bounce"
            )
            for event in events
            if event.get("type") in ("bounce", "complaint")
        )
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected JSON objects with email and type"}, status=400)
    return JsonResponse({"suppressed": suppressed})
