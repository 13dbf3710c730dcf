"""The pages behind a subscription's e-mailed links, for every list.

Each list passes its own lookups and actions and a template folder holding ``confirm.html``,
``confirmed.html``, ``unsubscribe.html``, ``unsubscribed.html`` and ``link_error.html``.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from .services import SubscriptionError


def confirm_page(request, token, *, find, confirm, templates: str):
    """A GET only shows the button (link scanners must not confirm); the POST confirms."""
    try:
        if request.method == "POST":
            confirm(token)
            return render(request, f"{templates}/confirmed.html")
        find(token)
    except SubscriptionError as error:
        return render(request, f"{templates}/link_error.html", {"error": str(error)}, status=400)
    return render(request, f"{templates}/confirm.html")


def unsubscribe_page(request, key, *, find, unsubscribe, templates: str, name: str):
    """RFC 8058: mail clients POST ``List-Unsubscribe=One-Click`` without a CSRF token (the
    key authenticates; the caller exempts the view). A bare GET only shows the button."""
    try:
        subscription = find(key)
    except SubscriptionError as error:
        return render(request, f"{templates}/link_error.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        unsubscribe(subscription, "one-click" if one_click else "link")
        return render(request, f"{templates}/unsubscribed.html")
    return render(request, f"{templates}/unsubscribe.html", {name: subscription})


def link_views(*, find_for_confirmation, confirm, find, unsubscribe, templates: str, name: str):
    """The ``confirm`` and ``unsubscribe`` views of one list, for its URLconf."""

    def confirm_view(request, token):
        return confirm_page(
            request, token, find=find_for_confirmation, confirm=confirm, templates=templates
        )

    @csrf_exempt  # RFC 8058: mail clients POST without a CSRF token; the key authenticates.
    def unsubscribe_view(request, key):
        return unsubscribe_page(
            request, key, find=find, unsubscribe=unsubscribe, templates=templates, name=name
        )

    return confirm_view, unsubscribe_view
