"""Cross-cutting production middleware."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


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
