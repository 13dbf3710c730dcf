"""System checks for settings that only production needs."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def base_url_is_set(app_configs, **kwargs):
    """E-mailed links must not depend on a request's Host header in production."""
    if settings.BASE_URL.startswith(("https://", "http://")):
        return []
    return [
        Warning(
            "BASE_URL is not set: links in e-mails would point at the last address a request "
            "arrived on.",
            hint="Set BASE_URL to the site's public address, e.g. https://socialinnovation.dk.",
            id="core.W001",
        )
    ]
