from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from core.ratelimits import is_limited
from core.subscriptions.views import link_views

from . import services
from .forms import AlertSubscribeForm


def _locale():
    return Locale.objects.filter(language_code=translation.get_language()).first()


def subscribe(request):
    locale = _locale()
    form = AlertSubscribeForm(request.POST or None, locale=locale)
    if request.method == "POST":
        # Counted per IP and per address before anything else, valid form or not.
        if is_limited(request, "post_alerts", address=request.POST.get("email", "")):
            form.add_error(None, _("For mange tilmeldinger på kort tid. Prøv igen senere."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.subscribe(
                    email=data["email"],
                    all_news=data.get("scope", "all") == "all",
                    categories=list(data.get("categories") or []),
                    frequency=data["frequency"],
                    language=locale.language_code if locale else "da",
                    source="web-formular",
                    user=request.user,
                )
            except services.SubscriptionError as error:
                form.add_error("email", str(error))
            else:
                # The same answer whether the address is new, pending, active or unsubscribed.
                return render(request, "alerts/subscribe_done.html")
    return render(
        request, "alerts/subscribe.html", {"form": form}, status=400 if form.errors else 200
    )


# The e-mailed links: double opt-in confirmation and RFC 8058 one-click unsubscribe.
confirm, unsubscribe = link_views(
    find_for_confirmation=services.subscription_for_confirmation,
    confirm=services.confirm,
    find=services.subscription_for_key,
    unsubscribe=services.unsubscribe,
    templates="alerts",
    name="subscription",
)
