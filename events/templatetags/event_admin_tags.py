"""Template tags of the events admin: an event's registration summary (counts and fill bar),
shown in the EventPage edit view's panel and on the registrations page."""

from django import template

from .. import services
from ..admin_views import VIEW_PERMISSIONS

register = template.Library()


@register.inclusion_tag("events/admin/includes/registration_summary.html")
def registration_summary(event, user, links=True):
    """Nothing for a page not saved yet; otherwise the source event's counts."""
    if event is None or not event.pk:
        return {"event": None}
    source = event.source_event
    return {
        "event": source,
        "is_translation": source.pk != event.pk,
        "counts": services.registration_counts(source),
        "may_view": any(user.has_perm(p) for p in VIEW_PERMISSIONS),
        "links": links,
    }
