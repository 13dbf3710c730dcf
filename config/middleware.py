"""Cross-cutting production middleware."""

from __future__ import annotations

import time

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a second, looser policy for the Wagtail admin.

    The public site runs without 'unsafe-inline' (our templates carry no inline script or
    style). The admin's editors (Draftail, previews, embeds) still need inline styles and
    scripts, so /admin/ gets ``ADMIN_CONTENT_SECURITY_POLICY`` instead of no policy at all.
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if _is_admin(request):
            # Wagtail's live preview frames admin URLs in the admin itself.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def _is_admin(request) -> bool:
    # The two-factor pages render with the public templates and get the public policy.
    path_info = request.path_info
    return path_info.startswith("/admin/") and not path_info.startswith("/admin/2fa/")


class ResponseHeadersMiddleware:
    """Headers every response gets, wherever it was produced (view, page cache, static files).

    Sits near the top of ``MIDDLEWARE`` so responses short-circuited further down (the
    anonymous page cache, WhiteNoise) pass through it too:

    - ``Permissions-Policy``: the site uses no camera, microphone, location, payment, ...;
      ``PERMISSIONS_POLICY`` switches them off for our pages and anything they embed.
    - ``Cache-Control: private, no-store`` on every response to a signed-in visitor: members'
      pages and documents must not be kept by a proxy, a CDN, or the browser's disk cache on a
      shared municipal PC after logging out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            # "public" and a shared max-age contradict private and must go.
            _drop_cache_directives(response, ("public", "s-maxage"))
        return response


def _drop_cache_directives(response, names) -> None:
    directives = [
        part.strip()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip() and part.strip().split("=", 1)[0].lower() not in names
    ]
    response["Cache-Control"] = ", ".join(directives)


SESSION_STARTED_KEY = "_session_started"
SESSION_SEEN_KEY = "_session_seen"


class SessionTimeoutMiddleware:
    """Signed-in sessions end after a spell of inactivity and after an absolute lifetime.

    Editors (admin access) are signed out after ``SESSION_IDLE_SECONDS_STAFF`` without a
    request and ``SESSION_MAX_SECONDS_STAFF`` after signing in; everyone else after
    ``SESSION_IDLE_SECONDS`` / ``SESSION_MAX_SECONDS``. The last-seen stamp is rewritten at most
    once a minute, so browsing does not write the session on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            staff = user.is_staff or user.is_superuser
            idle = settings.SESSION_IDLE_SECONDS_STAFF if staff else settings.SESSION_IDLE_SECONDS
            lifetime = settings.SESSION_MAX_SECONDS_STAFF if staff else settings.SESSION_MAX_SECONDS
            if now - seen > idle or now - started > lifetime:
                logout(request)
                messages.info(request, _("Du er blevet logget ud efter en periode uden aktivitet."))
            elif now - seen >= 60 or SESSION_SEEN_KEY not in session:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)
