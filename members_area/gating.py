"""What a signed-in visitor who may not open members' material gets instead of it.

Wagtail answers a view restriction it does not pass by redirecting to the login page. That is
right for anonymous visitors, but an account that is signed in and still not allowed (an event
registrant, a newsletter subscriber, a member whose organisation ended) would be sent to the
login page, which sends signed-in users straight back: a redirect loop. They get a clear
"members only" page (403) instead, with whom to contact and how to join.

An editor whose session passed the password but not yet the second factor (TOTP) does not get
members' pages or documents either: they are sent to the second step first, as in the admin.

Both run as ``before_serve_page`` / ``before_serve_document`` hooks ahead of Wagtail's own
checks (``wagtail_hooks.py`` registers them); anonymous visitors are left to Wagtail.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from config.two_factor import second_factor_missing

from .access import can_view_page, is_member


def members_only_response(request):
    """The "members only" page for a signed-in account without access (403)."""
    response = render(request, "members_area/not_a_member.html", status=403)
    response["Cache-Control"] = "private, no-store"
    return response


def _second_factor_redirect(request):
    target = reverse("two_factor:verify")
    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def restricted_page_response(page, request):
    """``None`` to let the page be served (or Wagtail's login redirect apply), else a response."""
    user = request.user
    if not user.is_authenticated or not page.get_view_restrictions().exists():
        return None
    if second_factor_missing(user):
        return _second_factor_redirect(request)
    if not can_view_page(page, user):
        return members_only_response(request)
    return None


def restricted_document_response(document, request):
    """The same for a document in a collection with view restrictions."""
    user = request.user
    restrictions = list(document.collection.get_view_restrictions())
    if not user.is_authenticated or not restrictions:
        return None
    if second_factor_missing(user):
        return _second_factor_redirect(request)
    if not all(_accepts(restriction, request) for restriction in restrictions):
        return members_only_response(request)
    return None


def _accepts(restriction, request) -> bool:
    # "Any logged-in user" is converted (migration members_area 0004) and no longer offered;
    # one left over still means members only.
    if restriction.restriction_type == restriction.LOGIN:
        return is_member(request.user)
    return restriction.accept_request(request)
