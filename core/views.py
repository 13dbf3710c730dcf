"""Front-end page serving: Wagtail's ``serve`` with the route found through ``core.site_state``."""

from wagtail import views as wagtail_views

from core import site_state


def serve(request, path):
    """Serve a page as Wagtail does; the site, root and settings lookups come from the snapshot.

    Wagtail keeps the route it found on the request (``_wagtail_route_for_request``); setting
    it here first is the documented way to route without its per-request site and root queries.
    """
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = site_state.route(request, path)
    return wagtail_views.serve(request, path)
