"""Event widgets for other apps' templates, so they show events without importing events' code.

``{% upcoming_events %}`` renders the home page's "coming events" section.
"""

from __future__ import annotations

from django import template

from core import site_state
from members_area.access import visibility_key

from .. import services

register = template.Library()


@register.inclusion_tag("events/includes/upcoming_events.html", takes_context=True)
def upcoming_events(context, limit: int = 3) -> dict:
    """The next events the visitor may see, each once, in the language of the page being shown.

    Cached per locale and visibility for one minute at most: "upcoming" moves with the clock.
    """
    request = context["request"]
    locale_id = context["page"].locale_id
    events = site_state.remember(
        f"home-events:{locale_id}:{visibility_key(request.user)}",
        lambda: list(services.upcoming_events(request.user, locale=locale_id, limit=limit)),
        timeout=60,
    )
    return {"events": events, "request": request}
